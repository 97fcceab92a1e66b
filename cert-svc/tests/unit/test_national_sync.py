"""Sync of registered certificates from the national platform, on the service layer with fakes."""
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import ConcurrencyConflict
from xjkit.testdata import make_id_card, make_uscc

from certs.adapters.concurrency import green_map
from certs.domain.certificate import DETACHED, EXPIRED, REGISTERED, VALID
from certs.domain.errors import NationalPlatformUnavailable
from certs.service_layer.national_sync import merge_rows, sync_registered

from cert_fakes import FakeCertificatesUnitOfWork, FakeIdentityNumbers, FakeNational, FakeStaff

OURS, OTHER = make_uscc(region="510100", body8="MA6CAAAA"), make_uscc(region="610100", body8="MA6CBBBB")
OUR_UNIT, OTHER_UNIT = "四川测试建设集团有限公司", "陕西测试建设有限公司"
ALICE, BOB, CAROL, DAVE = (make_id_card(birth="19900101", seq=f"{n:03d}") for n in (11, 12, 13, 14))
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)


class World:
    def __init__(self):
        self.uow, self.staff = FakeCertificatesUnitOfWork(), FakeStaff()
        self.certificates = self.uow.certificates
        self.identity, self.national = FakeIdentityNumbers(), FakeNational()
        self.clock = FixedClock(NOW)

    def hire(self, person_id, name, id_card_no, uscc=OURS, verified=True):
        self.staff.employ(uscc, person_id, name, id_card_no)
        if verified:
            self.identity.register(person_id, id_card_no)
        self.national.add_person(id_card_no, name)

    def register(self, id_card_no, cert_no, uscc=OURS, unit=OUR_UNIT, **fields):
        self.national.register(id_card_no, "某人", cert_no, uscc, unit, **fields)

    def sync(self, uscc=OURS, **kwargs):
        return sync_registered(self.uow, self.staff, self.identity, self.national, self.clock, uscc,
                               **kwargs)

    def stored(self, uscc=OURS):
        return self.certificates.registered_of(uscc)

    def event_types(self):
        return [e.type for e in self.certificates.events]


@pytest.fixture
def world():
    world = World()
    world.hire("alice", "张三", ALICE)
    world.hire("bob", "李四", BOB)
    return world


def test_three_speciality_rows_of_one_certificate_become_one_certificate_with_three_specialties(world):
    world.register(ALICE, "川1234", specialties=("建筑工程", "市政公用工程", "机电工程"), seal_no="川印001",
                   valid_from="2025-03-01", valid_until="2028-02-28")

    result = world.sync()

    [certificate] = world.stored()
    assert certificate.specialties == ["建筑工程", "市政公用工程", "机电工程"]
    assert (certificate.kind, certificate.source, certificate.status) == (REGISTERED, "national", VALID)
    assert (certificate.person_id, certificate.person_name) == ("alice", "张三")
    assert certificate.id_card_masked == ALICE[:6] + "********" + ALICE[-4:]
    assert (certificate.issued_on, certificate.valid_until) == ("2025-03-01", "2028-02-28")
    assert certificate.details == {"seal_no": "川印001", "registered_unit": OUR_UNIT}
    assert certificate.synced_at == NOW
    [view] = result["added"]
    assert view["cert_no"] == "川1234" and view["specialties"] == ["建筑工程", "市政公用工程", "机电工程"]
    assert (result["updated"], result["unchanged"], result["refused"], result["missing"]) == ([], 0, [], [])
    assert result["synced_at"] == NOW
    assert world.event_types() == ["cert.registered_synced"]
    assert world.certificates.events[0].payload["specialties"] == ["建筑工程", "市政公用工程", "机电工程"]
    assert ALICE not in str(world.certificates.events[0].payload)  # never a full ID number


def test_merging_keeps_the_platforms_order_and_never_repeats_a_speciality():
    row = {"cert_no": "C1", "type": "一级注册建造师", "registered_uscc": OURS, "valid_until": "2028-01-01"}
    rows = [{**row, "specialty": "市政公用工程"}, {**row, "specialty": "建筑工程"},
            {**row, "specialty": "市政公用工程"}, {**row, "cert_no": "C2", "specialty": "建筑工程"}]
    records = merge_rows(rows)
    assert [(r["cert_no"], r["specialties"]) for r in records] == [("C1", ["市政公用工程", "建筑工程"]),
                                                                   ("C2", ["建筑工程"])]


