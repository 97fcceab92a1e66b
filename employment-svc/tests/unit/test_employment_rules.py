"""The hiring rules, on the service layer with fakes."""
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import DomainError, ValidationFailed
from xjkit.testdata import make_id_card, make_uscc

from employment.domain.errors import (
    EmploymentNotFound, EmploymentStateConflict, OfferExists, PersonEmployed, PersonNotFound, PersonNotVerified,
)
from employment.service_layer import audit
from employment.service_layer import employments as use_cases

from employment_fakes import FakeDirectory, FakeEmploymentsUnitOfWork, FakeFaceTickets, FakeFiles, FakeLookupAudit

ALICE_ID = make_id_card(region="510104", birth="19900101", seq="123")
ENT_A, ENT_B, ENT_C = make_uscc(region="510100"), make_uscc(region="610100"), make_uscc(region="620100")


@pytest.fixture
def world():
    class World:
        uow, directory, tickets, files = FakeEmploymentsUnitOfWork(), FakeDirectory(), FakeFaceTickets(), FakeFiles()
        employments = uow.employments
        audit = FakeLookupAudit()
        clock = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
        wall = FixedClock(datetime.datetime(2031, 3, 1, 9, 0, tzinfo=SHANGHAI))

        def lookup(self, uscc, id_card_no=ALICE_ID):
            return use_cases.lookup_person(self.directory, self.uow, self.audit, self.wall, uscc, id_card_no)

        def offer(self, uscc, id_card_no=ALICE_ID, start="2026-12-01", end="2027-11-30", file_id=None):
            file_id = file_id or f"file-{uscc}"
            self.files.owners.setdefault(file_id, uscc)
            return use_cases.make_offer(self.uow, self.directory, self.files, self.clock, uscc,
                                        f"企业{uscc[-4:]}", id_card_no, start, end, file_id)

        def accept(self, person_id, employment_id, verify_id=None):
            verify_id = verify_id or self.tickets.issue(person_id, employment_id)
            return use_cases.accept_offer(self.uow, self.tickets, self.clock, person_id, employment_id, verify_id)

        def event_types(self):
            return [e.type for e in self.employments.events]
    world = World()
    world.directory.add(ALICE_ID, "alice", "张三")
    return world


def test_an_offer_to_a_verified_person_is_pending_and_announced(world):
    offer = world.offer(ENT_A)
    assert (offer["status"], offer["person_name"], offer["enterprise_uscc"]) == ("pending", "张三", ENT_A)
    assert offer["id_card_masked"] == ALICE_ID[:6] + "********" + ALICE_ID[-4:]
    assert world.event_types() == ["employment.offered"]
    payload = world.employments.events[0].payload
    assert payload["person_id"] == "alice" and payload["enterprise_name"] and ALICE_ID not in repr(payload)


def test_an_offer_to_an_unknown_person_is_404(world):
    with pytest.raises(PersonNotFound):
        world.offer(ENT_A, id_card_no=make_id_card(region="110101", birth="19800101", seq="001"))


def test_an_offer_to_an_unverified_person_is_refused(world):
    bob_id = make_id_card(region="110101", birth="19800101", seq="002")
    world.directory.add(bob_id, "bob", "李四", verified=False)
    with pytest.raises(PersonNotVerified):
        world.offer(ENT_A, id_card_no=bob_id)


def test_a_second_pending_offer_from_the_same_enterprise_is_refused(world):
    world.offer(ENT_A)
    with pytest.raises(OfferExists):
        world.offer(ENT_A)


def test_offers_from_different_enterprises_can_be_pending_at_once(world):
    world.offer(ENT_A)
    world.offer(ENT_B)
    assert len(world.employments.pending_of("alice")) == 2


def test_an_offer_to_an_actively_employed_person_is_refused_with_the_reason(world):
    world.accept("alice", world.offer(ENT_A)["id"])
    with pytest.raises(PersonEmployed) as refused:
        world.offer(ENT_B)
    assert "在职" in refused.value.message


def test_accepting_makes_the_employment_active(world):
    accepted = world.accept("alice", world.offer(ENT_A)["id"])
    assert accepted["status"] == "active" and accepted["decided_at"] == world.clock.now()
    assert use_cases.current_employment(world.uow, "alice")["id"] == accepted["id"]
    assert world.event_types()[-1] == "employment.accepted"


