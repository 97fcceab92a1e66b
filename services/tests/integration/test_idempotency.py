"""Idempotency-Key semantics against the real store."""
import datetime
import threading

import pytest

from xjkit.errors import DomainError
from xjkit.idempotency import (
    IdempotencyInProgress, IdempotencyKeyReused, ensure_indexes, fingerprint_key, request_fingerprint, run_once,
)

pytestmark = pytest.mark.integration
KEY = fingerprint_key(b"s" * 32)


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


def test_concurrent_retries_run_the_work_once(db):
    calls, results, errors = [], [], []
    gate = threading.Event()

    def slow_work():
        calls.append(1)
        gate.wait(2)
        return {"id": "only"}

    def attempt():
        try:
            results.append(run_once(db, "s", "k-race", "f", slow_work))
        except IdempotencyInProgress:
            errors.append("in progress")

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for thread in threads:
        thread.start()
    import time
    time.sleep(0.3)
    gate.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert results == [{"id": "only"}] and len(errors) == 4


def test_a_claim_left_by_a_dead_request_is_taken_over_after_five_minutes(db):
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=6)
    db["idempotency_keys"].insert_one({"_id": "s:k-dead", "fingerprint": "f", "state": "claimed", "created_at": past})
    assert run_once(db, "s", "k-dead", "f", lambda: "recovered") == "recovered"


def test_without_a_key_the_work_just_runs(db):
    calls = []
    run_once(db, "s", None, "f", lambda: calls.append(1))
    run_once(db, "s", None, "f", lambda: calls.append(1))
    assert len(calls) == 2


def test_only_one_of_two_concurrent_takeovers_of_a_dead_claim_runs(db):
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=6)
    db["idempotency_keys"].insert_one({"_id": "s:k-dead2", "fingerprint": "f", "state": "claimed", "created_at": past})
    calls, outcomes = [], []
    gate = threading.Event()

    def work():
        calls.append(1)
        gate.wait(2)
        return "done"

    def attempt():
        try:
            outcomes.append(run_once(db, "s", "k-dead2", "f", work))
        except IdempotencyInProgress:
            outcomes.append("in progress")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    import time
    time.sleep(0.3)
    gate.set()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and sorted(outcomes) == ["done", "in progress"]


def test_a_store_session_runs_a_post_once_and_asks_for_its_events_to_be_relayed(db):
    from types import SimpleNamespace

    from xjkit.nameko.store import StoreSession

    session = StoreSession(SimpleNamespace(database=db), "svc.make_offer")
    calls = []
    assert session.run_once("ent:make_offer", "k-session", "f", lambda: calls.append(1) or "made") == "made"
    assert session.run_once("ent:make_offer", "k-session", "f", lambda: calls.append(1) or "again") == "made"
    assert calls == [1] and session.wrote_events is True