def test_a_resync_updates_the_certificate_in_place_without_a_duplicate(world):
    world.register(ALICE, "川1234", specialties=("建筑工程",), valid_until="2027-06-30")
    first = world.sync()
    certificate_id = first["added"][0]["id"]

    world.national.withdraw(ALICE, "川1234")
    world.register(ALICE, "川1234", specialties=("建筑工程", "机电工程"), valid_until="2030-06-30")
    world.clock.advance(days=1)
    second = world.sync()

    [certificate] = world.stored()
    assert certificate.certificate_id == certificate_id
    assert certificate.valid_until == "2030-06-30"
    assert certificate.specialties == ["建筑工程", "机电工程"]
    assert certificate.synced_at == NOW + datetime.timedelta(days=1)
    assert certificate.created_at == NOW
    assert second["added"] == [] and [v["id"] for v in second["updated"]] == [certificate_id]
    assert second["updated"][0]["valid_until"] == "2030-06-30"
    assert world.event_types() == ["cert.registered_synced", "cert.registered_synced"]


def test_a_resync_with_nothing_changed_counts_unchanged_records_the_sync_time_and_sends_no_event(world):
    world.register(ALICE, "川1234")
    world.register(BOB, "川5678", specialties=("建筑工程", "市政公用工程"))
    world.sync()
    world.clock.advance(hours=2)

    result = world.sync()

    assert (result["added"], result["updated"], result["unchanged"]) == ([], [], 2)
    assert {c.synced_at for c in world.stored()} == {NOW + datetime.timedelta(hours=2)}
    assert {c.updated_at for c in world.stored()} == {NOW}
    assert len(world.stored()) == 2
    assert world.event_types() == ["cert.registered_synced"] * 2  # only the first sync's adds


def test_a_resync_brings_back_an_expired_or_detached_certificate_the_platform_still_lists(world):
    world.register(ALICE, "川1234")
    world.register(BOB, "川5678")
    world.sync()
    for cert_no, status in (("川1234", EXPIRED), ("川5678", DETACHED)):
        stored = world.certificates.find_by_key(OURS, REGISTERED, cert_no)
        stored.status = status
        world.certificates.put(stored)

    result = world.sync()

    assert sorted(v["cert_no"] for v in result["updated"]) == ["川1234", "川5678"]
    assert {c.status for c in world.stored()} == {VALID}


def test_a_certificate_registered_to_another_unit_is_refused_with_that_unit_named(world):
    world.register(ALICE, "陕1111", uscc=OTHER, unit=OTHER_UNIT, type="注册监理工程师")

    result = world.sync()

    assert result["refused"] == [{"cert_no": "陕1111", "person_id": "alice", "person_name": "张三",
                                  "type": "注册监理工程师", "reason": f"证书注册单位为{OTHER_UNIT}，不是本企业"}]
    assert result["added"] == [] and world.stored() == []
    assert world.event_types() == []


def test_an_expired_certificate_is_refused_with_its_end_date_and_one_ending_today_is_taken(world):
    world.register(ALICE, "川0001", valid_until="2026-11-24")
    world.register(BOB, "川0002", valid_until="2026-11-25")

    result = world.sync()

    assert result["refused"] == [{"cert_no": "川0001", "person_id": "alice", "person_name": "张三",
                                  "type": "一级注册建造师", "reason": "证书已于2026-11-24过期"}]
    assert [v["cert_no"] for v in result["added"]] == ["川0002"]
    assert [c.cert_no for c in world.stored()] == ["川0002"]


def test_today_is_the_shanghai_date_not_the_utc_one(world):
    world.register(ALICE, "川0001", valid_until="2026-11-25")
    world.clock.set(datetime.datetime(2026, 11, 25, 16, 30, tzinfo=datetime.timezone.utc))  # 26 Nov 00:30 +08

    result = world.sync()

    assert [r["reason"] for r in result["refused"]] == ["证书已于2026-11-25过期"]


