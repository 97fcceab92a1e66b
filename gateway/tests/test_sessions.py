"""The gateway and server-side sessions (issue 11, item 4): every token names a session, the session
must still run, logout ends it for every gateway worker at once, an ended session (idle, expired,
revoked certificate) stops working within the Redis cache bound, and Redis down is 503, never open.

Sessions live in the real Redis (shared by workers); identity is the recording fake of conftest.
"""
import datetime
import time

import jwt
import pytest
import redis

from gateway.app import create_app
from gateway.auth import ENTERPRISE, PERSON, issue_token
from xjkit.errors import ServiceUnavailable
from xjkit.polling import free_port
from gateway.sessions import CACHE_SECONDS, SessionGuard

USCC = "9151010029141777XB"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def session_id_of(token):
    return jwt.decode(token, options={"verify_signature": False})["sid"]


@pytest.fixture
def enterprise_me(services):
    services.answers[("identity", "get_enterprise")] = {"uscc": USCC, "name": "甲", "certificates": [],
                                                          "last_login_at": None}
    services.answers[("filing", "registrations")] = []
    return "/api/v1/ent/me"


@pytest.fixture
def second_worker(services, redis_prefix):
    """Another gateway worker (another process or replica): same Redis, same identity."""
    app = create_app({"TESTING": True})
    app.extensions["xj_rpc"] = services
    app.extensions["xj_sessions"].key_prefix = redis_prefix
    return app.test_client()


# --- login issues a token of the session identity started --------------------------------------


def test_ca_login_issues_a_token_naming_the_session_and_expiring_with_it(client, services):
    session = services.start_session(ENTERPRISE, USCC, ttl_seconds=8 * 3600)
    services.answers[("identity", "login_with_certificate")] = {"uscc": USCC, "name": "甲", "session": session}
    response = client.post("/api/v1/ent/auth/login", json={"challenge_id": "c", "certificate": "p", "signature": "s"})
    assert response.status_code == 200
    claims = jwt.decode(response.get_json()["token"], options={"verify_signature": False})
    assert claims["sid"] == session["session_id"] and claims["sub"] == USCC and claims["role"] == ENTERPRISE
    assert claims["exp"] == int(session["expires_at"].timestamp())


def test_wechat_login_issues_a_token_naming_the_session(client, services):
    session = services.start_session(PERSON, "person-9")
    services.answers[("identity", "login_with_wechat")] = {"openid": "o", "session": session, "person": {
        "person_id": "person-9", "name": None, "id_card_masked": None, "realname_status": "unverified",
        "phone_masked": None}}
    token = client.post("/api/v1/mp/auth/login", json={"code": "dev-o"}).get_json()["token"]
    assert session_id_of(token) == session["session_id"]


def test_a_token_without_a_session_is_401(app, client, enterprise_me):
    with app.app_context():
        now = datetime.datetime.now(datetime.timezone.utc)
        old_style = jwt.encode({"iss": "xjcloud", "role": ENTERPRISE, "sub": USCC, "iat": int(now.timestamp()),
                                "exp": int(now.timestamp()) + 3600}, app.config["XJ_TOKEN_KEY"], algorithm="HS256")
    response = client.get(enterprise_me, headers=bearer(old_style))
    assert response.status_code == 401 and response.get_json()["error"] == "TOKEN_INVALID"


# --- logout -----------------------------------------------------------------------------------


def test_enterprise_logout_is_204_and_a_later_use_of_the_token_is_401_session_ended(
    client, services, enterprise_token, enterprise_me
):
    assert client.get(enterprise_me, headers=bearer(enterprise_token)).status_code == 200
    response = client.post("/api/v1/ent/auth/logout", headers=bearer(enterprise_token))
    assert response.status_code == 204 and response.get_data() == b""
    assert services.sessions[session_id_of(enterprise_token)]["ended"] == "logout"
    again = client.get(enterprise_me, headers=bearer(enterprise_token))
    assert again.status_code == 401
    body = again.get_json()
    assert body["error"] == "SESSION_ENDED" and "退出登录" in body["message"]
    assert client.post("/api/v1/ent/auth/logout", headers=bearer(enterprise_token)).status_code == 401