def test_accepting_needs_a_face_ticket_for_that_very_offer(world):
    first, second = world.offer(ENT_A), world.offer(ENT_B)
    ticket_for_second = world.tickets.issue("alice", second["id"])
    with pytest.raises(DomainError) as refused:
        world.accept("alice", first["id"], verify_id=ticket_for_second)
    assert refused.value.code == "FACE_CHECK_NOT_FOUND"
    assert world.employments.get(first["id"]).status == "pending"


def test_an_accepted_offer_cannot_be_accepted_again_and_no_ticket_is_spent(world):
    offer = world.offer(ENT_A)
    world.accept("alice", offer["id"])
    fresh_ticket = world.tickets.issue("alice", offer["id"])
    with pytest.raises(EmploymentStateConflict):
        world.accept("alice", offer["id"], verify_id=fresh_ticket)
    assert fresh_ticket in world.tickets.issued


def test_a_person_cannot_accept_someone_elses_offer(world):
    bob_id = make_id_card(region="110101", birth="19800101", seq="004")
    world.directory.add(bob_id, "bob", "李四")
    offer_to_bob = world.offer(ENT_A, id_card_no=bob_id)
    with pytest.raises(EmploymentNotFound):
        world.accept("alice", offer_to_bob["id"], verify_id=world.tickets.issue("alice", offer_to_bob["id"]))


def test_the_second_of_two_accepts_loses_and_its_offer_is_withdrawn(world):
    first, second = world.offer(ENT_A), world.offer(ENT_B)
    world.accept("alice", first["id"])
    with pytest.raises(PersonEmployed):
        # the person accepts the other offer before the withdrawal reached it
        use_cases.accept_offer(world.uow, world.tickets, world.clock, "alice", second["id"],
                               world.tickets.issue("alice", second["id"]))
    assert world.employments.get(second["id"]).status == "cancelled"
    assert world.employments.get(second["id"]).end_reason == "accepted_elsewhere"
    assert [e.status for e in world.employments.items.values()].count("active") == 1


def test_an_offer_cancelled_while_the_face_check_runs_is_not_accepted(world):
    offer = world.offer(ENT_A)
    verify_id = world.tickets.issue("alice", offer["id"])
    consume = world.tickets.consume

    enterprise = FakeEmploymentsUnitOfWork(world.employments.sharing_storage())

    def consume_while_the_enterprise_cancels(*args):
        use_cases.cancel_offer(enterprise, world.clock, ENT_A, offer["id"])
        return consume(*args)
    world.tickets.consume = consume_while_the_enterprise_cancels
    with pytest.raises(EmploymentStateConflict):
        world.accept("alice", offer["id"], verify_id=verify_id)
    assert world.employments.get(offer["id"]).status == "cancelled"
    assert "employment.accepted" not in world.event_types()


def test_an_offer_is_read_once_by_an_accept_without_conflicts(world):
    offer = world.offer(ENT_A)
    reads = []
    get = world.employments.get
    world.employments.get = lambda employment_id: reads.append(employment_id) or get(employment_id)
    assert world.accept("alice", offer["id"])["status"] == "active"
    assert reads == [offer["id"]]


def test_accepting_one_offer_withdraws_the_others(world):
    first, second, third = world.offer(ENT_A), world.offer(ENT_B), world.offer(ENT_C)
    world.accept("alice", second["id"])
    assert use_cases.withdraw_other_offers(world.uow, world.clock, "alice", second["id"]) == 2
    assert use_cases.withdraw_other_offers(world.uow, world.clock, "alice", second["id"]) == 0
    statuses = {e.employment_id: e.status for e in world.employments.items.values()}
    assert statuses == {first["id"]: "cancelled", second["id"]: "active", third["id"]: "cancelled"}
    assert world.event_types().count("employment.withdrawn") == 2


def test_a_rejected_offer_is_final(world):
    offer = world.offer(ENT_A)
    rejected = use_cases.reject_offer(world.uow, world.clock, "alice", offer["id"], "另有安排")
    assert rejected["status"] == "rejected"
    with pytest.raises(EmploymentStateConflict):
        world.accept("alice", offer["id"])


