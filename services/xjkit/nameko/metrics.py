"""Prometheus metrics of one nameko service container (prometheus_client).

One ``ServiceMetrics`` per container, with a registry of its own (several containers may run in
one process, as in the integration tests; a process-wide registry would refuse the second
container's metrics). ``metrics_for(container)`` hands every part of the kit the same instance:
the ``Telemetry`` provider (entrypoints, /metrics), the outbox relay's dispatcher
(``xjkit.nameko.tracing``) and the store's command listener (``StoreCommandListener``).

Every metric carries the ``service`` label, so one dashboard and one set of alert rules cover
all five services. The names are documented in docs/operations.md ("Metrics").
"""
import importlib.metadata
import logging
import threading
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, PlatformCollector, ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from pymongo import monitoring

from xjkit import logcontext

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)
# scrape-time store queries (outbox backlog) are reused for this long, so a scrape storm cannot
# turn into a query storm
BACKLOG_CACHE_SECONDS = 10
# the oldest-pending scan reads at most this many pending documents per collection
BACKLOG_SCAN_LIMIT = 500
# store commands measured by name; anything else is counted as "other" (bounded label values)
STORE_COMMANDS = frozenset({
    "find", "insert", "update", "delete", "findAndModify", "aggregate", "count", "getMore",
    "createIndexes", "listIndexes", "distinct", "ping", "drop", "dropDatabase", "listCollections",
})

_ATTRIBUTE = "_xj_service_metrics"
_lock = threading.Lock()


def kit_version():
    try:
        return importlib.metadata.version("xjcloud-kit")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def metrics_for(container):
    """The ``ServiceMetrics`` of this container (created on first use)."""
    # kept on the container itself (extensions hold it through a weakref.proxy, which cannot be
    # a weak dictionary key; setattr through the proxy reaches the container)
    with _lock:
        metrics = getattr(container, _ATTRIBUTE, None)
        if metrics is None:
            metrics = ServiceMetrics(container.service_name)
            setattr(container, _ATTRIBUTE, metrics)
        return metrics


