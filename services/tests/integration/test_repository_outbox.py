"""The repository base and the outbox relay against the real document store."""
import datetime
import threading

import pytest

from xjkit.clock import FixedClock, SHANGHAI
from xjkit.errors import ConcurrencyConflict
from xjkit.events import new_event
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository
from xjkit.mongo.subset import UnsupportedOperation
from xjkit.outbox import OutboxRelay

pytestmark = pytest.mark.integration

CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))


class Offers(VersionedRepository):
    collection_name = "offers"
    indexes = (IndexSpec(keys=(("active_person", 1),), unique=True, sparse=True),)


@pytest.fixture
def offers(database):
    repository = Offers(database)
    repository.ensure_indexes()
    return repository


def test_insert_starts_at_version_one_and_replace_increments_it(offers):
    stored = offers.insert({"_id": "o1", "status": "pending"})
    assert stored["version"] == 1
    stored["status"] = "active"
    assert offers.replace(stored)["version"] == 2
    assert offers.get("o1")["status"] == "active"


def test_a_stale_replace_raises_concurrency_conflict_and_writes_nothing(offers):
    offers.insert({"_id": "o1", "status": "pending"})
    first, second = offers.get("o1"), offers.get("o1")
    first["status"] = "active"
    offers.replace(first)
    second["status"] = "rejected"
    with pytest.raises(ConcurrencyConflict):
        offers.replace(second)
    assert offers.get("o1")["status"] == "active"


