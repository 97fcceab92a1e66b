"""Real-name verification rules, on the service layer with fakes."""
import contextlib
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import ValidationFailed
from xjkit.idvault import IdVault
from xjkit.testdata import make_id_card

from identity.domain.errors import (
    AlreadyVerified, FaceCheckExpired, FaceCheckNotFound, FaceCheckUsed, FaceNotPassed, IdCardBound,
    PersonNotFound, WeChatCodeInvalid,
)
from identity.service_layer import persons as use_cases

from identity.domain.session import DEFAULT_LIMITS

from identity_fakes import FakeFace, FakeIdentityUnitOfWork, FakeWeChat

ID_CARD = make_id_card(region="510104", birth="19900101", seq="123")
WRONG_CHECK_DIGIT = ID_CARD[:-1] + ("1" if ID_CARD[-1] != "1" else "2")


@pytest.fixture
def world():
    class World:
        uow = FakeIdentityUnitOfWork()
        persons, checks = uow.persons, uow.face_checks
        face = FakeFace()
        vault = IdVault(b"k" * 32)
        # business time and wall time years apart: each rule must read the right one
        clock = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
        wall = FixedClock(datetime.datetime(2031, 3, 1, 9, 0, tzinfo=SHANGHAI))
        wechat = FakeWeChat()

        def login(self, openid):
            return use_cases.login_with_wechat(self.uow, self.wechat, DEFAULT_LIMITS, self.clock, self.wall,
                                               f"dev-{openid}")["person"]

        def start(self, person_id, name="张三", id_card_no=ID_CARD):
            return use_cases.start_realname(self.uow, self.face, self.vault, self.wall,
                                            person_id, name, id_card_no)

        def complete(self, person_id, verify_id):
            return use_cases.complete_realname(self.uow, self.face, self.vault, self.clock, self.wall,
                                               person_id, verify_id)
    return World()


def test_first_login_creates_an_unverified_person_and_the_second_finds_the_same(world):
    first = world.login("alice")
    again = world.login("alice")
    assert first["realname_status"] == "unverified"
    assert again["person_id"] == first["person_id"]
    assert len(world.persons.items) == 1


def test_login_with_an_invalid_code_is_refused(world):
    with pytest.raises(WeChatCodeInvalid):
        use_cases.login_with_wechat(world.uow, world.wechat, DEFAULT_LIMITS, world.clock, world.wall, "bogus")


def test_face_pass_makes_the_person_verified_with_a_masked_id_and_an_event(world):
    person = world.login("alice")
    started = world.start(person["person_id"])
    verified = world.complete(person["person_id"], started["verify_id"])
    assert verified["realname_status"] == "verified"
    assert verified["name"] == "张三"
    assert verified["id_card_masked"] == ID_CARD[:6] + "********" + ID_CARD[-4:]
    assert [e.type for e in world.persons.events] == ["identity.person_verified"]
    assert ID_CARD not in repr(world.persons.events[0].payload)


def test_the_id_number_is_stored_encrypted_and_found_by_keyed_hash(world):
    person = world.login("alice")
    world.complete(person["person_id"], world.start(person["person_id"])["verify_id"])
    stored = world.persons.items[person["person_id"]]
    assert ID_CARD not in (stored.id_card_enc or "")
    assert world.vault.decrypt(stored.id_card_enc) == ID_CARD
    assert world.persons.get_by_id_hash(world.vault.lookup_hash(ID_CARD)).person_id == person["person_id"]


@pytest.mark.parametrize("verify_ret", [10001, 10003, 90002, 90017])
def test_any_verify_ret_but_10000_is_not_a_pass(world, verify_ret):
    person = world.login("alice")
    world.face.results[ID_CARD] = verify_ret
    started = world.start(person["person_id"])
    with pytest.raises(FaceNotPassed):
        world.complete(person["person_id"], started["verify_id"])
    assert world.persons.get(person["person_id"]).realname_status == "unverified"
    assert world.persons.events == []


def test_a_check_wechat_refuses_to_answer_is_not_a_pass(world):
    person = world.login("alice")
    started = world.start(person["person_id"])
    world.face.started[started["verify_id"]] = ("someone-else", "x", "y", "z")
    with pytest.raises(FaceNotPassed):
        world.complete(person["person_id"], started["verify_id"])


@pytest.mark.parametrize("face_passes", [False, True], ids=["a-failed-check-is-consumed", "a-passed-check"])
def test_a_check_cannot_be_completed_twice(world, face_passes):
    """A failed check is consumed too, so a retry needs a new face scan."""
    person = world.login("alice")
    if not face_passes:
        world.face.results[ID_CARD] = 90002
    started = world.start(person["person_id"])
    with contextlib.nullcontext() if face_passes else pytest.raises(FaceNotPassed):
        world.complete(person["person_id"], started["verify_id"])
    with pytest.raises(FaceCheckUsed):
        world.complete(person["person_id"], started["verify_id"])


