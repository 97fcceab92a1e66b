"""``TimedRpcProxy``: nameko's RpcProxy with a timeout on every call, signed by the calling service.

nameko 2.14 waits for an RPC reply forever; a service calling another one must not hang when
the callee is down or slow. A timeout or an unknown (not running) service becomes a 503 domain
error, which reaches the gateway like any other refusal. Every call carries the calling
service's name signed with the RPC key (``xjkit.nameko.callers``), which RPCs restricted to
some callers check.
"""
import eventlet
from nameko.exceptions import UnknownService
from nameko.rpc import RpcProxy

from xjkit.errors import ServiceUnavailable
from xjkit.nameko.callers import caller_headers, rpc_key

DEFAULT_TIMEOUT_SECONDS = 10


class _TimedCalls:
    def __init__(self, proxy, service_name, timeout, worker_ctx, caller, key):
        self._proxy = proxy
        self._service_name = service_name
        self._timeout = timeout
        self._worker_ctx, self._caller, self._key = worker_ctx, caller, key

    def __getattr__(self, method_name):
        method = getattr(self._proxy, method_name)

        def call(*args, **kwargs):
            # read into the message headers when the call is published, with no switch between
            self._worker_ctx.data.update(
                caller_headers(self._caller, f"{self._service_name}.{method_name}", self._key))
            try:
                reply = method.call_async(*args, **kwargs)
                with eventlet.Timeout(self._timeout):
                    return reply.result()
            except (eventlet.Timeout, UnknownService):
                raise ServiceUnavailable(errors={"service": [self._service_name]})

        return call


class TimedRpcProxy(RpcProxy):
    def __init__(self, target_service, timeout=DEFAULT_TIMEOUT_SECONDS, **options):
        super().__init__(target_service, **options)
        self.timeout = timeout

    def setup(self):
        super().setup()
        self.key = rpc_key(self.container.config.get("RPC_KEY"))

    def get_dependency(self, worker_ctx):
        return _TimedCalls(super().get_dependency(worker_ctx), self.target_service, self.timeout, worker_ctx,
                           self.container.service_name, self.key)
