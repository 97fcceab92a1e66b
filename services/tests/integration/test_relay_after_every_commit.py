"""A worker that commits events has them relayed when it ends, without saying so: the store
notices every repository write that carried events (no manual flag to forget)."""
import datetime
import uuid

import eventlet
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from xjkit.clock import FixedClock
from xjkit.events import new_event
from xjkit.mongo.repository import VersionedRepository
from xjkit.nameko import store as store_module
from xjkit.nameko.handlers import event_handler
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store

pytestmark = pytest.mark.integration

CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.timezone.utc))
SEEN = []


class Notes(VersionedRepository):
    collection_name = "notes"


class Writer:
    name = "xjwriter"
    store = Store(outbox_collections=("notes",))

    @rpc
    def write(self, key):
        Notes(self.store.db).insert({"_id": key}, events=[new_event("xjwriter.noted", {"key": key}, CLOCK)])
        return key  # no events_written(): the store saw the write

    @rpc
    def read(self, key):
        return Notes(self.store.db).get(key) is not None


class Reader:
    name = "xjreader"

    @event_handler("xjwriter", "noted")
    def on_noted(self, event_data):
        SEEN.append(event_data["payload"]["key"])


def test_events_committed_by_a_worker_are_relayed_when_it_ends(container_factory, service_config, monkeypatch):
    monkeypatch.setattr(store_module, "SWEEP_INTERVAL_SECONDS", 3600)  # only the worker's own relay can do it
    for cls in (Reader, Writer):
        container_factory(cls, service_config).start()
    key = uuid.uuid4().hex
    with ServiceRpcProxy("xjwriter", service_config, timeout=10) as writer:
        eventlet.sleep(0.5)  # the first sweep at start-up is done
        assert writer.write(key) == key
        assert writer.read(key) is True  # a worker that wrote no events relays nothing, and fails nothing
    deadline = eventlet.hubs.get_hub().clock() + 5
    while key not in SEEN and eventlet.hubs.get_hub().clock() < deadline:
        eventlet.sleep(0.05)
    assert key in SEEN
