"""``Store``: the service's MongoDB database, its event deduplication and its outbox relay.

One MongoClient per container (pymongo pools and is thread-safe). After a worker that wrote
events finishes, the relay publishes them at once; a background loop also sweeps every few
seconds, which is what delivers the events left pending by a crash or a broker outage.
"""
import logging
import os

import eventlet
from nameko.extensions import DependencyProvider

from xjkit import idempotency
from xjkit.events import Event
from xjkit.mongo.client import connect, ping
from xjkit.mongo.repository import watch_event_writes
from xjkit.nameko.metrics import store_listeners
from xjkit.nameko.tracing import traced_event_dispatcher
from xjkit.outbox import Backoff, OutboxRelay

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 2.0
# crash drills only (XJ_ENV dev/test): while this file exists the relay publishes nothing, so a
# test can kill a service between its store write and the relay of the events
HOLD_RELAY_ENV = "XJ_TEST_HOLD_RELAY_FILE"


def relay_held():
    path = os.environ.get(HOLD_RELAY_ENV)
    return bool(path) and os.environ.get("XJ_ENV") in ("dev", "test") and os.path.exists(path)


class StoreSession:
    """What a worker (of the entrypoint ``consumer``) sees: the database; whether it wrote events
    is noted by the repositories themselves (``watch_event_writes``), never by the worker."""

    def __init__(self, provider, consumer, written=None):
        self.db = provider.database
        self._provider = provider
        self.consumer = consumer
        self._written = written if written is not None else [False]

    @property
    def wrote_events(self):
        return self._written[0]

    def ping(self):
        return ping(self.db)

    def outbox_stuck(self):
        """Documents whose events the relay failed to publish (waiting for their next try)."""
        return self._provider.relay.stuck() if self._provider.outbox_collections else 0

    def run_once(self, scope, idempotency_key, fingerprint, work):
        """A POST's ``work()`` at most once per Idempotency-Key (see xjkit.idempotency); whatever
        events it wrote are relayed when the worker ends."""
        return idempotency.run_once(self.db, scope, idempotency_key, fingerprint, work)


class Store(DependencyProvider):
    def __init__(self, outbox_collections=(), prepare=None):
        """``outbox_collections``: names of collections whose documents carry outboxes;
        ``prepare(database)``: creates the service's indexes (retried until the store answers)."""
        self.outbox_collections = tuple(outbox_collections)
        self.prepare = prepare
        self.prepared = False
        self.running = False

    def setup(self):
        config = self.container.config
        self.client = connect(config["MONGO_URI"], app_name=self.container.service_name,
                              event_listeners=store_listeners(self.container))  # store latency metrics
        self.database = self.client[config["MONGO_DATABASE"]]
        dispatch = traced_event_dispatcher(config, self.container)  # request id and relay metrics
        service_name = self.container.service_name

        def publish(event_data):
            event = Event.from_dict(event_data)
            dispatch(service_name, event.name, event_data)

        self.relay = OutboxRelay([self.database[name] for name in self.outbox_collections], publish)

    def _prepare_once(self):
        if self.prepared:
            return True
        try:
            idempotency.ensure_indexes(self.database)
            for name in self.outbox_collections:
                self.database[name].create_index("outbox_pending")
            if self.prepare:
                self.prepare(self.database)
            self.prepared = True
        except Exception as error:  # the store may come up after the service
            log.warning("store not ready yet: %s", error)
        return self.prepared

    def start(self):
        self.running = True
        self._prepare_once()
        self.container.spawn_managed_thread(self._sweep_forever, identifier="outbox-relay")

    def stop(self):
        self.running = False

    def kill(self):
        self.running = False

    def _sweep_forever(self):
        backoff = Backoff()  # the store or broker away: one line per failed try, spaced out
        while self.running:
            if self._prepare_once() and self.outbox_collections and backoff.due("sweep") and not relay_held():
                try:
                    self.relay.sweep_pending()
                except Exception as error:
                    tries, wait = backoff.failed("sweep")
                    log.warning("outbox sweep failed (try %d), next in %.0f s: %s", tries, wait, error)
                else:
                    if backoff.succeeded("sweep"):
                        log.info("outbox sweep works again")
            eventlet.sleep(SWEEP_INTERVAL_SECONDS)

    def get_dependency(self, worker_ctx):
        consumer = f"{self.container.service_name}.{worker_ctx.entrypoint.method_name}"
        return StoreSession(self, consumer, watch_event_writes())

    def worker_teardown(self, worker_ctx):
        session = worker_ctx.service.__dict__.get(self.attr_name)
        if session is not None and session.wrote_events and self.outbox_collections and not relay_held():
            try:
                self.relay.sweep_pending()
            except Exception as error:  # the background sweep retries
                log.warning("outbox flush after %s failed: %s", worker_ctx.entrypoint.method_name, error)
