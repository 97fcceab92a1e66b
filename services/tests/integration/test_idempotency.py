"""Idempotency-Key semantics against the real store."""
import datetime
import threading

import pytest

from xjkit.clock import FixedClock
from xjkit.errors import DomainError
from xjkit.idempotency import (
    IdempotencyInProgress, IdempotencyKeyReused, ensure_indexes, fingerprint_key, request_fingerprint, run_once,
)

pytestmark = pytest.mark.integration
KEY = fingerprint_key(b"s" * 32)
CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.timezone.utc))


@pytest.fixture
def db(database):
    ensure_indexes(database)
    return database


def test_a_retry_with_the_same_key_and_body_returns_the_first_answer_without_doing_it_again(db):
    calls = []

    def work():
        calls.append(1)
        return {"id": f"offer-{len(calls)}"}

    fingerprint = request_fingerprint({"a": 1, "b": 2}, KEY)
    first = run_once(db, "ent:make_offer", "k1", fingerprint, work)
    again = run_once(db, "ent:make_offer", "k1", request_fingerprint({"b": 2, "a": 1}, KEY), work)
    assert first == again == {"id": "offer-1"} and len(calls) == 1


def test_the_same_key_with_another_body_is_refused(db):
    run_once(db, "ent:make_offer", "k1", request_fingerprint({"a": 1}, KEY), lambda: {"id": 1})
    with pytest.raises(IdempotencyKeyReused):
        run_once(db, "ent:make_offer", "k1", request_fingerprint({"a": 2}, KEY), lambda: {"id": 2})


def test_keys_are_scoped_to_the_caller(db):
    assert run_once(db, "ent-A:make_offer", "k", "f", lambda: "A") == "A"
    assert run_once(db, "ent-B:make_offer", "k", "f", lambda: "B") == "B"


def test_a_refusal_is_replayed_but_a_503_frees_the_key(db):
    def refuse():
        raise DomainError("OFFER_EXISTS", "已向该人员发出聘用邀请", 409)

    with pytest.raises(DomainError):
        run_once(db, "s", "k-refused", "f", refuse)
    with pytest.raises(DomainError) as replay:
        run_once(db, "s", "k-refused", "f", lambda: "should not run")
    assert replay.value.code == "OFFER_EXISTS"

    def unavailable():
        raise DomainError("SERVICE_UNAVAILABLE", "服务暂时不可用", 503)

    with pytest.raises(DomainError):
        run_once(db, "s", "k-503", "f", unavailable)
    assert run_once(db, "s", "k-503", "f", lambda: "ok") == "ok"


def run_concurrently(db, key, answer, attempts):
    """``attempts`` threads run_once the same key at once; the work takes 0.3 s. Returns the number
    of times the work ran and each attempt's answer ("in progress" for IdempotencyInProgress)."""
    calls, outcomes = [], []
    gate = threading.Event()

    def slow_work():
        calls.append(1)
        gate.wait(2)
        return answer

    def attempt():
        try:
            outcomes.append(run_once(db, "s", key, "f", slow_work))
        except IdempotencyInProgress:
            outcomes.append("in progress")

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    import time
    time.sleep(0.3)
    gate.set()
    for thread in threads:
        thread.join()
    return len(calls), outcomes


def test_concurrent_retries_run_the_work_once(db):
    runs, outcomes = run_concurrently(db, "k-race", {"id": "only"}, attempts=5)
    assert runs == 1
    # the retries wait for the first run and answer with its answer, not 409 IN_PROGRESS
    assert outcomes == [{"id": "only"}] * 5


def test_a_retry_that_waits_too_long_for_a_live_claim_is_told_it_is_in_progress(db):
    gate = threading.Event()
    first = threading.Thread(target=lambda: run_once(db, "s", "k-slow", "f", lambda: gate.wait(3) and "first"))
    first.start()
    import time
    time.sleep(0.3)
    try:
        with pytest.raises(IdempotencyInProgress):
            run_once(db, "s", "k-slow", "f", lambda: "second", wait_seconds=0.5)
    finally:
        gate.set()
        first.join()


def test_a_running_claim_keeps_its_lease_while_the_work_lasts_longer_than_the_lease(db):
    calls = []

    def long_work():
        calls.append(1)
        import time
        time.sleep(1.5)
        return "long"

    lease = datetime.timedelta(seconds=0.6)
    worker = threading.Thread(target=lambda: run_once(db, "s", "k-long", "f", long_work, lease=lease))
    worker.start()
    import time
    time.sleep(1.0)  # past the first lease: the heartbeat renewed it
    assert run_once(db, "s", "k-long", "f", long_work, lease=lease) == "long"
    worker.join()
    assert len(calls) == 1


def test_a_claim_left_by_a_dead_request_without_a_lease_is_taken_over(db):
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=6)
    db["idempotency_keys"].insert_one({"_id": "s:k-dead", "fingerprint": "f", "state": "claimed", "created_at": past})
    assert run_once(db, "s", "k-dead", "f", lambda: "recovered") == "recovered"


