"""Face tickets, profile, inbox and enterprise login rules, on the service layer with fakes."""
import base64
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import ValidationFailed
from xjkit.events import new_event
from xjkit.idvault import IdVault
from xjkit.testdata import make_id_card

from identity.domain.errors import (
    CaLoginRefused, ChallengeInvalid, FaceCheckExpired, FaceCheckNotFound, FaceCheckUsed, FaceNotPassed,
    FacePurposeUnknown, MessageNotFound, PersonNotVerified,
)
from identity.service_layer import enterprises, face_tickets, inbox, profile
from identity.service_layer import persons as person_cases
from identity.service_layer.notices import notice_from_event

from identity.domain.session import DEFAULT_LIMITS

from identity_fakes import FakeFace, FakeIdentityUnitOfWork, FakeMessenger, FakeVerifier, FakeWeChat

ID_CARD = make_id_card(region="510104", birth="19900101", seq="123")
OFFER = "employment.accept"


@pytest.fixture
def world():
    class World:
        uow = FakeIdentityUnitOfWork()
        persons, checks, messages, accounts = uow.persons, uow.face_checks, uow.messages, uow.accounts
        face, messenger, verifier, limits = FakeFace(), FakeMessenger(), FakeVerifier(), DEFAULT_LIMITS
        vault = IdVault(b"k" * 32)
        # business time and wall time years apart: each rule must read the right one
        clock = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
        wall = FixedClock(datetime.datetime(2031, 3, 1, 9, 0, tzinfo=SHANGHAI))

        def verified_person(self, openid, id_card_no=ID_CARD):
            person = person_cases.login_with_wechat(self.uow, FakeWeChat(), self.limits, self.clock, self.wall,
                                                    f"dev-{openid}")["person"]
            started = person_cases.start_realname(self.uow, self.face, self.vault, self.wall,
                                                  person["person_id"], "张三", id_card_no)
            person_cases.complete_realname(self.uow, self.face, self.vault, self.clock, self.wall,
                                           person["person_id"], started["verify_id"])
            return person["person_id"]

        def ticket(self, person_id, target="offer-1", purpose=OFFER):
            return face_tickets.start_face_ticket(self.uow, self.face, self.vault, self.wall,
                                                  person_id, purpose, target)["verify_id"]

        def certificate_login(self, challenge_id, certificate_pem, signature_b64):
            return enterprises.login_with_certificate(self.uow, self.verifier, self.limits, self.clock, self.wall,
                                                      challenge_id, certificate_pem, signature_b64)

        def consume(self, person_id, verify_id, target="offer-1", purpose=OFFER):
            return face_tickets.consume_face_ticket(self.uow, self.face, self.vault, self.wall,
                                                    person_id, verify_id, purpose, target)
    return World()


# face tickets -------------------------------------------------------------------------------

def test_a_face_ticket_passes_once_for_its_person_purpose_and_target(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id)
    assert world.consume(person_id, verify_id) == {"verify_id": verify_id, "passed": True}


def test_a_face_ticket_used_twice_is_refused(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id)
    world.consume(person_id, verify_id)
    with pytest.raises(FaceCheckUsed):
        world.consume(person_id, verify_id)


def test_a_face_ticket_for_another_target_is_refused(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id, target="offer-1")
    with pytest.raises(FaceCheckNotFound):
        world.consume(person_id, verify_id, target="offer-2")


def test_a_face_ticket_of_another_person_is_refused(world):
    alice = world.verified_person("alice")
    bob = world.verified_person("bob", id_card_no=make_id_card(region="110101", birth="19880808", seq="321"))
    verify_id = world.ticket(alice)
    with pytest.raises(FaceCheckNotFound):
        world.consume(bob, verify_id)


def test_the_realname_check_cannot_serve_as_an_action_ticket(world):
    person_id = world.verified_person("alice")
    realname_check = next(iter(world.checks.items))
    with pytest.raises((FaceCheckNotFound, FaceCheckUsed)):
        world.consume(person_id, realname_check)


def test_an_expired_face_ticket_is_refused(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id)
    world.wall.advance(hours=1, seconds=1)
    with pytest.raises(FaceCheckExpired):
        world.consume(person_id, verify_id)


def test_a_face_ticket_lives_by_the_wall_clock_not_the_business_clock(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id)
    world.clock.advance(days=400)  # a travelled business date does not age the ticket
    assert world.consume(person_id, verify_id)["passed"] is True
    stored = world.checks.get(verify_id)
    assert stored.expires_at - stored.created_at == datetime.timedelta(hours=1)
    assert stored.created_at == world.wall.now()  # what the store's TTL index counts from


def test_a_face_ticket_whose_scan_failed_is_refused_and_spent(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id)
    world.face.results[ID_CARD] = 10004
    with pytest.raises(FaceNotPassed):
        world.consume(person_id, verify_id)
    with pytest.raises(FaceCheckUsed):
        world.consume(person_id, verify_id)


