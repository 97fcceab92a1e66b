"""Entered certificates, the title flow with every out-of-order step, detachment and expiry,
on the service layer with fakes."""
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import ValidationFailed
from xjkit.testdata import make_id_card, make_uscc

from cert_fakes import FakeCertificatesUnitOfWork, FakePersonFiles, FakeStaff
from certs.domain.errors import (
    CertificateExists, CertificateFiled, CertificateNotFound, CertificateStateConflict, NotEmployedAnywhere,
    PersonNotEmployed,
)
from certs.service_layer import certificates as use_cases

ENT_A, ENT_B = make_uscc(region="510100"), make_uscc(region="610100")
ALICE_ID = make_id_card(region="510104", birth="19900101", seq="123")
TITLE = {"name": "工程师", "level": "中级", "specialty": "建筑工程", "cert_no": "川职2020-001",
         "issued_on": "2020-06-01", "issuer": "四川省人力资源和社会保障厅"}


@pytest.fixture
def world():
    class World:
        uow, staff, person_files = FakeCertificatesUnitOfWork(), FakeStaff(), FakePersonFiles()
        certificates = uow.certificates
        clock = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))

        def add(self, kind, uscc=ENT_A, person_id="alice", **fields):
            return use_cases.add_certificate(self.uow, self.staff, self.clock, uscc, person_id, kind, fields)

        def title(self, person_id="alice", **changes):
            return use_cases.register_title(self.uow, self.staff, self.person_files, self.clock, person_id, {**TITLE, **changes})

        def types(self):
            return [e.type for e in self.certificates.events]
    world = World()
    world.staff.employ(ENT_A, "alice", "张三", ALICE_ID)
    return world


# the four kinds the enterprise enters ---------------------------------------------------------

@pytest.mark.parametrize("kind, fields, shown_type", [
    ("tech_worker", {"type": "钢筋工", "level": "高级工", "cert_no": "T-1", "issuer": "人社局"}, "钢筋工"),
    ("special_operation", {"type": "电工作业", "cert_no": "S-1", "issuer": "应急管理厅", "valid_until": "2028-01-01"},
     "电工作业"),
    ("post", {"type": "施工员", "cert_no": "P-1", "issuer": "住建厅"}, "施工员"),
    ("safety", {"level": "B", "cert_no": "川建安B(2024)1", "issuer": "住建厅", "valid_until": "2027-05-01"},
     "安全生产考核合格证书（B类）"),
])
def test_each_entered_kind_is_stored_valid_for_an_employee(world, kind, fields, shown_type):
    added = world.add(kind, **fields)
    assert (added["kind"], added["type"], added["status"], added["source"]) == (kind, shown_type, "valid", "enterprise")
    assert added["person_name"] == "张三" and added["id_card_masked"] == ALICE_ID[:6] + "********" + ALICE_ID[-4:]
    assert world.types() == ["cert.certificate_added"]


@pytest.mark.parametrize("kind, fields, field", [
    ("tech_worker", {"type": "钢筋工", "cert_no": "T-1", "issuer": "人社局"}, "level"),
    ("tech_worker", {"type": "钢筋工", "level": "大师", "cert_no": "T-1", "issuer": "人社局"}, "level"),
    ("special_operation", {"type": "电工作业", "cert_no": "S-1", "issuer": "厅"}, "valid_until"),
    ("post", {"type": "项目经理", "cert_no": "P-1", "issuer": "厅"}, "type"),
    ("post", {"type": "施工员", "level": "一级", "cert_no": "P-1", "issuer": "厅"}, "level"),
    ("safety", {"level": "D", "cert_no": "X", "issuer": "厅", "valid_until": "2027-01-01"}, "level"),
    ("safety", {"type": "随便", "level": "A", "cert_no": "X", "issuer": "厅", "valid_until": "2027-01-01"}, "type"),
    ("post", {"type": "施工员", "issuer": "厅"}, "cert_no"),
    ("post", {"type": "施工员", "cert_no": "P", "issuer": "厅", "issued_on": "2027-01-01"}, "issued_on"),
    ("post", {"type": "施工员", "cert_no": "P", "issuer": "厅", "issued_on": "2024-01-01",
              "valid_until": "2023-01-01"}, "valid_until"),
    ("post", {"type": "施工员", "cert_no": "P", "issuer": "厅", "status": "valid"}, "status"),
])
def test_entered_fields_are_checked_per_kind_and_nothing_is_stored(world, kind, fields, field):
    with pytest.raises(ValidationFailed) as refused:
        world.add(kind, **fields)
    assert field in refused.value.errors
    assert world.certificates.items == {}


