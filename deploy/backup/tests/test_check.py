"""xj-check against the real document store: each kind of inconsistency, planted, is reported;
stores that agree report nothing."""
import uuid

import pytest

from xjbackup import check as xj_check

pytestmark = pytest.mark.integration

USCC, OTHER = "9151010029141777XB", "91610100859574891U"


@pytest.fixture
def stores(mongo_client, store_uri):
    suffix = uuid.uuid4().hex[:8]
    names = {service: f"xjck_{service}_{suffix}" for service in ("identity", "employment", "cert", "filing",
                                                                  "publicity")}
    consistent(mongo_client, names)
    yield mongo_client, names, store_uri
    for name in names.values():
        mongo_client.drop_database(name)


def consistent(client, names):
    """A person employed and filed, the registration listed at its serial, nothing pending."""
    client[names["employment"]].employments.insert_one(
        {"_id": "e1", "person_id": "p1", "enterprise_uscc": USCC, "status": "active", "outbox_pending": False})
    client[names["cert"]].certificates.insert_one(
        {"_id": "c1", "person_id": "p1", "enterprise_uscc": USCC, "filed": True, "outbox_pending": False})
    client[names["filing"]].registrations.insert_one(
        {"_id": f"{USCC}:construction", "uscc": USCC, "enterprise_type": "construction", "booklet_serial": 3,
         "outbox_pending": False})
    client[names["publicity"]].enterprises.insert_one(
        {"_id": USCC, "registrations": {"construction": {"serial": 3}}})
    client[names["identity"]].persons.insert_one({"_id": "p1", "outbox_pending": False})


def kinds(client, names, dead_letters=()):
    return sorted(kind for kind, _ in xj_check.check(client, names, dead_letters))


def test_stores_that_agree_report_nothing(stores):
    client, names, uri = stores
    assert kinds(client, names) == []
    assert xj_check.main(["--uri", uri, "--no-broker", *[f"--database={s}={n}" for s, n in names.items()]]) == 0


def test_a_filed_certificate_whose_holder_left_is_reported(stores):
    client, names, _ = stores
    client[names["employment"]].employments.update_one({"_id": "e1"}, {"$set": {"status": "terminated"}})
    assert kinds(client, names) == ["filed_certificate_without_active_employment"]


def test_a_person_with_two_active_employments_is_reported(stores):
    client, names, _ = stores
    client[names["employment"]].employments.insert_one(
        {"_id": "e2", "person_id": "p1", "enterprise_uscc": OTHER, "status": "active"})
    assert kinds(client, names) == ["two_active_employments"]


def test_a_public_listing_behind_missing_or_without_registration_is_reported(stores):
    client, names, _ = stores
    client[names["filing"]].registrations.update_one({"_id": f"{USCC}:construction"}, {"$set": {"booklet_serial": 4}})
    client[names["filing"]].registrations.insert_one(
        {"_id": f"{USCC}:supervision", "uscc": USCC, "enterprise_type": "supervision", "booklet_serial": 1})
    client[names["publicity"]].enterprises.insert_one({"_id": OTHER, "registrations": {"cost": {"serial": 1}}})
    assert kinds(client, names) == ["listing_out_of_date", "listing_without_registration", "registration_not_listed"]


def test_pending_outboxes_and_dead_letters_are_reported(stores, capsys):
    client, names, uri = stores
    client[names["cert"]].certificates.update_one({"_id": "c1"}, {"$set": {"outbox_pending": True}})
    found = xj_check.check(client, names, [("xj.dlq.publicity.on_registration_changed", 2), ("xj.dlq.x.y", 0)])
    assert found == [("outbox_pending", "cert: 1 document(s) in certificates"),
                     ("dead_letters", "xj.dlq.publicity.on_registration_changed: 2 message(s)")]
    assert xj_check.main(["--uri", uri, "--no-broker", *[f"--database={s}={n}" for s, n in names.items()]]) == 1
    assert "outbox_pending: cert: 1 document(s) in certificates" in capsys.readouterr().out