def test_a_check_expires_with_wechats_expires_in(world):
    person = world.login("alice")
    started = world.start(person["person_id"])
    world.wall.advance(seconds=3601)
    with pytest.raises(FaceCheckExpired):
        world.complete(person["person_id"], started["verify_id"])


def test_a_check_lives_by_the_wall_clock_and_the_verification_date_is_business_time(world):
    person = world.login("alice")
    started = world.start(person["person_id"])
    world.clock.advance(days=-400)  # a business clock far from the wall clock expires nothing
    world.complete(person["person_id"], started["verify_id"])
    assert world.checks.get(started["verify_id"]).expires_at == world.wall.now() + datetime.timedelta(seconds=3600)
    assert world.persons.get(person["person_id"]).verified_at == world.clock.now()


def test_another_persons_check_looks_like_a_missing_one(world):
    alice, bob = world.login("alice"), world.login("bob")
    started = world.start(alice["person_id"])
    with pytest.raises(FaceCheckNotFound):
        world.complete(bob["person_id"], started["verify_id"])
    with pytest.raises(FaceCheckNotFound):
        world.complete(alice["person_id"], "no-such-check")


def test_an_id_number_verified_by_another_wechat_user_is_refused_at_start(world):
    alice, bob = world.login("alice"), world.login("bob")
    world.complete(alice["person_id"], world.start(alice["person_id"])["verify_id"])
    with pytest.raises(IdCardBound):
        world.start(bob["person_id"], name="张三")


def test_two_users_racing_for_one_id_number_end_with_one_holder(world):
    alice, bob = world.login("alice"), world.login("bob")
    alice_check = world.start(alice["person_id"])
    bob_check = world.start(bob["person_id"])  # both started before either finished
    world.complete(alice["person_id"], alice_check["verify_id"])
    with pytest.raises(IdCardBound):
        world.complete(bob["person_id"], bob_check["verify_id"])
    assert world.persons.get(bob["person_id"]).realname_status == "unverified"


def test_a_verified_person_cannot_verify_again(world):
    person = world.login("alice")
    world.complete(person["person_id"], world.start(person["person_id"])["verify_id"])
    with pytest.raises(AlreadyVerified):
        world.start(person["person_id"])


@pytest.mark.parametrize("name, id_card_no, field", [
    ("张三", WRONG_CHECK_DIGIT, "id_card_no"),
    ("张三", "51010419900101123", "id_card_no"),   # 17 characters
    ("", ID_CARD, "name"),
    ("张" * 31, ID_CARD, "name"),
])
def test_invalid_name_or_id_number_is_refused_before_calling_wechat(world, name, id_card_no, field):
    person = world.login("alice")
    with pytest.raises(ValidationFailed) as refused:
        world.start(person["person_id"], name=name, id_card_no=id_card_no)
    assert field in refused.value.errors
    assert world.face.started == {}


def test_an_unknown_person_cannot_start(world):
    with pytest.raises(PersonNotFound):
        world.start("nobody")


def test_lookup_by_id_number_finds_only_verified_persons(world):
    person = world.login("alice")
    with pytest.raises(PersonNotFound):
        use_cases.lookup_by_id_card(world.uow, world.vault, ID_CARD)
    world.complete(person["person_id"], world.start(person["person_id"])["verify_id"])
    found = use_cases.lookup_by_id_card(world.uow, world.vault, ID_CARD.lower())
    assert found == {"person_id": person["person_id"], "name": "张三",
                     "id_card_masked": ID_CARD[:6] + "********" + ID_CARD[-4:], "realname_status": "verified"}


def test_lookup_with_an_invalid_id_number_is_refused(world):
    with pytest.raises(ValidationFailed):
        use_cases.lookup_by_id_card(world.uow, world.vault, WRONG_CHECK_DIGIT)


def test_id_numbers_are_given_only_for_verified_persons(world):
    verified, unverified = world.login("alice"), world.login("bob")
    world.complete(verified["person_id"], world.start(verified["person_id"])["verify_id"])
    assert use_cases.id_cards_of(world.uow, world.vault,
                                 [verified["person_id"], unverified["person_id"], "nobody"]) == {
        verified["person_id"]: ID_CARD}


def test_get_person_shows_the_person_and_an_unknown_one_is_not_found(world):
    person = world.login("alice")
    assert use_cases.get_person(world.uow, person["person_id"]) == person
    with pytest.raises(PersonNotFound):
        use_cases.get_person(world.uow, "nobody")