def test_only_actively_employed_staff_can_have_certificates_entered(world):
    with pytest.raises(PersonNotEmployed):
        world.add("post", uscc=ENT_B, type="施工员", cert_no="P-1", issuer="厅")
    world.staff.leave("alice")
    with pytest.raises(PersonNotEmployed):
        world.add("post", type="施工员", cert_no="P-1", issuer="厅")


def test_the_same_certificate_number_twice_is_refused(world):
    world.add("post", type="施工员", cert_no="P-1", issuer="厅")
    with pytest.raises(CertificateExists):
        world.add("post", type="质量员", cert_no="P-1", issuer="厅")


def test_a_certificate_entered_past_its_validity_is_marked_expired_and_not_fileable(world):
    added = world.add("special_operation", type="焊接与热切割作业", cert_no="S-9", issuer="厅",
                      issued_on="2020-01-01", valid_until="2026-01-01")
    assert added["status"] == "expired"
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [added["id"]], [])
    assert world.certificates.get(added["id"]).filed is False


def test_an_enterprise_never_sees_another_enterprises_certificates(world):
    added = world.add("post", type="施工员", cert_no="P-1", issuer="厅")
    with pytest.raises(CertificateNotFound):
        use_cases.get_for_enterprise(world.uow, ENT_B, added["id"])
    assert use_cases.list_for_enterprise(world.uow, ENT_B, None, None, 1, 20)["total"] == 0
    assert use_cases.list_for_enterprise(world.uow, ENT_A, "post", "alice", 1, 20)["total"] == 1


# titles ---------------------------------------------------------------------------------------

def test_a_person_registers_a_title_pending_at_the_current_employer(world):
    registered = world.title()
    assert (registered["status"], registered["enterprise_uscc"], registered["specialties"]) == (
        "pending_confirmation", ENT_A, ["建筑工程"])


def test_a_person_without_an_employer_cannot_register_a_title(world):
    world.staff.leave("alice")
    with pytest.raises(NotEmployedAnywhere):
        world.title()


def test_the_whole_title_change_flow_in_order(world):
    cid = world.title()["id"]
    use_cases.confirm_title(world.uow, world.clock, ENT_A, cid, "甲企业")
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [cid], [])
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [], [cid])  # 1. its filing is cancelled
    use_cases.revoke_title(world.uow, world.clock, ENT_A, cid, "甲企业")  # 2. the enterprise revokes
    changed = use_cases.reregister_title(world.uow, world.person_files, world.clock, "alice", cid,
                                         {**TITLE, "level": "副高级"})             # 3. the person re-registers
    assert (changed["status"], changed["level"]) == ("pending_confirmation", "副高级")
    use_cases.confirm_title(world.uow, world.clock, ENT_A, cid, "甲企业")  # 4. confirmed again
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [cid], [])  # 5. filed
    assert world.certificates.get(cid).filed is True
    assert world.types().count("cert.title_confirmed") == 2
    assert world.types().count("cert.title_revoked") == 1


def test_out_of_order_title_steps_are_refused_with_why(world):
    cid = world.title()["id"]
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [cid], [])  # a title nobody confirmed
    assert world.certificates.get(cid).filed is False                                 # is not filed
    with pytest.raises(CertificateStateConflict):  # re-registering one that is not revoked
        use_cases.reregister_title(world.uow, world.person_files, world.clock, "alice", cid, TITLE)
    use_cases.confirm_title(world.uow, world.clock, ENT_A, cid)
    with pytest.raises(CertificateStateConflict) as refused:  # confirming twice
        use_cases.confirm_title(world.uow, world.clock, ENT_A, cid)
    assert "已确认" in refused.value.message
    with pytest.raises(CertificateStateConflict):  # changing a confirmed one
        use_cases.reregister_title(world.uow, world.person_files, world.clock, "alice", cid, TITLE)
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [cid], [])
    with pytest.raises(CertificateFiled):  # revoking a filed one before its filing is cancelled
        use_cases.revoke_title(world.uow, world.clock, ENT_A, cid)
    assert world.certificates.get(cid).status == "confirmed"


def test_only_the_employer_confirms_and_only_the_holder_reregisters(world):
    cid = world.title()["id"]
    with pytest.raises(CertificateNotFound):
        use_cases.confirm_title(world.uow, world.clock, ENT_B, cid)
    use_cases.confirm_title(world.uow, world.clock, ENT_A, cid)
    use_cases.revoke_title(world.uow, world.clock, ENT_A, cid)
    with pytest.raises(CertificateNotFound):
        use_cases.reregister_title(world.uow, world.person_files, world.clock, "bob", cid, TITLE)


