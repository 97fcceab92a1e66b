"""One delivery policy for every event handler: ``from xjkit.nameko.handlers import event_handler``.

    @event_handler("filing", "registration_changed")
    def on_registration_changed(self, event_data): ...

nameko's own ``event_handler`` acks a message whose handler raised (``requeue_on_error=False``):
the event is gone. Here:

- **a write conflict** (``ConcurrencyConflict``) runs the handler again at once, in the same
  worker, at most ``xjkit.retry.CONFLICT_ATTEMPTS`` times (``xjkit.retry.retry_on_conflict``);
- **any other error** (or conflicts beyond that bound) sends the message to the handler's delayed
  retry queue ``xj.retry.<service>.<method>`` with a per-message TTL (backoff: ``EVENT_RETRY_BASE_SECONDS``
  × 2^(try-1), at most ``EVENT_RETRY_MAX_SECONDS``; RabbitMQ's wall clock). That queue has no
  consumer; its dead-letter exchange is the default exchange with the handler's own queue as
  routing key, so the expired message goes back to the handler;
- **after ``EVENT_MAX_ATTEMPTS`` tries** the message goes to the handler's dead-letter queue
  ``xj.dlq.<service>.<method>``, counted by ``Telemetry`` (metrics, ping → gateway ``/readyz``)
  and inspected / replayed with ``xj-dlq``;
- the original message is acked only once its copy is safely published; if that publish fails
  (broker trouble) it is requeued instead: nothing is ever dropped.

Handlers stay idempotent: a redelivery (or a replay) of an event already applied changes nothing.
Headers (request id, call stack) travel with the copies; ``x-xj-attempts`` counts failed tries and
``x-xj-queue`` names the handler's queue (what ``xj-dlq replay`` sends it back to).
"""
import functools
import logging

from kombu import Queue
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import EventHandler

from xjkit.retry import retry_on_conflict

log = logging.getLogger(__name__)

ATTEMPTS_HEADER = "x-xj-attempts"
QUEUE_HEADER = "x-xj-queue"
ERROR_HEADER = "x-xj-error"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_BASE_SECONDS = 1.0
DEFAULT_RETRY_MAX_SECONDS = 300.0
RETRY_PREFIX = "xj.retry."
DLQ_PREFIX = "xj.dlq."


def retry_queue_name(service_name, method_name):
    return f"{RETRY_PREFIX}{service_name}.{method_name}"


def dead_letter_queue_name(service_name, method_name):
    return f"{DLQ_PREFIX}{service_name}.{method_name}"


def backoff_seconds(attempt, base=DEFAULT_RETRY_BASE_SECONDS, cap=DEFAULT_RETRY_MAX_SECONDS):
    """The wait before try ``attempt + 1`` after ``attempt`` failed tries (1, 2, 4, ... capped)."""
    return min(cap, base * (2 ** max(0, attempt - 1)))


def next_step(attempts_failed, max_attempts):
    """Where a message goes after its ``attempts_failed``-th failed try: "retry" or "dead_letter"."""
    return "dead_letter" if attempts_failed >= max_attempts else "retry"


def retry_queue(service_name, method_name, handler_queue_name):
    return Queue(retry_queue_name(service_name, method_name), durable=True, queue_arguments={
        "x-dead-letter-exchange": "", "x-dead-letter-routing-key": handler_queue_name})


def dead_letter_queue(service_name, method_name):
    return Queue(dead_letter_queue_name(service_name, method_name), durable=True)


def _error_text(exc_info):
    exc = exc_info[1]
    code = getattr(exc, "code", None)
    name = code if isinstance(code, str) and code else type(exc).__name__
    return f"{name}: {exc}"[:500]


class PolicyEventHandler(EventHandler):
    """nameko's ``EventHandler`` (service pool, reliable delivery) with the policy above."""

    def __init__(self, source_service, event_type, **kwargs):
        kwargs["requeue_on_error"] = True  # only if the policy itself cannot publish
        super().__init__(source_service, event_type, **kwargs)

    def setup(self):
        super().setup()
        config = self.container.config
        service_name = self.container.service_name
        self.max_attempts = int(config.get("EVENT_MAX_ATTEMPTS") or DEFAULT_MAX_ATTEMPTS)
        self.retry_base = float(config.get("EVENT_RETRY_BASE_SECONDS") or DEFAULT_RETRY_BASE_SECONDS)
        self.retry_max = float(config.get("EVENT_RETRY_MAX_SECONDS") or DEFAULT_RETRY_MAX_SECONDS)
        self.retry_queue = retry_queue(service_name, self.method_name, self.queue.name)
        self.dead_letter_queue = dead_letter_queue(service_name, self.method_name)
        self.policy_publisher = Publisher(config[AMQP_URI_CONFIG_KEY], serializer="json")

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        try:
            self._send_on(message, exc_info)
        except Exception as error:  # the broker is in trouble: give it back, never drop it
            log.warning("event %s not rerouted (%s), requeued", self.method_name, error)
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def _send_on(self, message, exc_info):
        headers = dict(message.headers or {})
        headers.pop("x-death", None)  # RabbitMQ's own bookkeeping grows with every round trip
        attempts = int(headers.get(ATTEMPTS_HEADER) or 0) + 1
        headers.update({ATTEMPTS_HEADER: attempts, QUEUE_HEADER: self.queue.name, ERROR_HEADER: _error_text(exc_info)})
        if next_step(attempts, self.max_attempts) == "dead_letter":
            target, expiration = self.dead_letter_queue, None
            log.error("event %s.%s dead-lettered after %d tries: %s", self.container.service_name,
                      self.method_name, attempts, headers[ERROR_HEADER],
                      extra={"event": "event.dead_lettered", "fields": {"entrypoint": self.method_name,
                                                                         "attempts": attempts}})
        else:
            target = self.retry_queue
            expiration = backoff_seconds(attempts, self.retry_base, self.retry_max)
            log.warning("event %s.%s failed (try %d of %d), again in %.1f s: %s", self.container.service_name,
                        self.method_name, attempts, self.max_attempts, expiration, headers[ERROR_HEADER],
                        extra={"event": "event.retry_scheduled", "fields": {"entrypoint": self.method_name,
                                                                             "attempts": attempts}})
        self.policy_publisher.publish(message.payload, exchange="", routing_key=target.name, headers=headers,
                                      expiration=expiration, declare=[target], use_confirms=True)


def event_handler(source_service, event_type, **kwargs):
    """The decorator every service uses instead of nameko's ``event_handler``."""
    register = PolicyEventHandler.decorator(source_service, event_type, **kwargs)

    def decorate(method):
        @functools.wraps(method)
        def handle(self, *args, **more):
            return retry_on_conflict(lambda: method(self, *args, **more))
        return register(handle)
    return decorate


def forward_event(source_service, event_type, to):
    """A handler (under this policy) that hands the event's data to the service's method ``to``,
    for events a service treats alike, one line each::

        on_employment_offered = forward_event("employment", "offered", to="_deliver")

    The class attribute names the handler, and so its queues, as a ``def`` of that name would."""
    @event_handler(source_service, event_type)
    def forward(self, event_data):
        return getattr(self, to)(event_data)
    return forward


def policy_handlers(container):
    """The service's handlers under this policy (for the dead-letter counts)."""
    return [entrypoint for entrypoint in container.entrypoints if isinstance(entrypoint, PolicyEventHandler)]
