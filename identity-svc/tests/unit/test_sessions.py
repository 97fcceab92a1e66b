"""Server-side sessions (issue 11, item 4), on the service layer with fakes: a token id, logout,
idle timeout and absolute lifetime on the wall clock, and revocation by the CRL."""
import base64
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import DomainError

from identity.domain.errors import SessionEnded
from identity.domain.session import DEFAULT_LIMITS, ENDED_MESSAGES, ENTERPRISE, PERSON, SessionLimits
from identity.service_layer import enterprises, sessions
from identity.service_layer import persons as person_cases

from identity_fakes import FakeIdentityUnitOfWork, FakeVerifier, FakeWeChat

USCC = "9151010029141777XB"
OTHER_USCC = "91610100859574891U"


@pytest.fixture
def world():
    class World:
        uow, verifier = FakeIdentityUnitOfWork(), FakeVerifier()
        accounts, sessions = uow.accounts, uow.sessions
        limits = DEFAULT_LIMITS
        # business time and wall time years apart: sessions must read only the wall clock
        clock = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
        wall = FixedClock(datetime.datetime(2031, 3, 1, 9, 0, tzinfo=SHANGHAI))

        def enterprise_login(self, uscc=USCC, serial="01"):
            challenge = enterprises.create_challenge(self.uow, self.wall)
            return enterprises.login_with_certificate(
                self.uow, self.verifier, self.limits, self.clock, self.wall,
                challenge["challenge_id"], f"CERT:{uscc}:黄河:{serial}", "sig:" + challenge["nonce"])["session"]

        def person_login(self, openid="alice"):
            return person_cases.login_with_wechat(self.uow, FakeWeChat(), self.limits, self.clock, self.wall,
                                                  f"dev-{openid}")["session"]

        def check(self, session):
            return sessions.check_session(self.uow, self.verifier, self.wall, session["session_id"])

        def refusal(self, session):
            with pytest.raises(SessionEnded) as ended:
                self.check(session)
            assert (ended.value.status, ended.value.code) == (401, "SESSION_ENDED")
            return ended.value.message

    return World()


def test_an_enterprise_login_starts_a_session_bound_to_its_certificate(world):
    session = world.enterprise_login()
    stored = world.sessions.get(session["session_id"])
    assert (stored.role, stored.subject, stored.status) == (ENTERPRISE, USCC, "active")
    assert stored.certificate == {"issuer": "CN=Dev Root", "serial_hex": "01"}
    assert [key["serial_hex"] for key in stored.revocation_keys] == ["01"]
    assert session["expires_at"] == world.wall.now() + datetime.timedelta(hours=8)
    assert session["idle_seconds"] == 30 * 60
    assert "revocation_keys" not in world.accounts.get(USCC).certificates[0]  # the account keeps no chain


def test_a_person_login_starts_a_session_with_the_person_limits(world):
    session = world.person_login()
    assert world.sessions.get(session["session_id"]).role == PERSON
    assert session["expires_at"] == world.wall.now() + datetime.timedelta(seconds=DEFAULT_LIMITS[PERSON].max_seconds)


def test_session_ids_are_256_random_bits_and_never_repeat(world):
    ids = {world.person_login(f"user{n}")["session_id"] for n in range(50)}
    assert len(ids) == 50
    assert all(len(base64.urlsafe_b64decode(i + "=")) == 32 for i in ids)


def test_a_check_answers_who_the_session_belongs_to(world):
    session = world.enterprise_login()
    assert world.check(session) == {"session_id": session["session_id"], "role": ENTERPRISE, "subject": USCC,
                                    "expires_at": session["expires_at"], "idle_seconds": 1800}


def test_logout_ends_the_session_and_a_later_use_is_session_ended(world):
    session = world.enterprise_login()
    sessions.end_session(world.uow, world.wall, session["session_id"])
    assert world.refusal(session) == ENDED_MESSAGES["logout"]
    sessions.end_session(world.uow, world.wall, session["session_id"])  # twice: nothing more happens
    stored = world.sessions.get(session["session_id"])
    assert (stored.end_reason, stored.ended_at) == ("logout", world.wall.now())


def test_logout_ends_only_that_session(world):
    first, second = world.enterprise_login(), world.enterprise_login()
    sessions.end_session(world.uow, world.wall, first["session_id"])
    assert world.check(second)["subject"] == USCC


@pytest.mark.parametrize("session_id", ["", "x" * 43, "nope", None, 5, "a" * 500])
def test_an_unknown_or_malformed_session_id_is_session_ended(world, session_id):
    with pytest.raises(SessionEnded):
        sessions.check_session(world.uow, world.verifier, world.wall, session_id)
    sessions.end_session(world.uow, world.wall, session_id)  # logout of nothing is no error