def test_person_logout_is_204_and_a_later_use_of_the_token_is_401_session_ended(client, services, person_token):
    services.answers[("identity", "list_messages")] = {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert client.get("/api/v1/mp/messages", headers=bearer(person_token)).status_code == 200
    assert client.post("/api/v1/mp/auth/logout", headers=bearer(person_token)).status_code == 204
    response = client.get("/api/v1/mp/messages", headers=bearer(person_token))
    assert response.status_code == 401 and response.get_json()["error"] == "SESSION_ENDED"


def test_logout_on_one_worker_ends_the_session_on_every_worker_at_once(
    client, second_worker, services, enterprise_token, enterprise_me
):
    assert second_worker.get(enterprise_me, headers=bearer(enterprise_token)).status_code == 200  # cached active
    assert client.post("/api/v1/ent/auth/logout", headers=bearer(enterprise_token)).status_code == 204
    checks_before = len(services.session_calls)
    response = second_worker.get(enterprise_me, headers=bearer(enterprise_token))
    assert response.status_code == 401 and response.get_json()["error"] == "SESSION_ENDED"
    assert len(services.session_calls) == checks_before  # known from Redis, without asking identity


def test_logout_with_the_other_roles_route_is_403(client, person_token, enterprise_token):
    assert client.post("/api/v1/ent/auth/logout", headers=bearer(person_token)).status_code == 403
    assert client.post("/api/v1/mp/auth/logout", headers=bearer(enterprise_token)).status_code == 403


def test_logout_without_a_token_is_401(client):
    assert client.post("/api/v1/ent/auth/logout").status_code == 401


# --- sessions that end on identity's side -----------------------------------------------------


def test_a_session_is_checked_with_identity_at_most_once_per_cache_bound(app, client, services, enterprise_token,
                                                                          enterprise_me, redis_prefix):
    for _ in range(5):
        assert client.get(enterprise_me, headers=bearer(enterprise_token)).status_code == 200
    assert [method for method, _ in services.session_calls] == ["check_session"]
    guard = app.extensions["xj_sessions"]
    assert 0 < guard.client.ttl(guard._key(session_id_of(enterprise_token))) <= CACHE_SECONDS == 10


def test_a_session_ended_by_identity_stops_working_within_the_cache_bound(app, client, services, enterprise_token,
                                                                         enterprise_me):
    """The certificate was revoked (identity ended the session): after at most the bound, 401."""
    app.extensions["xj_sessions"].cache_seconds = 1  # the bound, shortened for the test
    assert client.get(enterprise_me, headers=bearer(enterprise_token)).status_code == 200
    services.sessions[session_id_of(enterprise_token)]["ended"] = "revoked"
    time.sleep(1.2)
    response = client.get(enterprise_me, headers=bearer(enterprise_token))
    assert response.status_code == 401
    assert response.get_json()["error"] == "SESSION_ENDED" and "吊销" in response.get_json()["message"]


def test_an_ended_session_is_refused_before_the_role_is_looked_at(client, services, person_token):
    services.sessions[session_id_of(person_token)]["ended"] = "logout"
    response = client.get("/api/v1/ent/me", headers=bearer(person_token))
    assert response.status_code == 401 and response.get_json()["error"] == "SESSION_ENDED"


def test_a_token_naming_another_holders_session_is_refused(app, client, services, enterprise_me):
    other = services.start_session(ENTERPRISE, "91610100859574891U")
    with app.app_context():
        token, _ = issue_token(ENTERPRISE, USCC, other)  # a token that does not match its session
    response = client.get(enterprise_me, headers=bearer(token))
    assert response.status_code == 401 and response.get_json()["error"] == "TOKEN_INVALID"


def test_a_check_in_flight_cannot_undo_a_logout(app, client, services, enterprise_token, enterprise_me):
    """identity answered "active" just before the logout; the gateway must not cache that over it."""
    guard = app.extensions["xj_sessions"]
    real_call = services.call
    claims = jwt.decode(enterprise_token, options={"verify_signature": False})

    def logout_during_the_check(service, method, **kwargs):
        answer = real_call(service, method, **kwargs)
        if method == "check_session":
            guard.end(claims, services)
        return answer

    services.call = logout_during_the_check
    client.get(enterprise_me, headers=bearer(enterprise_token))
    services.call = real_call
    response = client.get(enterprise_me, headers=bearer(enterprise_token))
    assert response.status_code == 401 and response.get_json()["error"] == "SESSION_ENDED"


# --- fail closed ------------------------------------------------------------------------------


def test_redis_down_is_503_and_the_request_never_reaches_a_service(app, client, services, enterprise_token,
                                                                    enterprise_me):
    app.extensions["xj_sessions"] = SessionGuard(redis.Redis(port=free_port(), socket_connect_timeout=0.2))
    response = client.get(enterprise_me, headers=bearer(enterprise_token))
    assert response.status_code == 503 and response.get_json()["error"] == "SERVICE_UNAVAILABLE"
    assert services.calls == [] and services.session_calls == []


def test_identity_down_is_503_for_an_unchecked_session(client, services, enterprise_token, enterprise_me):
    services.answers[("identity", "check_session")] = ServiceUnavailable(errors={"service": ["identity"]})
    response = client.get(enterprise_me, headers=bearer(enterprise_token))
    assert response.status_code == 503
    assert [call for call in services.calls if call[1] == "get_enterprise"] == []


# --- readiness ----------------------------------------------------------------------------------


def test_readyz_shows_the_crl_state_of_each_ca_and_a_stale_crl_does_not_make_it_unready(client, services):
    next_update = datetime.datetime(2026, 11, 1, 0, 0, tzinfo=datetime.timezone.utc)
    crls = {"state": "degraded", "grace_seconds": 14400, "files": [{"file": "crl-rsa.pem", "state": "ok"}],
            "cas": [{"ca": "CN=XJ Dev Root CA (RSA)", "state": "stale", "this_update": None, "next_update": next_update},
                    {"ca": "CN=XJ Dev Root CA (SM2)", "state": "ok", "this_update": None, "next_update": None}]}
    for name in ("identity", "employment", "cert", "filing", "publicity"):
        services.answers[(name, "ping")] = {"status": "ok"}
    services.answers[("identity", "ping")] = {"status": "ok", "crls": crls}
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["redis"] == "ok"
    assert body["crls"]["state"] == "degraded"
    assert body["crls"]["cas"][0] == {"ca": "CN=XJ Dev Root CA (RSA)", "state": "stale", "this_update": None,
                                      "next_update": "2026-11-01T08:00:00+08:00"}


def test_readyz_is_503_when_the_session_store_is_down(app, client, services):
    for name in ("identity", "employment", "cert", "filing", "publicity"):
        services.answers[(name, "ping")] = {"status": "ok"}
    app.extensions["xj_sessions"] = SessionGuard(redis.Redis(port=free_port(), socket_connect_timeout=0.2))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["redis"] == "down"


def test_the_openapi_document_lists_both_logouts(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/api/v1/ent/auth/logout", "/api/v1/mp/auth/logout"):
        assert "204" in paths[path]["post"]["responses"]