def test_an_unverified_person_cannot_get_a_face_ticket(world):
    person = person_cases.login_with_wechat(world.uow, FakeWeChat(), world.limits, world.clock, world.wall,
                                            "dev-newbie")["person"]
    with pytest.raises(PersonNotVerified):
        world.ticket(person["person_id"])


def test_an_unknown_purpose_is_refused(world):
    person_id = world.verified_person("alice")
    with pytest.raises(FacePurposeUnknown):
        world.ticket(person_id, purpose="filing.delete")


# profile ------------------------------------------------------------------------------------

def test_profile_update_stores_the_phone_and_shows_it_masked(world):
    person_id = world.verified_person("alice")
    view = profile.update_profile(world.uow, person_id, phone="13800138000", education="本科", address="乌鲁木齐市")
    assert view["phone_masked"] == "138****8000"
    assert "13800138000" not in repr(view)
    assert (view["education"], view["address"]) == ("本科", "乌鲁木齐市")


@pytest.mark.parametrize("field, value", [("phone", "12345"), ("education", "小学"), ("address", "")])
def test_invalid_profile_values_are_refused_and_change_nothing(world, field, value):
    person_id = world.verified_person("alice")
    with pytest.raises(ValidationFailed) as refused:
        profile.update_profile(world.uow, person_id, **{field: value})
    assert field in refused.value.errors
    assert world.persons.get(person_id).phone is None


# inbox --------------------------------------------------------------------------------------

def offered_event(world, person_id, employment_id="emp-1"):
    return new_event("employment.offered", {
        "employment_id": employment_id, "person_id": person_id, "enterprise_uscc": "9151010029141777XB",
        "enterprise_name": "四川黄河建设集团有限公司", "contract_start": "2026-12-01", "contract_end": "2027-11-30",
    }, world.clock)


def deliver(world, event):
    return inbox.deliver(world.uow, world.messenger, {"employment_offer": "tmpl-offer"},
                         world.clock, notice_from_event(event))


def test_an_offer_event_becomes_an_inbox_message_naming_the_enterprise(world):
    person_id = world.verified_person("alice")
    deliver(world, offered_event(world, person_id))
    page = inbox.list_messages(world.uow, person_id, 1, 20)
    assert page["total"] == 1
    message = page["items"][0]
    assert (message["kind"], message["target_id"], message["read"]) == ("employment_offer", "emp-1", False)
    assert "四川黄河建设集团有限公司" in message["body"]


def test_a_redelivered_event_makes_no_second_message(world):
    person_id = world.verified_person("alice")
    event = offered_event(world, person_id)
    assert deliver(world, event) is True
    assert deliver(world, event) is False
    assert inbox.list_messages(world.uow, person_id, 1, 20)["total"] == 1


def test_a_subscribe_message_is_sent_only_while_the_person_has_a_grant(world):
    person_id = world.verified_person("alice")
    profile.grant_subscriptions(world.uow, person_id, ["tmpl-offer"], ["tmpl-offer"])
    deliver(world, offered_event(world, person_id, "emp-1"))
    deliver(world, offered_event(world, person_id, "emp-2"))
    assert [(openid, template) for openid, template, _, _ in world.messenger.sent] == [("alice", "tmpl-offer")]
    assert inbox.list_messages(world.uow, person_id, 1, 20)["total"] == 2


def test_an_unknown_template_grant_is_refused(world):
    person_id = world.verified_person("alice")
    with pytest.raises(ValidationFailed):
        profile.grant_subscriptions(world.uow, person_id, ["someone-elses"], ["tmpl-offer"])


def test_the_subscription_status_groups_kinds_by_template_and_counts_the_grants_left(world):
    person_id = world.verified_person("alice")
    templates = {"employment_offer": "tmpl-offer", "employment_cancelled": "tmpl-decision",
                 "employment_withdrawn": "tmpl-decision", "title_confirmed": "tmpl-title"}
    profile.grant_subscriptions(world.uow, person_id, ["tmpl-offer", "tmpl-title"], sorted(set(templates.values())))
    profile.grant_subscriptions(world.uow, person_id, ["tmpl-offer"], sorted(set(templates.values())))
    status = profile.subscription_status(world.uow, person_id, templates)
    assert status == {
        "templates": [{"template_id": "tmpl-decision", "kinds": ["employment_cancelled", "employment_withdrawn"]},
                      {"template_id": "tmpl-offer", "kinds": ["employment_offer"]},
                      {"template_id": "tmpl-title", "kinds": ["title_confirmed"]}],
        "subscribe_grants": {"tmpl-decision": 0, "tmpl-offer": 2, "tmpl-title": 1},
    }