def test_use_restarts_the_idle_timeout_and_idleness_ends_the_session(world):
    session = world.enterprise_login()
    for _ in range(3):  # an hour and a half of steady use
        world.wall.advance(minutes=29, seconds=59)
        world.check(session)
    world.wall.advance(minutes=30)
    assert world.refusal(session) == ENDED_MESSAGES["idle"]
    stored = world.sessions.get(session["session_id"])
    assert stored.end_reason == "idle"
    assert stored.ended_at == stored.last_seen_at + datetime.timedelta(minutes=30)  # when it passed, not when seen


def test_the_absolute_lifetime_ends_even_a_busy_session(world):
    session = world.enterprise_login()
    for _ in range(8 * 3 - 1):  # every 20 minutes for 7 h 40 min
        world.wall.advance(minutes=20)
        world.check(session)
    world.wall.advance(minutes=20)
    assert world.refusal(session) == ENDED_MESSAGES["expired"]
    assert world.sessions.get(session["session_id"]).ended_at == session["expires_at"]


def test_sessions_live_on_the_wall_clock_not_the_business_clock(world):
    session = world.enterprise_login()
    world.clock.advance(days=400)
    assert world.check(session)["subject"] == USCC
    world.clock.advance(days=-800)
    assert world.check(session)["subject"] == USCC


def test_limits_come_from_the_configuration(world):
    world.limits = {**DEFAULT_LIMITS, ENTERPRISE: SessionLimits(idle_seconds=60, max_seconds=120)}
    session = world.enterprise_login()
    world.wall.advance(seconds=61)
    assert world.refusal(session) == ENDED_MESSAGES["idle"]


def test_a_revoked_certificate_ends_its_session_at_the_next_check(world):
    session = world.enterprise_login(serial="0a")
    world.verifier.revoked_serials.add("0a")
    message = world.refusal(session)
    assert message == ENDED_MESSAGES["revoked"] and "吊销" in message
    assert world.sessions.get(session["session_id"]).end_reason == "revoked"
    assert world.refusal(session) == ENDED_MESSAGES["revoked"]  # and stays ended


def test_the_revocation_sweep_ends_every_session_of_a_revoked_certificate_and_no_other(world):
    revoked = [world.enterprise_login(serial="0a"), world.enterprise_login(serial="0a")]
    other_certificate = world.enterprise_login(serial="0b")
    other_enterprise = world.enterprise_login(uscc=OTHER_USCC, serial="0c")
    person = world.person_login()
    world.verifier.revoked_serials.add("0a")
    assert sessions.end_revoked_sessions(world.uow, world.verifier, world.wall) == 2
    assert {world.sessions.get(s["session_id"]).end_reason for s in revoked} == {"revoked"}
    for alive in (other_certificate, other_enterprise, person):
        assert world.check(alive)
    assert sessions.end_revoked_sessions(world.uow, world.verifier, world.wall) == 0  # idempotent


def test_a_session_that_another_request_touched_meanwhile_is_judged_again(world):
    session = world.enterprise_login()
    world.wall.advance(seconds=1)  # so that the check has a use to write
    stored_version = world.sessions.get(session["session_id"]).version
    touched = []

    def another_request_touches_it(repository):
        stored = next(s for s in repository.stored() if s.session_id == session["session_id"])
        stored.touch(world.wall.now() - datetime.timedelta(milliseconds=500))  # its clock read a bit earlier
        repository.put(stored)  # the check's write now conflicts
        touched.append(stored.session_id)

    world.sessions.before_next_write = another_request_touches_it
    assert world.check(session)["subject"] == USCC
    assert touched == [session["session_id"]]
    # the other request's write, then the check's second try
    assert world.sessions.get(session["session_id"]).version == stored_version + 2


def test_a_logout_racing_a_check_is_not_undone(world):
    """A check that read the session before a logout cannot write it back as active."""
    session = world.enterprise_login()
    world.wall.advance(seconds=1)  # so that the check has a use to write

    def logout_first(repository):
        sessions.end_session(world.uow.sharing_storage(), world.wall, session["session_id"])

    world.sessions.before_next_write = logout_first  # the check's stale write then conflicts
    with pytest.raises(SessionEnded):
        world.check(session)
    assert world.sessions.get(session["session_id"]).end_reason == "logout"


def test_session_ended_crosses_the_rpc_boundary_as_a_domain_error():
    error = SessionEnded(message=ENDED_MESSAGES["revoked"])
    assert isinstance(error, DomainError)
    assert error.as_base().to_dict() == {"code": 401, "error": "SESSION_ENDED", "message": ENDED_MESSAGES["revoked"]}