def test_a_title_registered_twice_is_refused(world):
    world.title()
    with pytest.raises(CertificateExists):
        world.title()


@pytest.mark.parametrize("changes, field", [
    ({"level": "高级"}, "level"), ({"issued_on": "2027-01-01"}, "issued_on"), ({"name": ""}, "name"),
    ({"status": "confirmed"}, "status"),
])
def test_invalid_title_fields_are_refused(world, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        world.title(**changes)
    assert field in refused.value.errors


# employment ended, expiry ---------------------------------------------------------------------

def test_when_employment_ends_the_persons_certificates_leave_the_filed_set_at_once(world):
    entered = world.add("post", type="施工员", cert_no="P-1", issuer="厅")
    title = world.title()["id"]
    use_cases.confirm_title(world.uow, world.clock, ENT_A, title)
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [entered["id"], title], [])
    detached = use_cases.detach_after_employment_ended(world.uow, world.clock, ENT_A, "alice")
    assert sorted(detached) == sorted([entered["id"], title])
    assert all(c.status == "detached" and c.filed is False for c in world.certificates.items.values())
    assert world.types().count("cert.certificate_detached") == 2
    assert use_cases.detach_after_employment_ended(world.uow, world.clock, ENT_A, "alice") == []


def test_certificates_past_validity_are_marked_expired_and_leave_filings(world):
    added = world.add("safety", level="A", cert_no="A-1", issuer="厅", valid_until="2026-12-31")
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [added["id"]], [])
    assert use_cases.expire_due(world.uow, world.clock) == 0
    world.clock.set(datetime.datetime(2027, 1, 1, 0, 0, 1, tzinfo=SHANGHAI))
    assert use_cases.expire_due(world.uow, world.clock) == 1
    stored = world.certificates.get(added["id"])
    assert (stored.status, stored.filed) == ("expired", False)


def test_filing_changes_keep_the_filed_marks_in_step_and_skip_unfileable_ones(world):
    entered = world.add("post", type="施工员", cert_no="P-1", issuer="厅")
    pending_title = world.title()["id"]
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [entered["id"], pending_title], [])
    assert world.certificates.get(entered["id"]).filed is True
    assert world.certificates.get(pending_title).filed is False  # not confirmed: not fileable
    use_cases.apply_filing_change(world.uow, world.clock, ENT_A, [], [entered["id"]])
    assert world.certificates.get(entered["id"]).filed is False
    use_cases.apply_filing_change(world.uow, world.clock, ENT_B, [entered["id"]], [])
    assert world.certificates.get(entered["id"]).filed is False  # another enterprise cannot mark it


def test_certificates_by_ids_gives_only_the_enterprises_own(world):
    entered = world.add("post", type="施工员", cert_no="P-1", issuer="厅")
    assert set(use_cases.certificates_by_ids(world.uow, ENT_A, [entered["id"], "nope"])) == {entered["id"]}
    assert use_cases.certificates_by_ids(world.uow, ENT_B, [entered["id"]]) == {}


def test_a_titles_photo_must_be_the_persons_own_upload(world):
    world.person_files.owners.update({"f" * 32: "alice", "b" * 32: "bob"})
    assert world.title(file_id="f" * 32)["file_id"] == "f" * 32
    with pytest.raises(ValidationFailed) as refused:
        world.title(cert_no="川职2020-002", file_id="b" * 32)
    assert refused.value.errors == {"file_id": ["证书照片不存在，请重新上传"]}
    assert len(world.certificates.items) == 1


def test_a_reregistered_titles_photo_must_be_the_persons_own_upload(world):
    world.person_files.owners.update({"f" * 32: "alice", "b" * 32: "bob"})
    cid = world.title()["id"]
    use_cases.confirm_title(world.uow, world.clock, ENT_A, cid)
    use_cases.revoke_title(world.uow, world.clock, ENT_A, cid)
    with pytest.raises(ValidationFailed):
        use_cases.reregister_title(world.uow, world.person_files, world.clock, "alice", cid,
                                   {**TITLE, "file_id": "b" * 32})
    assert world.certificates.get(cid).status == "revoked"
    changed = use_cases.reregister_title(world.uow, world.person_files, world.clock, "alice", cid,
                                         {**TITLE, "file_id": "f" * 32})
    assert (changed["status"], changed["file_id"]) == ("pending_confirmation", "f" * 32)
