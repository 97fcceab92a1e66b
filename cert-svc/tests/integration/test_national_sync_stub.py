"""The national-platform client against the real stub server (HTTP), and the whole registered sync
with the real store (nx-27017) and the real client; staff and identity are fakes."""
import datetime
import json
import logging

import pytest
import requests

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.polling import free_port
from xjkit.testdata import make_id_card
from xjstubs.config import DEFAULT_NATIONAL_DATA
from xjstubs.server import serve_in_thread

from certs.adapters.concurrency import green_map
from certs.adapters.national import HttpNationalPlatform
from certs.adapters.repositories import MongoCertificatesUnitOfWork
from certs.domain.certificate import REGISTERED
from certs.domain.errors import NationalPlatformUnavailable
from certs.service_layer.national_sync import sync_registered

from cert_fakes import FakeIdentityNumbers, FakeStaff

pytestmark = pytest.mark.integration

SICHUAN = "9151010029141777XB"  # 四川黄河建设集团有限公司 in the fixture
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date().isoformat()
UNKNOWN = make_id_card(region="650102", birth="20000229", seq="998")  # not in the dataset


@pytest.fixture(scope="module")
def dataset():
    return json.loads(DEFAULT_NATIONAL_DATA.read_text(encoding="utf-8"))


@pytest.fixture
def stub():
    server, base_url = serve_in_thread(port=0, env="test", national_data=str(DEFAULT_NATIONAL_DATA))
    yield base_url
    server.shutdown()
    server.server_close()


@pytest.fixture
def national(stub):
    client = HttpNationalPlatform(stub + "/national/api/v1", timeout=5)
    yield client
    client.close()


def outage(stub, mode, **extra):
    requests.post(f"{stub}/stub/national/outage", json={"mode": mode, **extra}, timeout=5).raise_for_status()


def persons_registered_to(dataset, uscc):
    return [p for p in dataset["persons"] if any(c["registered_uscc"] == uscc for c in p["registered_certs"])]


def test_the_client_returns_one_row_per_speciality_of_a_fixture_person(national, dataset):
    person = next(p for p in dataset["persons"] if any(len(c["specialties"]) > 1 for c in p["registered_certs"]))

    rows = national.registered_certificates(person["id_card_no"])

    expected = [(c["cert_no"], s) for c in person["registered_certs"] for s in c["specialties"]]
    assert [(r["cert_no"], r["specialty"]) for r in rows] == expected
    cert = person["registered_certs"][0]
    assert {k: rows[0][k] for k in ("id_card_no", "name", "type", "registered_uscc", "registered_unit",
                                    "valid_from", "valid_until", "seal_no")} == {
        "id_card_no": person["id_card_no"], "name": person["name"], **{k: cert[k] for k in (
            "type", "registered_uscc", "registered_unit", "valid_from", "valid_until", "seal_no")}}


def test_an_unknown_person_is_an_empty_list(national):
    assert national.registered_certificates(UNKNOWN) == []


def test_a_platform_outage_is_national_platform_unavailable_and_the_log_masks_the_id_number(
        stub, national, dataset, caplog):
    id_card_no = dataset["persons"][0]["id_card_no"]
    outage(stub, "down")

    with caplog.at_level(logging.WARNING, logger="certs"), pytest.raises(NationalPlatformUnavailable):
        national.registered_certificates(id_card_no)

    assert "503" in caplog.text and id_card_no[:6] + "********" + id_card_no[-4:] in caplog.text
    assert id_card_no not in caplog.text


def test_a_platform_slower_than_the_timeout_is_national_platform_unavailable(stub, dataset, caplog):
    id_card_no = dataset["persons"][0]["id_card_no"]
    outage(stub, "slow", delay_seconds=2)
    client = HttpNationalPlatform(stub + "/national/api/v1", timeout=0.5)

    with caplog.at_level(logging.WARNING, logger="certs"), pytest.raises(NationalPlatformUnavailable):
        client.registered_certificates(id_card_no)

    assert "Timeout" in caplog.text and id_card_no not in caplog.text


def test_nothing_listening_is_national_platform_unavailable():
    client = HttpNationalPlatform(f"http://127.0.0.1:{free_port()}/national/api/v1", timeout=1)  # nobody listens
    with pytest.raises(NationalPlatformUnavailable):
        client.registered_certificates(UNKNOWN)