def test_a_certificate_without_a_validity_end_is_refused(world):
    world.register(ALICE, "川0001", valid_until=None)

    result = world.sync()

    assert [r["reason"] for r in result["refused"]] == ["全国平台未提供该证书的有效期，无法确认是否在有效期内"]
    assert world.stored() == []


def test_national_platform_down_raises_and_stores_nothing(world):
    world.register(ALICE, "川1234")
    world.national.outage = True

    with pytest.raises(NationalPlatformUnavailable):
        world.sync()

    assert world.stored() == [] and world.certificates.writes == 0 and world.certificates.events == []


def test_a_failure_on_the_last_person_leaves_every_earlier_answer_unwritten(world):
    world.register(ALICE, "川1234")
    world.register(BOB, "川5678")
    world.hire("carol", "王五", CAROL)
    world.register(CAROL, "川9999")
    world.national.failing = {CAROL}

    with pytest.raises(NationalPlatformUnavailable):
        world.sync()

    assert world.national.calls == [ALICE, BOB, CAROL]  # the earlier persons were answered
    assert world.stored() == [] and world.certificates.writes == 0


def test_a_failed_resync_leaves_the_stored_certificates_as_they_were(world):
    world.register(ALICE, "川1234", valid_until="2027-01-01")
    world.sync()
    before = world.stored()
    world.national.change(ALICE, "川1234", valid_until="2031-01-01")
    world.national.failing = {BOB}

    with pytest.raises(NationalPlatformUnavailable):
        world.sync()

    assert world.stored() == before


def test_certificates_of_a_person_not_employed_here_are_not_fetched(world):
    world.national.add_person(CAROL, "王五")
    world.register(CAROL, "川9999")  # registered to us at the platform, but not on our staff
    world.hire("dave", "赵六", DAVE, uscc=OTHER)  # employed by another enterprise
    world.register(DAVE, "川8888")

    result = world.sync()

    assert CAROL not in world.national.calls and DAVE not in world.national.calls
    assert result["added"] == [] and world.stored() == []


def test_a_person_without_registered_certificates_contributes_nothing(world):
    world.register(BOB, "川5678")

    result = world.sync()

    assert [v["person_id"] for v in result["added"]] == ["bob"]
    assert (result["refused"], result["missing"]) == ([], [])
    assert [c.person_id for c in world.stored()] == ["bob"]


def test_an_enterprise_without_staff_asks_nobody(world):
    result = world.sync(uscc=OTHER)

    assert world.national.calls == [] and world.identity.calls == []
    assert (result["added"], result["updated"], result["unchanged"], result["refused"], result["missing"]) == \
        ([], [], 0, [], [])


def test_an_unverified_staff_member_is_not_queried(world):
    world.hire("carol", "王五", CAROL, verified=False)

    world.sync()

    assert sorted(world.national.calls) == sorted([ALICE, BOB])


def test_one_staff_call_one_identity_call_and_one_national_call_per_person(world):
    world.hire("carol", "王五", CAROL)
    world.register(ALICE, "川0001", specialties=("建筑工程", "市政公用工程", "机电工程"))
    world.register(ALICE, "川0002", type="一级注册造价工程师", specialties=("土木建筑工程", "安装工程"))
    world.register(BOB, "川0003", specialties=("建筑工程", "市政公用工程"))

    result = world.sync()

    assert world.staff.calls == 1
    assert world.identity.calls == [["alice", "bob", "carol"]]
    assert world.national.calls == [ALICE, BOB, CAROL]
    assert len(result["added"]) == 3


def test_the_national_calls_go_through_the_given_concurrent_map(world):
    world.hire("carol", "王五", CAROL)
    for number, id_card_no in enumerate((ALICE, BOB, CAROL)):
        world.register(id_card_no, f"川000{number}", specialties=("建筑工程", "市政公用工程", "机电工程"))
    used = []

    def pooled(fn, items):
        items = list(items)
        used.append(len(items))
        return green_map(fn, items, size=2)

    result = world.sync(map_concurrently=pooled)

    assert used == [3]
    assert sorted(world.national.calls) == sorted([ALICE, BOB, CAROL])
    # results are matched to the right persons whatever order the calls finished in
    assert {(v["person_id"], v["cert_no"]) for v in result["added"]} == {("alice", "川0000"), ("bob", "川0001"),
                                                                         ("carol", "川0002")}


