"""An ``@rpc`` whose domain errors reach the caller as ``xjkit.errors.DomainError`` instances.

nameko rebuilds a remote exception only when its exact class path is registered on the
caller's side. Services define their own ``DomainError`` subclasses that the gateway never
imports, so this entrypoint sends every domain error as the base class with the same code,
status, message and field errors.
"""
from nameko.exceptions import deserialize_to_instance
from nameko.rpc import Rpc

from xjkit.errors import DomainError

deserialize_to_instance(DomainError)


class DomainRpc(Rpc):
    def __init__(self, expected_exceptions=DomainError, **kwargs):
        # refusals are expected outcomes, not service failures
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is not None and isinstance(exc_info[1], DomainError):
            error = exc_info[1].as_base()
            exc_info = (DomainError, error, exc_info[2])
        return super().handle_result(message, worker_ctx, result, exc_info)


rpc = DomainRpc.decorator