class SyncWorld:
    def __init__(self, database, national):
        self.uow = MongoCertificatesUnitOfWork(database)
        self.certificates = self.uow.certificates
        self.certificates.ensure_indexes()
        self.staff, self.identity, self.national = FakeStaff(), FakeIdentityNumbers(), national
        self.clock = FixedClock(NOW)

    def hire(self, uscc, person):
        person_id = f"p-{person['id_card_no'][-6:]}"
        self.staff.employ(uscc, person_id, person["name"], person["id_card_no"])
        self.identity.register(person_id, person["id_card_no"])
        return person_id

    def sync(self, uscc):
        return sync_registered(self.uow, self.staff, self.identity, self.national, self.clock, uscc,
                               map_concurrently=lambda fn, items: green_map(fn, items, size=10))

    def stored(self, uscc):
        items, _ = self.certificates.page_for_enterprise(uscc, REGISTERED, None, 1, 100)
        return sorted(items, key=lambda c: c.cert_no)


def test_the_whole_sync_against_the_stub_and_the_real_store(database, national, stub, dataset):
    world = SyncWorld(database, national)
    ours = persons_registered_to(dataset, SICHUAN)
    bare = next(p for p in dataset["persons"] if not p["registered_certs"])
    elsewhere = next(p for p in dataset["persons"] if p["registered_certs"]
                     and all(c["registered_uscc"] != SICHUAN for c in p["registered_certs"]))
    for person in ours + [bare, elsewhere]:
        world.hire(SICHUAN, person)
    world.hire(SICHUAN, {"id_card_no": UNKNOWN, "name": "不在平台"})
    expected = {c["cert_no"]: c for p in ours for c in p["registered_certs"]
                if c["registered_uscc"] == SICHUAN and c["valid_until"] >= TODAY}
    assert len(expected) >= 3 and any(len(c["specialties"]) > 1 for c in expected.values())

    first = world.sync(SICHUAN)

    assert sorted(v["cert_no"] for v in first["added"]) == sorted(expected)
    stored = world.stored(SICHUAN)
    assert [c.cert_no for c in stored] == sorted(expected)
    for certificate in stored:
        record = expected[certificate.cert_no]
        assert certificate.specialties == record["specialties"]
        assert (certificate.type, certificate.valid_until, certificate.issued_on) == (
            record["type"], record["valid_until"], record["valid_from"])
        assert certificate.details == {"seal_no": record["seal_no"], "registered_unit": record["registered_unit"]}
        assert (certificate.source, certificate.status, certificate.synced_at) == ("national", "valid", NOW)
    assert [(r["cert_no"], r["reason"]) for r in first["refused"]] == [
        (c["cert_no"], f"证书注册单位为{c['registered_unit']}，不是本企业") for c in elsewhere["registered_certs"]]
    assert first["missing"] == [] and first["unchanged"] == 0

    # a re-sync: the same certificates, in place, unchanged but with the new sync time
    world.clock.advance(hours=1)
    second = world.sync(SICHUAN)
    assert (second["added"], second["updated"], second["unchanged"]) == ([], [], len(expected))
    again = world.stored(SICHUAN)
    assert [(c.certificate_id, c.version) for c in again] == [(c.certificate_id, c.version + 1) for c in stored]
    assert {c.synced_at for c in again} == {NOW + datetime.timedelta(hours=1)}

    # the platform goes down: the sync fails and nothing changes
    outage(stub, "down")
    world.clock.advance(hours=1)
    with pytest.raises(NationalPlatformUnavailable):
        world.sync(SICHUAN)
    after = world.stored(SICHUAN)
    assert [(c.certificate_id, c.version, c.synced_at) for c in after] == \
        [(c.certificate_id, c.version, c.synced_at) for c in again]


def test_an_expired_fixture_certificate_is_refused_with_its_end_date(database, national, dataset):
    expired = [(p, c) for p in dataset["persons"] for c in p["registered_certs"] if c["valid_until"] < TODAY]
    if not expired:
        pytest.skip("the fixture has no certificate that ended before 2026-11-25")
    person, cert = expired[0]
    world = SyncWorld(database, national)
    person_id = world.hire(cert["registered_uscc"], person)

    result = world.sync(cert["registered_uscc"])

    assert {"cert_no": cert["cert_no"], "person_id": person_id, "person_name": person["name"],
            "type": cert["type"], "reason": f"证书已于{cert['valid_until']}过期"} in result["refused"]
    assert cert["cert_no"] not in [c.cert_no for c in world.stored(cert["registered_uscc"])]


def test_a_sync_that_fails_on_a_slow_platform_stores_nothing(database, stub, dataset):
    world = SyncWorld(database, HttpNationalPlatform(stub + "/national/api/v1", timeout=0.5))
    for person in persons_registered_to(dataset, SICHUAN):
        world.hire(SICHUAN, person)
    outage(stub, "slow", delay_seconds=2)

    with pytest.raises(NationalPlatformUnavailable):
        world.sync(SICHUAN)

    assert world.stored(SICHUAN) == []
