"""The employment repository and expiry against the real store: the store keys and date queries."""
import datetime
import threading

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import DuplicateKey

from employment.adapters.lookup_audit import MongoLookupAudit
from employment.adapters.repositories import MongoEmploymentsUnitOfWork, prepare_database
from employment.domain.employment import Employment
from employment.service_layer import audit
from employment.service_layer import employments as use_cases

pytestmark = pytest.mark.integration

NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def uow(database):
    prepare_database(database)
    return MongoEmploymentsUnitOfWork(database)


def employment(employment_id, person_id="p1", uscc="U1", status="pending", end="2027-11-30"):
    return Employment(employment_id=employment_id, person_id=person_id, person_name="张三",
                      id_card_masked="510104********1230", enterprise_uscc=uscc, enterprise_name="甲",
                      contract_start="2025-12-01", contract_end=end, contract_file_id="f", created_at=NOW,
                      status=status)


def add(uow, *employments):
    """Store each through its own commit."""
    for each in employments:
        with uow:
            uow.employments.add(each)
            uow.commit()


def test_the_store_refuses_a_second_active_employment_of_a_person(uow):
    add(uow, employment("e1", uscc="U1", status="active"))
    with pytest.raises(DuplicateKey):
        add(uow, employment("e2", uscc="U2", status="active"))
    add(uow, employment("e3", uscc="U3"))
    with uow:
        second = uow.employments.get("e3")
        second.accept(NOW)
        with pytest.raises(DuplicateKey):
            uow.commit()
    assert uow.employments.get("e3").status == "pending"


def test_the_store_refuses_a_second_pending_offer_of_one_enterprise_to_one_person(uow):
    add(uow, employment("e1", uscc="U1"))
    with pytest.raises(DuplicateKey):
        add(uow, employment("e2", uscc="U1"))
    add(uow, employment("e3", uscc="U2"))


def test_a_finished_offer_frees_the_pending_key(uow):
    first = employment("e1", uscc="U1")
    with uow:
        uow.employments.add(first)
        uow.commit()
        first.reject(NOW)
        uow.commit()
    add(uow, employment("e2", uscc="U1"))


def test_expiry_finds_only_active_contracts_that_ended_before_today(uow):
    add(uow, employment("ended", person_id="p1", status="active", end="2026-11-24"),
        employment("ends-today", person_id="p2", status="active", end="2026-11-25"),
        employment("pending-ended", person_id="p3", status="pending", end="2026-11-01"))
    assert use_cases.expire_due(uow, FixedClock(NOW)) == 1
    assert uow.employments.get("ended").status == "expired"
    assert uow.employments.get("ends-today").status == "active"
    assert uow.employments.active_of("p1") is None


def test_two_expiry_runs_at_once_expire_each_contract_once(uow, database):
    add(uow, *(employment(f"e{n}", person_id=f"p{n}", status="active", end="2026-10-31") for n in range(20)))
    counts = []
    # each run has its own unit of work, as each worker does
    threads = [threading.Thread(target=lambda: counts.append(
        use_cases.expire_due(MongoEmploymentsUnitOfWork(database), FixedClock(NOW)))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 20
    outboxes = [uow.employments.collection.find_one({"_id": f"e{n}"})["outbox"] for n in range(20)]
    assert all([e["type"] for e in outbox] == ["employment.expired"] for outbox in outboxes)


def test_the_lookup_audit_is_kept_and_read_back_by_enterprise_person_and_time(database):
    audit_log = MongoLookupAudit(database)
    audit_log.ensure_indexes()
    wall = FixedClock(NOW)
    for uscc, person in (("U1", "p1"), ("U2", "p1"), ("U1", None)):
        audit.record_lookup(audit_log, wall, uscc, "510104199001011230", person)
        wall.advance(hours=1)
    everything = audit.lookup_log(audit_log)
    assert everything["total"] == 3
    assert [(e["enterprise_uscc"], e["found"]) for e in everything["items"]] == [("U1", False), ("U2", True), ("U1", True)]
    assert everything["items"][0]["id_card_masked"] == "510104********1230"
    assert audit.lookup_log(audit_log, enterprise_uscc="U1")["total"] == 2
    assert audit.lookup_log(audit_log, person_id="p1")["total"] == 2
    since = (NOW + datetime.timedelta(minutes=30)).isoformat()
    assert [e["enterprise_uscc"] for e in audit.lookup_log(audit_log, since=since)["items"]] == ["U1", "U2"]
    assert "510104199001011230" not in repr(list(database["person_lookups"].find()))