def test_marking_anothers_message_read_looks_like_a_missing_message(world):
    alice = world.verified_person("alice")
    bob = world.verified_person("bob", id_card_no=make_id_card(region="110101", birth="19880808", seq="321"))
    event = offered_event(world, alice)
    deliver(world, event)
    with pytest.raises(MessageNotFound):
        inbox.mark_read(world.uow, world.clock, bob, event.event_id)
    assert inbox.mark_read(world.uow, world.clock, alice, event.event_id)["read"] is True


def test_events_that_are_not_for_a_person_make_no_notice(world):
    assert notice_from_event(new_event("filing.registration_approved", {"uscc": "x"}, world.clock)) is None


# enterprise login ---------------------------------------------------------------------------

def sign(nonce_b64):
    return "sig:" + nonce_b64


def test_enterprise_login_creates_the_account_bound_to_the_uscc(world):
    challenge = enterprises.create_challenge(world.uow, world.wall)
    assert len(base64.b64decode(challenge["nonce"])) >= 16
    assert challenge["expires_at"] - world.wall.now() == datetime.timedelta(minutes=5)
    result = world.certificate_login(challenge["challenge_id"], "CERT:9151010029141777XB:黄河:01",
                                     sign(challenge["nonce"]))
    assert (result["uscc"], result["name"]) == ("9151010029141777XB", "黄河")
    assert [e.type for e in world.accounts.events] == ["identity.enterprise_account_created"]


def test_a_renewed_certificate_keeps_the_same_account(world):
    for serial in ("01", "02"):
        challenge = enterprises.create_challenge(world.uow, world.wall)
        world.certificate_login(challenge["challenge_id"], f"CERT:9151010029141777XB:黄河:{serial}",
                                sign(challenge["nonce"]))
    account = world.accounts.get("9151010029141777XB")
    assert [c["serial_hex"] for c in account.certificates] == ["01", "02"]
    assert len(world.accounts.items) == 1


def test_a_replayed_challenge_is_refused(world):
    challenge = enterprises.create_challenge(world.uow, world.wall)
    args = (challenge["challenge_id"], "CERT:9151010029141777XB:黄河:01", sign(challenge["nonce"]))
    world.certificate_login(*args)
    with pytest.raises(ChallengeInvalid):
        world.certificate_login(*args)


def test_an_expired_or_unknown_challenge_is_refused(world):
    challenge = enterprises.create_challenge(world.uow, world.wall)
    world.wall.advance(minutes=5)
    with pytest.raises(ChallengeInvalid):
        world.certificate_login(challenge["challenge_id"], "CERT:x:y:01", sign(challenge["nonce"]))
    with pytest.raises(ChallengeInvalid):
        world.certificate_login("nope", "CERT:x:y:01", "sig")


def test_a_challenge_expires_by_the_wall_clock_and_the_certificate_is_judged_at_business_time(world):
    challenge = enterprises.create_challenge(world.uow, world.wall)
    world.clock.advance(days=400)  # the business clock moving does not expire a challenge
    world.certificate_login(challenge["challenge_id"], "CERT:9151010029141777XB:黄河:01",
                            sign(challenge["nonce"]))
    assert world.verifier.judged_at == [world.clock.now()]
    assert world.verifier.crls_judged_at == [world.wall.now()]  # CRL freshness is housekeeping
    assert world.accounts.get("9151010029141777XB").created_at == world.clock.now()


def test_a_refused_signature_still_spends_the_challenge(world):
    challenge = enterprises.create_challenge(world.uow, world.wall)
    with pytest.raises(CaLoginRefused):
        world.certificate_login(challenge["challenge_id"], "CERT:9151010029141777XB:黄河:01", "sig:wrong")
    with pytest.raises(ChallengeInvalid):
        world.certificate_login(challenge["challenge_id"], "CERT:9151010029141777XB:黄河:01",
                                sign(challenge["nonce"]))
    assert world.accounts.items == {}


def test_of_two_logins_racing_for_one_challenge_only_the_first_write_spends_it(world):
    challenge = enterprises.create_challenge(world.uow, world.wall)
    args = (challenge["challenge_id"], "CERT:9151010029141777XB:黄河:01", sign(challenge["nonce"]))

    def the_other_login_first(repository):
        enterprises.login_with_certificate(world.uow.sharing_storage(), world.verifier, world.limits, world.clock,
                                           world.wall, *args)

    world.uow.challenges.before_next_write = the_other_login_first
    with pytest.raises(ChallengeInvalid):
        world.certificate_login(*args)
    assert len(world.accounts.items) == 1 and len(world.uow.sessions.items) == 1  # the other login's


def test_a_face_ticket_consumed_by_a_concurrent_action_is_used(world):
    person_id = world.verified_person("alice")
    verify_id = world.ticket(person_id)

    def the_other_action_first(repository):
        face_tickets.consume_face_ticket(world.uow.sharing_storage(), world.face, world.vault, world.wall,
                                         person_id, verify_id, OFFER, "offer-1")

    world.checks.before_next_write = the_other_action_first
    with pytest.raises(FaceCheckUsed):
        world.consume(person_id, verify_id)