def test_only_one_of_many_concurrent_replaces_of_the_same_version_wins(offers):
    offers.insert({"_id": "o1", "status": "pending"})
    snapshots = [offers.get("o1") for _ in range(10)]
    outcomes = []

    def attempt(snapshot, index):
        snapshot["status"] = f"decided-{index}"
        try:
            offers.replace(snapshot)
            outcomes.append("won")
        except ConcurrencyConflict:
            outcomes.append("lost")

    threads = [threading.Thread(target=attempt, args=(s, i)) for i, s in enumerate(snapshots)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1 and outcomes.count("lost") == 9
    assert offers.get("o1")["version"] == 2


def test_a_unique_index_clash_raises_duplicate_key(offers):
    offers.insert({"_id": "o1", "active_person": "p1"})
    with pytest.raises(DuplicateKey):
        offers.insert({"_id": "o2", "active_person": "p1"})


def test_find_refuses_operators_outside_the_subset(offers):
    with pytest.raises(UnsupportedOperation):
        offers.find({"status": {"$ne": "x"}})


def test_page_returns_items_and_total(offers):
    for index in range(7):
        offers.insert({"_id": f"o{index}", "n": index})
    page = offers.page({"n": {"$gte": 1}}, page=2, per_page=4, sort=(("n", 1),))
    assert (page.total, [d["n"] for d in page.items]) == (6, [5, 6])


def test_events_are_stored_in_the_same_write_and_marked_pending(offers):
    event = new_event("employment.offered", {"offer_id": "o1"}, CLOCK)
    offers.insert({"_id": "o1"}, events=[event])
    stored = offers.get("o1")
    assert stored["outbox_pending"] is True
    [entry] = stored["outbox"]
    # the envelope as it is, plus where it came from (request id, wall-clock write time)
    assert {key: value for key, value in entry.items() if key != "trace"} == event.to_dict()
    assert set(entry["trace"]) == {"request_id", "written_at"}


def test_relay_publishes_pending_events_once_and_clears_the_outbox(offers):
    first = new_event("employment.offered", {"offer_id": "o1"}, CLOCK)
    offers.insert({"_id": "o1"}, events=[first])
    published = []
    relay = OutboxRelay([offers.collection], published.append)
    assert relay.sweep() == 1
    assert relay.sweep() == 0
    assert [e["event_id"] for e in published] == [first.event_id]
    stored = offers.get("o1")
    assert stored["outbox"] == [] and stored["outbox_pending"] is False


def test_a_publish_failure_keeps_the_events_pending_for_the_next_sweep(offers):
    event = new_event("employment.offered", {"offer_id": "o1"}, CLOCK)
    offers.insert({"_id": "o1"}, events=[event])

    def broker_down(_event):
        raise ConnectionError("broker down")

    assert OutboxRelay([offers.collection], broker_down).sweep() == 0
    assert offers.get("o1")["outbox_pending"] is True
    published = []
    OutboxRelay([offers.collection], published.append).sweep()
    assert [e["event_id"] for e in published] == [event.event_id]


def test_a_write_between_publish_and_clear_leaves_only_the_unpublished_event_pending(offers):
    first = new_event("employment.offered", {"offer_id": "o1"}, CLOCK)
    offers.insert({"_id": "o1", "status": "pending"}, events=[first])
    second = new_event("employment.accepted", {"offer_id": "o1"}, CLOCK)
    published = []

    def publish_then_race(event):
        published.append(event)
        if len(published) == 1:
            current = offers.get("o1")
            offers.replace({**current, "status": "active"}, events=[second])

    relay = OutboxRelay([offers.collection], publish_then_race)
    relay.sweep()
    stored = offers.get("o1")
    assert ([e["event_id"] for e in stored["outbox"]], stored["outbox_pending"]) == ([second.event_id], True)
    assert stored["status"] == "active"  # the writer's change is kept
    relay.sweep()
    assert [e["event_id"] for e in published] == [first.event_id, second.event_id]  # none lost, each once
    assert offers.get("o1")["outbox_pending"] is False


def test_sweeps_requested_at_once_in_one_process_publish_each_event_once(offers):
    """Every worker that wrote events asks for a sweep as it ends; with many at once, a sweep that
    is running sweeps again instead of a second one publishing the same pending events."""
    for number in range(5):
        offers.insert({"_id": f"o{number}"}, events=[new_event("employment.offered", {"offer_id": number}, CLOCK)])
    published = []
    entered = threading.Event()

    def slow_publish(event):
        entered.set()
        threading.Event().wait(0.05)  # the broker round trip, long enough for the others to arrive
        published.append(event["event_id"])

    relay = OutboxRelay([offers.collection], slow_publish)
    first = threading.Thread(target=relay.sweep_pending)
    first.start()
    entered.wait(5)
    offers.insert({"_id": "late"}, events=[new_event("employment.offered", {"offer_id": "late"}, CLOCK)])
    others = [threading.Thread(target=relay.sweep_pending) for _ in range(8)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert len(published) == len(set(published)) == 6  # the late one too: the running sweep went again
    assert offers.collection.count_documents({"outbox_pending": True}) == 0


def test_of_many_concurrent_replaces_of_one_version_only_one_wins(offers):
    offers.insert({"_id": "c1", "status": "open"})
    read = offers.get("c1")  # every caller read the same version (a login challenge raced by logins)
    winners, losers = [], []

    def spend():
        try:
            offers.replace({**read, "status": "used"})
            winners.append(1)
        except ConcurrencyConflict:
            losers.append(1)

    threads = [threading.Thread(target=spend) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(winners), len(losers)) == (1, 9)
    assert (offers.get("c1")["status"], offers.get("c1")["version"]) == ("used", 2)


def test_a_document_that_fails_to_publish_is_stuck_logged_once_per_try_and_retried_with_backoff(offers, caplog):
    offers.insert({"_id": "o1"}, events=[new_event("employment.offered", {"offer_id": "o1"}, CLOCK)])
    now = [1000.0]
    tries = []

    def broker_refuses(event):
        tries.append(event)
        raise ConnectionError("no exchange")

    relay = OutboxRelay([offers.collection], broker_refuses, now=lambda: now[0])
    with caplog.at_level("WARNING", logger="xjkit.outbox"):
        for _ in range(10):  # the 2 s sweep, ten times within the first backoff
            relay.sweep()
    assert (len(tries), relay.stuck()) == (1, 1)
    assert len([r for r in caplog.records if "outbox relay failed" in r.getMessage()]) == 1
    now[0] += 2.0
    relay.sweep()
    now[0] += 2.0
    relay.sweep()  # the second wait is 4 s: not yet
    assert len(tries) == 2
    relay.publish = lambda event: tries.append(event)
    now[0] += 2.0
    assert relay.sweep() == 1 and relay.stuck() == 0
    assert offers.get("o1")["outbox_pending"] is False


def test_the_relay_declares_the_exchange_it_publishes_to(rabbit_config):
    """identity.events had no listener, so nobody declared it and every publish failed with 404."""
    from kombu import Connection
    from xjkit.nameko.tracing import traced_event_dispatcher

    dispatch = traced_event_dispatcher(rabbit_config)
    dispatch("xjnobody", "happened", new_event("xjnobody.happened", {}, CLOCK).to_dict())
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        channel = connection.channel()
        channel.exchange_declare("xjnobody.events", "topic", passive=True)  # raises 404 if absent
