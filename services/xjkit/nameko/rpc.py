"""An ``@rpc`` whose domain errors reach the caller as ``xjkit.errors.DomainError`` instances.

nameko rebuilds a remote exception only when its exact class path is registered on the
caller's side. Services define their own ``DomainError`` subclasses that the gateway never
imports, so this entrypoint sends every domain error as the base class with the same code,
status, message and field errors.

``@rpc(callers=("cert",))`` admits only calls signed by one of those callers (see
``xjkit.nameko.callers``); anything else is refused with ``RPC_CALLER_REFUSED`` before a
worker runs.

A store that cannot be reached (pymongo's ``ConnectionFailure``: server selection timeout,
auto-reconnect, network timeout) is not the request's fault: it reaches the caller as 503
``SERVICE_UNAVAILABLE``, which the gateway passes on — never as an unexpected error (500).

A reply that cannot be sent because the broker went away is logged, not raised: nameko would kill
the whole service for it (found by the broker-restart crash drill).
"""
import logging

import amqp.exceptions
import kombu.exceptions
from nameko.exceptions import deserialize_to_instance
from nameko.rpc import Rpc
from pymongo.errors import ConnectionFailure

from xjkit.errors import DomainError, ServiceUnavailable
from xjkit.nameko.callers import rpc_key, verified_caller

deserialize_to_instance(DomainError)

log = logging.getLogger(__name__)

# the broker went away between the work and its reply
REPLY_LOST = (kombu.exceptions.OperationalError, amqp.exceptions.ConnectionError, OSError)


class DomainRpc(Rpc):
    def __init__(self, expected_exceptions=DomainError, callers=None, **kwargs):
        # refusals are expected outcomes, not service failures
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)
        self.callers = frozenset(callers) if callers is not None else None

    def setup(self):
        super().setup()
        if self.callers is not None:
            self.key = rpc_key(self.container.config.get("RPC_KEY"))

    def handle_message(self, body, message):
        if self.callers is not None:
            routing_key = f"{self.container.service_name}.{self.method_name}"
            caller = verified_caller(self.unpack_message_headers(message), routing_key, self.key)
            if caller not in self.callers:
                # nameko's consumer sends this back as the reply, and no worker runs
                raise DomainError("RPC_CALLER_REFUSED", "调用方无权调用此接口", 403)
        super().handle_message(body, message)

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is not None and isinstance(exc_info[1], ConnectionFailure):  # the store is away
            exc_info = (ServiceUnavailable, ServiceUnavailable(errors={"service": [self.container.service_name]}),
                        exc_info[2])
        if exc_info is not None and isinstance(exc_info[1], DomainError):
            # sent as the plain base class, which every caller deserializes (deserialize_to_instance above)
            exc_info = (DomainError, exc_info[1].as_base(), exc_info[2])
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except REPLY_LOST as error:
            # nameko kills the whole container on an error here. A lost reply is not worth that: the
            # caller times out (503) and a keyed retry finds the stored answer; the request, never
            # acked, is delivered again once the service has reconnected.
            log.warning("reply of %s.%s lost, the broker is away: %s", self.container.service_name,
                        self.method_name, error)
            return result, exc_info


rpc = DomainRpc.decorator