def test_a_claim_whose_lease_ran_out_is_taken_over_at_once(db):
    now = datetime.datetime.now(datetime.timezone.utc)
    db["idempotency_keys"].insert_one({"_id": "s:k-lapsed", "fingerprint": "f", "state": "claimed", "created_at": now,
                                       "lease_until": now - datetime.timedelta(seconds=1), "token": "dead"})
    import time
    started = time.monotonic()
    assert run_once(db, "s", "k-lapsed", "f", lambda: "recovered") == "recovered"
    assert time.monotonic() - started < 1.0


def test_a_write_conflict_is_never_stored_as_the_keys_answer(db):
    from xjkit.errors import ConcurrencyConflict

    def conflicted():
        raise ConcurrencyConflict()

    with pytest.raises(ConcurrencyConflict):
        run_once(db, "s", "k-conflict", "f", conflicted)
    assert run_once(db, "s", "k-conflict", "f", lambda: "done") == "done"


def test_a_retry_after_a_crash_between_the_objects_write_and_the_answer_finds_the_object(db, store_uri):
    """The first run writes its object and dies before the claim says done (os._exit): the
    retry takes the claim over once its lease ran out and answers with the same object."""
    import subprocess
    import sys
    import textwrap
    script = textwrap.dedent(f"""
        import datetime, os, pymongo
        from xjkit.idempotency import run_once
        from xjkit.ids import new_id
        from xjkit.mongo.repository import VersionedRepository
        class Things(VersionedRepository):
            collection_name = "things"
        db = pymongo.MongoClient({store_uri!r}, tz_aware=True)[{db.name!r}]
        def work():
            thing = Things(db).insert({{"_id": new_id(), "name": "once"}})
            os._exit(9)  # killed after the object's write, before the claim is marked done
        run_once(db, "ent:make", "k-crash", "fp", work, lease=datetime.timedelta(seconds=1))
    """)
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 9
    from xjkit.ids import new_id
    from xjkit.mongo.repository import VersionedRepository

    class Things(VersionedRepository):
        collection_name = "things"

    def work():
        thing = Things(db).insert({"_id": new_id(), "name": "once"})
        return {"id": thing["_id"]}

    answer = run_once(db, "ent:make", "k-crash", "fp", work)
    assert db["things"].count_documents({}) == 1
    assert answer == {"id": db["things"].find_one()["_id"]}
    assert run_once(db, "ent:make", "k-crash", "fp", work) == answer


def test_without_a_key_the_work_just_runs(db):
    calls = []
    run_once(db, "s", None, "f", lambda: calls.append(1))
    run_once(db, "s", None, "f", lambda: calls.append(1))
    assert len(calls) == 2


def test_only_one_of_two_concurrent_takeovers_of_a_dead_claim_runs(db):
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=6)
    db["idempotency_keys"].insert_one({"_id": "s:k-dead2", "fingerprint": "f", "state": "claimed", "created_at": past})
    runs, outcomes = run_concurrently(db, "k-dead2", "done", attempts=2)
    assert runs == 1 and outcomes == ["done", "done"]  # the loser waits for the winner's answer


def test_a_store_session_runs_a_post_once_and_its_event_writes_are_noted_for_the_relay(db):
    from types import SimpleNamespace

    from xjkit.events import new_event
    from xjkit.mongo.repository import VersionedRepository, watch_event_writes
    from xjkit.nameko.store import StoreSession

    class Offers(VersionedRepository):
        collection_name = "offers_session"

    calls = []

    def make():
        calls.append(1)
        Offers(db).insert({"_id": f"o{len(calls)}"}, events=[new_event("employment.offered", {}, CLOCK)])
        return "made"

    session = StoreSession(SimpleNamespace(database=db), "svc.make_offer", watch_event_writes())
    assert session.run_once("ent:make_offer", "k-session", "f", make) == "made"
    assert calls == [1] and session.wrote_events is True
    replayed = StoreSession(SimpleNamespace(database=db), "svc.make_offer", watch_event_writes())
    assert replayed.run_once("ent:make_offer", "k-session", "f", make) == "made"
    assert calls == [1] and replayed.wrote_events is False  # the stored answer: nothing written, nothing to relay


def test_a_retry_after_a_transient_failure_midway_keeps_what_the_first_run_wrote(db):
    """The first run writes one object, then a write conflict: the key is released, not stored;
    the retry runs as a replay and finds the first object instead of failing on its id."""
    from xjkit.errors import ConcurrencyConflict
    from xjkit.ids import new_id
    from xjkit.mongo.repository import VersionedRepository

    class Things(VersionedRepository):
        collection_name = "things_partial"

    runs = []

    def work():
        runs.append(1)
        first = Things(db).insert({"_id": new_id(), "n": 1})
        if len(runs) == 1:
            raise ConcurrencyConflict()
        second = Things(db).insert({"_id": new_id(), "n": 2})
        return [first["_id"], second["_id"]]

    with pytest.raises(ConcurrencyConflict):
        run_once(db, "s", "k-partial", "f", work)
    made = run_once(db, "s", "k-partial", "f", work)
    assert sorted(d["_id"] for d in db["things_partial"].find()) == sorted(made)
    assert run_once(db, "s", "k-partial", "f", work) == made and len(runs) == 2