class ServiceMetrics:
    def __init__(self, service):
        self.service = service
        self.registry = CollectorRegistry()
        r = self.registry
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)

        # entrypoints: every @rpc, @event_handler and @timer worker
        self.calls = Counter(
            "xj_entrypoint_calls", "Workers run, by entrypoint and outcome (ok, refused: an expected "
            "domain refusal, error: anything else)", ["service", "entrypoint", "kind", "outcome"], registry=r)
        self.errors = Counter(
            "xj_entrypoint_errors", "Workers that ended with an error or a refusal, by error code or "
            "exception class", ["service", "entrypoint", "kind", "error"], registry=r)
        self.latency = Histogram(
            "xj_entrypoint_seconds", "Worker duration", ["service", "entrypoint", "kind"],
            buckets=LATENCY_BUCKETS, registry=r)
        self.workers_active = Gauge("xj_workers_active", "Workers running now", ["service"], registry=r)
        self.workers_max = Gauge("xj_workers_max", "Worker pool size (max_workers)", ["service"], registry=r)
        self.event_lag = Histogram(
            "xj_event_delivery_lag_seconds", "From the event's write (wall clock) to its handler's start",
            ["service", "entrypoint"], buckets=LAG_BUCKETS, registry=r)

        # outbox relay
        self.relayed = Counter("xj_outbox_relayed_events", "Events published by the outbox relay",
                               ["service", "event"], registry=r)
        self.relay_failures = Counter("xj_outbox_relay_failures", "Publishes of the outbox relay that failed",
                                      ["service"], registry=r)
        self.relay_lag = Histogram("xj_outbox_relay_lag_seconds",
                                   "From the event's write (wall clock) to its publish by the relay",
                                   ["service"], buckets=LAG_BUCKETS, registry=r)

        # store
        self.store_latency = Histogram("xj_store_operation_seconds", "Document store commands",
                                       ["service", "command", "collection"], buckets=STORE_BUCKETS, registry=r)
        self.store_failures = Counter("xj_store_operation_failures", "Document store commands that failed",
                                      ["service", "command"], registry=r)

        # dead letters (see Telemetry: polled from the broker)
        self.dead_letters = Gauge("xj_dead_letters", "Messages waiting in a dead-letter queue",
                                  ["service", "queue"], registry=r)
        self.dead_letter_queue_up = Gauge(
            "xj_dead_letter_queue_present", "1 when the dead-letter queue exists on the broker",
            ["service", "queue"], registry=r)
        self.dead_letters_checked = Gauge("xj_dead_letters_checked_timestamp_seconds",
                                          "When the dead-letter queues were last read", ["service"], registry=r)

        self.info = Gauge("xj_service_info", "Always 1: the service and its kit version", ["service", "version"],
                          registry=r)
        self.info.labels(service, kit_version()).set(1)
        self.workers_active.labels(service).set(0)

        self._backlog_source = None
        self._stuck_source = None
        r.register(_CallbackCollector(self._collect_backlog))
        self._backlog_cache = (0.0, [])

    # --- entrypoints --------------------------------------------------------------------------

    def observe_worker(self, entrypoint, kind, outcome, seconds, error=None):
        self.calls.labels(self.service, entrypoint, kind, outcome).inc()
        self.latency.labels(self.service, entrypoint, kind).observe(seconds)
        if error:
            self.errors.labels(self.service, entrypoint, kind, error).inc()

    # --- outbox -------------------------------------------------------------------------------

    def observe_relay(self, event_type, written_at):
        self.relayed.labels(self.service, event_type).inc()
        written = logcontext.parse_instant(written_at)
        if written is not None:
            self.relay_lag.labels(self.service).observe(max(0.0, (logcontext.wall_now() - written).total_seconds()))

    def watch_outboxes(self, database, collection_names, stuck=None):
        """Measure the outbox backlog of these collections at every scrape (``stuck()``: how
        many documents failed to publish, from the relay)."""
        self._backlog_source = (database, tuple(collection_names))
        self._stuck_source = stuck

    def _collect_backlog(self):
        if not self._backlog_source:
            return []
        taken, families = self._backlog_cache
        if time.monotonic() - taken < BACKLOG_CACHE_SECONDS:
            return families
        database, names = self._backlog_source
        pending = GaugeMetricFamily("xj_outbox_pending_documents",
                                    "Documents whose outbox still holds unpublished events",
                                    labels=["service", "collection"])
        oldest = GaugeMetricFamily("xj_outbox_oldest_pending_seconds",
                                   "Age (wall clock) of the oldest unpublished event; 0 when none",
                                   labels=["service"])
        now = logcontext.wall_now()
        age = 0.0
        try:
            for name in names:
                collection = database[name]
                pending.add_metric([self.service, name], collection.count_documents({"outbox_pending": True}))
                for document in collection.find({"outbox_pending": True}).limit(BACKLOG_SCAN_LIMIT):
                    for entry in document.get("outbox") or []:
                        written = logcontext.parse_instant((entry.get("trace") or {}).get("written_at"))
                        if written is not None:
                            age = max(age, (now - written).total_seconds())
        except Exception as error:  # the store is down: say nothing rather than something wrong
            log.warning("outbox backlog not measured: %s", error)
            return []
        oldest.add_metric([self.service], age)
        families = [pending, oldest]
        if self._stuck_source is not None:
            stuck = GaugeMetricFamily("xj_outbox_stuck_documents",
                                      "Pending documents whose publish failed, waiting for their next try",
                                      labels=["service"])
            stuck.add_metric([self.service], self._stuck_source())
            families.append(stuck)
        self._backlog_cache = (time.monotonic(), families)
        return families

    def add_collector(self, collect):
        """``collect()`` → metric families, called at every scrape (e.g. identity's CRL dates)."""
        self.registry.register(_CallbackCollector(collect))


class _CallbackCollector:
    def __init__(self, collect):
        self._collect = collect

    def collect(self):
        try:
            return list(self._collect())
        except Exception as error:  # one broken collector must not break the whole scrape
            log.warning("metrics collector failed: %s", error)
            return []

    def describe(self):
        return []  # unchecked: the families depend on what is there at scrape time


class StoreCommandListener(monitoring.CommandListener):
    """pymongo command monitoring → ``xj_store_operation_seconds`` (pass it to ``MongoClient``)."""

    def __init__(self, metrics):
        self.metrics = metrics
        self._collections = {}

    @staticmethod
    def _key(event):
        return event.connection_id, event.request_id, event.operation_id

    def started(self, event):
        target = event.command.get(event.command_name)
        if event.command_name == "getMore":
            target = event.command.get("collection")
        self._collections[self._key(event)] = target if isinstance(target, str) else ""

    def _finish(self, event):
        collection = self._collections.pop(self._key(event), "")
        command = event.command_name if event.command_name in STORE_COMMANDS else "other"
        return command, collection

    def succeeded(self, event):
        command, collection = self._finish(event)
        self.metrics.store_latency.labels(self.metrics.service, command, collection).observe(
            event.duration_micros / 1e6)

    def failed(self, event):
        command, collection = self._finish(event)
        self.metrics.store_latency.labels(self.metrics.service, command, collection).observe(
            event.duration_micros / 1e6)
        self.metrics.store_failures.labels(self.metrics.service, command).inc()


def store_listeners(container):
    """The pymongo event listeners of a service's store (``MongoClient(event_listeners=...)``)."""
    return [StoreCommandListener(metrics_for(container))]
