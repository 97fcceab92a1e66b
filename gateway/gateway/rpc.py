"""Calls from the gateway (plain threads, not monkey-patched) to the nameko services.

A ``ClusterRpcProxy`` is not thread-safe, so each thread keeps its own, started lazily. A proxy
that failed on the connection is thrown away and rebuilt on the next call. Every call has a
timeout; a service that is down, or too slow, becomes 503 for the client.
"""
import logging
import socket
import threading

from kombu.exceptions import OperationalError
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

import xjkit.nameko.rpc  # noqa: F401  (registers DomainError for deserialization)
from xjkit.errors import DomainError

log = logging.getLogger(__name__)


class ServiceUnavailable(DomainError):
    code = "SERVICE_UNAVAILABLE"
    status = 503
    message = "服务暂时不可用，请稍后重试"


CONNECTION_ERRORS = (OperationalError, ConnectionError, socket.error, IOError)


class RpcPool:
    def __init__(self, amqp_uri, timeout=10.0):
        self.config = {"AMQP_URI": amqp_uri}
        self.timeout = timeout
        self._local = threading.local()

    def _proxy(self):
        proxy = getattr(self._local, "proxy", None)
        if proxy is None:
            runner = ClusterRpcProxy(self.config, timeout=self.timeout)
            proxy = runner.start()
            self._local.runner, self._local.proxy = runner, proxy
        return proxy

    def _discard(self):
        runner = getattr(self._local, "runner", None)
        self._local.runner = self._local.proxy = None
        if runner is not None:
            try:
                runner.stop()
            except Exception:  # already broken; nothing left to close cleanly
                pass

    def call(self, service, method, **kwargs):
        try:
            proxy = self._proxy()
            return getattr(getattr(proxy, service), method)(**kwargs)
        except DomainError:
            raise
        except (RpcTimeout, UnknownService) as error:
            # a late reply would confuse the next call on this proxy: start afresh
            self._discard()
            log.warning("rpc %s.%s failed: %s", service, method, type(error).__name__)
            raise ServiceUnavailable(errors={"service": [service]})
        except CONNECTION_ERRORS as error:
            self._discard()
            log.warning("rpc %s.%s lost the broker: %s", service, method, type(error).__name__)
            raise ServiceUnavailable(errors={"service": [service]})

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
