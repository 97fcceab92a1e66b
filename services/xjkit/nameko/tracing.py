"""The request id across the broker.

- RPC: nameko copies a worker's context data (``worker_ctx.data``) into the headers of every
  RPC it makes (``nameko.<key>``) and the callee's worker gets them back as its context data.
  ``Telemetry`` puts ``request_id`` there, so nested RPCs carry it without further code.
- Events: services never dispatch events directly; they write them to an outbox, and the relay
  (``xjkit.nameko.store``) publishes them later, from a worker or from its background sweep. So
  the request id is stored with each outbox entry (``trace``, see ``xjkit.logcontext``) and
  ``traced_event_dispatcher`` puts it back into the ``nameko.request_id`` header when it
  publishes, where the handlers' workers find it as context data.
- The gateway (not a nameko service) sets it per call: see ``gateway/gateway/rpc.py``.
"""
import logging

from nameko import serialization
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, HEADER_PREFIX, LOGIN_METHOD_CONFIG_KEY
from nameko.standalone.events import get_event_exchange

from xjkit.logcontext import REQUEST_ID
from xjkit.nameko.metrics import metrics_for

log = logging.getLogger(__name__)

REQUEST_ID_HEADER = f"{HEADER_PREFIX}.{REQUEST_ID}"


def trace_headers(event_data):
    """The AMQP headers that give the handlers of this stored event its request id."""
    trace = event_data.get("trace") if isinstance(event_data, dict) else None
    request_id = (trace or {}).get(REQUEST_ID)
    return {REQUEST_ID_HEADER: request_id} if request_id else {}


def traced_event_dispatcher(config, container=None):
    """Like ``nameko.standalone.events.event_dispatcher``, but each event is published with the
    request id its outbox entry recorded, and the relay's throughput and lag are measured."""
    serializer, _ = serialization.setup(config)
    publisher = Publisher(config[AMQP_URI_CONFIG_KEY], serializer=serializer,
                          ssl=config.get(AMQP_SSL_CONFIG_KEY), login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
    metrics = metrics_for(container) if container is not None else None

    def dispatch(service_name, event_type, event_data):
        exchange = get_event_exchange(service_name, config)
        try:
            # declared by whoever publishes (kombu declares it once per connection): an exchange
            # nobody listens to yet must not leave the outbox stuck on a 404 (issue 17)
            publisher.publish(event_data, exchange=exchange, routing_key=event_type,
                              extra_headers=trace_headers(event_data), declare=[exchange])
        except Exception:
            if metrics is not None:
                metrics.relay_failures.labels(metrics.service).inc()
            raise
        if metrics is not None:
            metrics.observe_relay(event_type, ((event_data or {}).get("trace") or {}).get("written_at"))

    return dispatch