def test_the_enterprise_can_cancel_only_a_pending_offer(world):
    offer = world.offer(ENT_A)
    assert use_cases.cancel_offer(world.uow, world.clock, ENT_A, offer["id"])["status"] == "cancelled"
    with pytest.raises(EmploymentStateConflict):
        use_cases.cancel_offer(world.uow, world.clock, ENT_A, offer["id"])


def test_an_enterprise_cannot_touch_another_enterprises_employment(world):
    offer = world.offer(ENT_A)
    with pytest.raises(EmploymentNotFound):
        use_cases.cancel_offer(world.uow, world.clock, ENT_B, offer["id"])
    with pytest.raises(EmploymentNotFound):
        use_cases.get_for_enterprise(world.uow, ENT_B, offer["id"])
    assert use_cases.list_for_enterprise(world.uow, ENT_B, None, 1, 20)["total"] == 0


def test_either_side_can_terminate_an_active_employment(world):
    offer = world.offer(ENT_A)
    world.accept("alice", offer["id"])
    ended = use_cases.terminate_by_person(world.uow, world.clock, "alice", offer["id"])
    assert (ended["status"], ended["end_reason"]) == ("terminated", "terminated_by_person")
    again = world.offer(ENT_B)  # free to be hired again
    world.accept("alice", again["id"])
    ended = use_cases.terminate_by_enterprise(world.uow, world.clock, ENT_B, again["id"])
    assert ended["end_reason"] == "terminated_by_enterprise"


def test_every_change_records_its_event_with_the_state_after_it(world):
    bob_id = make_id_card(region="110101", birth="19800101", seq="006")
    world.directory.add(bob_id, "bob", "李四")
    use_cases.cancel_offer(world.uow, world.clock, ENT_A, world.offer(ENT_A)["id"])
    use_cases.reject_offer(world.uow, world.clock, "alice", world.offer(ENT_B)["id"])
    hired = world.offer(ENT_C)["id"]
    world.accept("alice", hired)
    use_cases.terminate_by_enterprise(world.uow, world.clock, ENT_C, hired)
    world.accept("bob", world.offer(ENT_A, id_card_no=bob_id)["id"])
    assert [(e.type, e.payload["status"], e.payload["end_reason"]) for e in world.employments.events] == [
        ("employment.offered", "pending", None), ("employment.cancelled", "cancelled", "cancelled_by_enterprise"),
        ("employment.offered", "pending", None), ("employment.rejected", "rejected", None),
        ("employment.offered", "pending", None), ("employment.accepted", "active", None),
        ("employment.terminated", "terminated", "terminated_by_enterprise"),
        ("employment.offered", "pending", None), ("employment.accepted", "active", None),
    ]
    assert {e.payload["person_id"] for e in world.employments.events} == {"alice", "bob"}
    assert all(e.occurred_at == world.clock.now().isoformat() for e in world.employments.events)
    assert set(world.employments.events[0].payload) == {
        "employment_id", "person_id", "person_name", "id_card_masked", "enterprise_uscc", "enterprise_name",
        "contract_start", "contract_end", "status", "end_reason"}


def test_a_pending_offer_cannot_be_terminated(world):
    offer = world.offer(ENT_A)
    with pytest.raises(EmploymentStateConflict):
        use_cases.terminate_by_enterprise(world.uow, world.clock, ENT_A, offer["id"])


def test_contracts_that_ended_expire_and_free_the_person(world):
    offer = world.offer(ENT_A, start="2026-01-01", end="2026-12-31")
    world.accept("alice", offer["id"])
    assert use_cases.expire_due(world.uow, world.clock) == 0
    world.clock.set(datetime.datetime(2027, 1, 1, 0, 0, 1, tzinfo=SHANGHAI))
    assert use_cases.expire_due(world.uow, world.clock) == 1
    assert world.employments.get(offer["id"]).status == "expired"
    assert use_cases.current_employment(world.uow, "alice") is None
    assert world.event_types()[-1] == "employment.expired"


def test_a_contract_ending_today_has_not_expired_yet(world):
    offer = world.offer(ENT_A, start="2026-01-01", end="2026-12-31")
    world.accept("alice", offer["id"])
    world.clock.set(datetime.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI))
    assert use_cases.expire_due(world.uow, world.clock) == 0


