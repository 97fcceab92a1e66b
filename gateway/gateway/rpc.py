"""Calls from the gateway (plain threads, not monkey-patched) to the nameko services.

A ``ClusterRpcProxy`` is not thread-safe, so each thread keeps its own, started lazily. A proxy
that failed on the connection is thrown away and rebuilt on the next call. Every call has a
timeout; a service that is down, or too slow, becomes 503 for the client.

The request id (``X-Request-ID``) goes with every call as nameko context data. nameko 2.14's
standalone proxy keeps the ``context_data`` dict it was given as its worker context's ``data``
(the same object: ``WorkerContext.__init__`` stores it as is) and reads it again at every call,
when it builds the message headers (``MethodProxy._call`` → ``get_message_headers(worker_ctx)``
→ ``worker_ctx.context_data``, a copy of ``data``). So each thread's proxy is built with a dict
of its own, and ``call`` sets that dict's ``request_id`` just before the call; the thread makes
one call at a time, so no other request can see it. The same dict carries the gateway's signed
caller name (``xjkit.nameko.callers``), which RPCs restricted to the gateway (the session checks)
verify.
"""
import logging
import socket
import threading
import time

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

import xjkit.nameko.rpc  # noqa: F401  (registers DomainError for deserialization)
from xjkit import logcontext
from xjkit.errors import DomainError, ServiceUnavailable
from xjkit.nameko.callers import caller_headers, rpc_key

CALLER = "gateway"

log = logging.getLogger(__name__)


# the broker away, refusing us (vhost access withdrawn, 530 NOT_ALLOWED) or closing the connection
CONNECTION_ERRORS = (OperationalError, ConnectionError, AmqpConnectionError, socket.error, IOError)


class RpcPool:
    def __init__(self, amqp_uri, timeout=10.0, observe=None, key=None):
        """``observe(service, method, outcome, seconds)`` is told about every call (metrics);
        ``key`` signs the calls (default: XJ_RPC_KEY, the development key only in dev/test)."""
        self.config = {"AMQP_URI": amqp_uri}
        self.timeout = timeout
        self.observe = observe
        self.key = key or rpc_key()
        self._local = threading.local()

    def _proxy(self):
        proxy = getattr(self._local, "proxy", None)
        if proxy is None:
            context = {}  # this thread's context data: read by the proxy at every call
            runner = ClusterRpcProxy(self.config, context_data=context, timeout=self.timeout)
            proxy = runner.start()
            self._local.runner, self._local.proxy, self._local.context = runner, proxy, context
        self._local.context.clear()
        request_id = logcontext.request_id()
        if request_id:
            self._local.context[logcontext.REQUEST_ID] = request_id
        return proxy

    def _observe(self, service, method, outcome, started):
        if self.observe is not None:
            self.observe(service, method, outcome, time.perf_counter() - started)

    def _discard(self):
        runner = getattr(self._local, "runner", None)
        self._local.runner = self._local.proxy = self._local.context = None
        if runner is not None:
            try:
                runner.stop()
            except Exception:  # already broken; nothing left to close cleanly
                pass

    def call(self, service, method, **kwargs):
        started = time.perf_counter()
        try:
            proxy = self._proxy()
            self._local.context.update(caller_headers(CALLER, f"{service}.{method}", self.key))
            result = getattr(getattr(proxy, service), method)(**kwargs)
        except DomainError:
            self._observe(service, method, "refused", started)
            raise
        except (RpcTimeout, UnknownService) as error:
            self._observe(service, method, "unavailable", started)
            # a late reply would confuse the next call on this proxy: start afresh
            self._discard()
            log.warning("rpc %s.%s failed: %s", service, method, type(error).__name__)
            raise ServiceUnavailable(errors={"service": [service]})
        except CONNECTION_ERRORS as error:
            self._observe(service, method, "unavailable", started)
            self._discard()
            log.warning("rpc %s.%s lost the broker: %s", service, method, type(error).__name__)
            raise ServiceUnavailable(errors={"service": [service]})
        except Exception:
            self._observe(service, method, "error", started)
            raise
        self._observe(service, method, "ok", started)
        return result

    def ping(self, service, timeout):
        """A ping with its own short timeout, on a throwaway proxy (readiness checks)."""
        try:
            with ClusterRpcProxy(self.config, timeout=timeout) as proxy:
                return getattr(proxy, service).ping()
        except Exception as error:  # any failure means "not ready"
            log.info("ping %s failed: %s", service, type(error).__name__)
            return None

    def close(self):
        self._discard()