def test_a_failure_in_the_pool_raises_and_stores_nothing(world):
    world.register(ALICE, "川1234")
    world.national.failing = {BOB}

    with pytest.raises(NationalPlatformUnavailable):
        world.sync(map_concurrently=lambda fn, items: green_map(fn, items, size=10))

    assert world.stored() == []


def test_a_certificate_the_platform_no_longer_lists_is_kept_and_reported_missing(world):
    world.register(ALICE, "川0001")
    world.register(ALICE, "川0002", type="一级注册造价工程师")
    world.sync()
    world.national.withdraw(ALICE, "川0002")

    result = world.sync()

    assert result["missing"] == [{"cert_no": "川0002", "person_id": "alice"}]
    assert result["unchanged"] == 1
    kept = world.certificates.find_by_key(OURS, REGISTERED, "川0002")
    assert kept is not None and kept.status == VALID and kept.synced_at == NOW


def test_a_certificate_now_registered_elsewhere_is_refused_and_not_reported_missing(world):
    world.register(ALICE, "川0001")
    world.sync()
    world.national.change(ALICE, "川0001", registered_uscc=OTHER, registered_unit=OTHER_UNIT)

    result = world.sync()

    assert [r["reason"] for r in result["refused"]] == [f"证书注册单位为{OTHER_UNIT}，不是本企业"]
    assert result["missing"] == []


def test_a_concurrent_change_on_save_is_reloaded_and_retried_once(world):
    world.register(ALICE, "川0001", valid_until="2027-01-01")
    world.sync()
    world.national.change(ALICE, "川0001", valid_until="2030-01-01")

    def someone_files_it(repository):
        stored = repository.find_by_key(OURS, REGISTERED, "川0001")
        stored.filed = True
        repository.put(stored)
    world.certificates.before_next_write = someone_files_it

    result = world.sync()

    [certificate] = world.stored()
    assert certificate.valid_until == "2030-01-01" and certificate.filed is True  # both changes kept
    assert [v["cert_no"] for v in result["updated"]] == ["川0001"]


def test_changes_that_keep_colliding_give_up_with_a_conflict_after_the_bound(world):
    from xjkit.retry import CONFLICT_ATTEMPTS

    world.register(ALICE, "川0001", valid_until="2027-01-01")
    world.sync()
    world.national.change(ALICE, "川0001", valid_until="2030-01-01")
    writes = []

    def someone_writes(repository):  # before every write of the sync, another writer gets there first
        stored = repository.find_by_key(OURS, REGISTERED, "川0001")
        repository.put(stored)
        writes.append(1)
        repository.before_next_write = someone_writes
    world.certificates.before_next_write = someone_writes

    with pytest.raises(ConcurrencyConflict):
        world.sync()
    assert len(writes) == CONFLICT_ATTEMPTS  # one collision per try, then it gives up


def test_a_certificate_added_meanwhile_by_another_sync_is_updated_not_duplicated(world):
    world.register(ALICE, "川0001")

    def other_sync_first(repository):
        other = World()
        other.uow = FakeCertificatesUnitOfWork(repository.sharing_storage())
        other.staff, other.identity, other.national = world.staff, world.identity, world.national
        other.sync()
    world.certificates.before_next_write = other_sync_first

    result = world.sync()

    assert len(world.stored()) == 1
    assert result["added"] == [] and result["unchanged"] == 1


def test_a_number_held_here_by_another_person_is_refused_not_taken_over(world):
    world.register(ALICE, "川0001")
    world.sync()
    world.national.withdraw(ALICE, "川0001")
    world.register(BOB, "川0001")

    result = world.sync()

    assert [(r["person_id"], r["reason"]) for r in result["refused"]] == [
        ("bob", "本企业已有该证书编号的证书，登记在其他人员名下，请核实")]
    [certificate] = world.stored()
    assert certificate.person_id == "alice"
    assert result["missing"] == [{"cert_no": "川0001", "person_id": "alice"}]