@pytest.mark.parametrize("start, end, field, message", [
    ("2026-12-01", "2026-12-01", "contract_end", "合同结束日期应晚于开始日期"),
    ("2026-12-01", "2026-11-30", "contract_end", "合同结束日期应晚于开始日期"),
    ("2025-11-24", "2027-01-01", "contract_start", "合同开始日期不能早于1年前"),
    ("2026-12-01", "2036-12-02", "contract_end", "合同期限不能超过10年"),
    ("2025-12-01", "2026-11-24", "contract_end", "合同结束日期不能早于今天"),
    ("2026-13-01", "2027-01-01", "contract_start", "日期格式应为YYYY-MM-DD"),
])
def test_contract_periods_are_checked_with_a_message_each(world, start, end, field, message):
    with pytest.raises(ValidationFailed) as refused:
        world.offer(ENT_A, start=start, end=end)
    assert refused.value.errors[field] == [message]
    assert world.employments.items == {}


def test_a_ten_year_contract_and_a_start_one_year_back_are_accepted(world):
    assert world.offer(ENT_A, start="2025-11-25", end="2035-11-25")["status"] == "pending"


def test_a_contract_file_of_another_enterprise_is_refused(world):
    world.files.owners["their-file"] = ENT_B
    with pytest.raises(ValidationFailed) as refused:
        world.offer(ENT_A, file_id="their-file")
    assert "contract_file_id" in refused.value.errors


def test_lookup_says_whether_and_why_a_person_is_employable(world):
    assert world.lookup(ENT_A)["employable"] is True
    world.accept("alice", world.offer(ENT_A)["id"])
    mine = world.lookup(ENT_A)
    theirs = world.lookup(ENT_B)
    assert (mine["employable"], mine["reason"]) == (False, "该人员已在本企业在职")
    assert (theirs["employable"], theirs["reason"]) == (False, PersonEmployed.message)


def test_every_lookup_found_or_not_is_audited_with_a_masked_id_and_wall_time(world):
    world.lookup(ENT_A)
    stranger = make_id_card(region="110101", birth="19800101", seq="009")
    with pytest.raises(PersonNotFound):
        world.lookup(ENT_B, stranger)
    first, second = world.audit.entries
    assert (first["enterprise_uscc"], first["person_id"], first["found"]) == (ENT_A, "alice", True)
    assert (second["enterprise_uscc"], second["person_id"], second["found"]) == (ENT_B, None, False)
    assert second["id_card_masked"] == stranger[:6] + "********" + stranger[-4:]
    assert first["at"] == world.wall.now()
    assert ALICE_ID not in repr(world.audit.entries) and stranger not in repr(world.audit.entries)


def test_the_lookup_log_filters_by_enterprise_person_and_time_newest_first(world):
    world.lookup(ENT_A)
    world.wall.advance(hours=1)
    world.lookup(ENT_B)
    world.wall.advance(hours=1)
    world.lookup(ENT_A)
    everything = audit.lookup_log(world.audit)
    assert [e["enterprise_uscc"] for e in everything["items"]] == [ENT_A, ENT_B, ENT_A]
    assert audit.lookup_log(world.audit, enterprise_uscc=ENT_B)["total"] == 1
    assert audit.lookup_log(world.audit, person_id="alice", per_page=2)["total"] == 3
    since = (world.wall.now() - datetime.timedelta(minutes=90)).isoformat()
    assert [e["enterprise_uscc"] for e in audit.lookup_log(world.audit, since=since)["items"]] == [ENT_A, ENT_B]


def test_a_malformed_lookup_log_query_names_its_fields(world):
    with pytest.raises(ValidationFailed) as refused:
        audit.lookup_log(world.audit, since="yesterday", page=0, per_page=5000)
    assert set(refused.value.errors) == {"since", "page", "per_page"}


def test_active_staff_lists_only_the_enterprises_active_employees(world):
    bob_id = make_id_card(region="110101", birth="19800101", seq="005")
    world.directory.add(bob_id, "bob", "李四")
    world.accept("alice", world.offer(ENT_A)["id"])
    world.offer(ENT_A, id_card_no=bob_id)  # pending: not staff yet
    staff = use_cases.active_staff(world.uow, ENT_A)
    assert [(s["person_id"], s["person_name"]) for s in staff] == [("alice", "张三")]
    assert use_cases.active_staff(world.uow, ENT_B) == []
