"""Rate limits outside the public API: CA login, WeChat login, paid face checks and the person
lookup, each keyed by client address and, where there is one, by the account or person."""
import datetime

import pytest

from xjkit.testdata import make_id_card

from gateway.app import create_app
from gateway.auth import ENTERPRISE, PERSON

ID_CARD = make_id_card()


@pytest.fixture
def app(services, redis_prefix):
    app = create_app({"TESTING": True, "XJ_REDIS_KEY_PREFIX": redis_prefix,
                      "XJ_LIMIT_CA_CHALLENGE": "3/minute", "XJ_LIMIT_CA_LOGIN": "2/minute",
                      "XJ_LIMIT_CA_LOGIN_ALL": "3/minute", "XJ_LIMIT_MP_LOGIN": "2/minute",
                      "XJ_LIMIT_FACE_PERSON": "2/minute", "XJ_LIMIT_FACE_ADDRESS": "5/minute",
                      "XJ_LIMIT_LOOKUP_ACCOUNT": "2/hour", "XJ_LIMIT_LOOKUP_ADDRESS": "3/hour"})
    app.extensions["xj_rpc"] = services
    services.answers[("identity", "create_login_challenge")] = {"challenge_id": "c", "nonce": "bm9uY2U=",
                                                                "expires_at": datetime.datetime(2026, 11, 25, 4, 5, tzinfo=datetime.timezone.utc)}
    services.answers[("identity", "login_with_wechat")] = lambda code: {
        "person": {"person_id": code}, "session": services.start_session("person", code)}
    services.answers[("identity", "start_face_ticket")] = {"verify_id": "v", "expires_in": 3600}
    services.answers[("identity", "start_realname")] = {"verify_id": "v", "expires_in": 3600}
    services.answers[("employment", "lookup_person")] = {
        "person_id": "p", "name": "张三", "id_card_masked": "510104********1234", "realname_status": "verified",
        "employable": True, "reason": None}
    return app


@pytest.fixture
def token(token_for):
    return lambda role, subject: {"Authorization": f"Bearer {token_for(role, subject)}"}


def statuses(send, times):
    return [send().status_code for _ in range(times)]


def test_login_challenges_are_limited_per_client_address(client):
    assert statuses(lambda: client.post("/api/v1/ent/auth/challenge"), 4) == [200, 200, 200, 429]
    other = client.post("/api/v1/ent/auth/challenge", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 200


def test_ca_logins_are_limited_per_address_and_for_everyone_together(client, services):
    body = {"challenge_id": "c", "certificate": "x", "signature": "eA=="}
    first = statuses(lambda: client.post("/api/v1/ent/auth/login", json=body,
                                         environ_base={"REMOTE_ADDR": "203.0.113.1"}), 3)
    assert first[2] == 429  # two a minute from one address
    # a third address is refused by the global budget (three a minute from everyone)
    client.post("/api/v1/ent/auth/login", json=body, environ_base={"REMOTE_ADDR": "203.0.113.2"})
    refused = client.post("/api/v1/ent/auth/login", json=body, environ_base={"REMOTE_ADDR": "203.0.113.3"})
    assert refused.status_code == 429 and refused.get_json()["error"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) >= 1


def test_wechat_logins_are_limited_per_address(client):
    assert statuses(lambda: client.post("/api/v1/mp/auth/login", json={"code": "dev-a"}), 3) == [200, 200, 429]


def test_face_checks_are_limited_per_person_whatever_the_address(client, token):
    alice, bob = token(PERSON, "alice"), token(PERSON, "bob")
    ask = {"purpose": "employment.accept", "target_id": "o1"}
    for n in range(2):
        assert client.post("/api/v1/mp/face", json=ask, headers=alice,
                           environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code == 200
    # realname and face spend the same budget: each starts a paid face check
    again = client.post("/api/v1/mp/realname", json={"name": "张三", "id_card_no": ID_CARD}, headers=alice,
                        environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert again.status_code == 429
    assert client.post("/api/v1/mp/face", json=ask, headers=bob).status_code == 200


def test_face_checks_are_limited_per_address_across_persons(client, token):
    ask = {"purpose": "employment.accept", "target_id": "o1"}
    codes = [client.post("/api/v1/mp/face", json=ask, headers=token(PERSON, f"p{n}")).status_code
             for n in range(6)]
    assert codes == [200] * 5 + [429]


def test_person_lookups_are_limited_per_enterprise(client, services, token):
    first, second = token(ENTERPRISE, "9151010029141777XB"), token(ENTERPRISE, "91610100859574891U")
    path = f"/api/v1/ent/persons/lookup?id_card_no={ID_CARD}"
    assert statuses(lambda: client.get(path, headers=first, environ_base={"REMOTE_ADDR": "192.0.2.1"}), 3) \
        == [200, 200, 429]
    assert client.get(path, headers=second, environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200
    assert len([c for c in services.calls if c[1] == "lookup_person"]) == 3  # refused lookups asked nobody


def test_a_refused_request_reaches_no_service(client, services):
    statuses(lambda: client.post("/api/v1/mp/auth/login", json={"code": "dev-a"}), 5)
    assert len(services.calls) == 2
