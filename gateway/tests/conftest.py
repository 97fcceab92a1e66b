import datetime
import secrets
import uuid

import pytest

from xjkit.errors import DomainError

from gateway.app import create_app

SESSION_METHODS = ("check_session", "end_session")


class RecordingServices:
    """Stands in for the RPC pool in gateway unit tests: records calls, answers from a table.

    Only for tests of the gateway's own behaviour (validation, auth, error mapping); tests that
    reach the services run them for real (integration and end-to-end tests). Sessions are kept in
    ``sessions`` (session id → {"role", "subject", "ended": reason or None}); their checks are
    recorded in ``session_calls``, apart from the business calls in ``calls``.
    """

    def __init__(self):
        self.calls = []
        self.session_calls = []
        self.answers = {}
        self.sessions = {}

    def start_session(self, role, subject, ttl_seconds=3600):
        session_id = secrets.token_urlsafe(32)
        self.sessions[session_id] = {"role": role, "subject": subject, "ended": None}
        expires_at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=ttl_seconds)
        return {"session_id": session_id, "role": role, "subject": subject, "expires_at": expires_at,
                "idle_seconds": 1800}

    def _session_call(self, method, session_id):
        self.session_calls.append((method, session_id))
        session = self.sessions.get(session_id)
        if method == "end_session":
            if session is not None:
                session["ended"] = session["ended"] or "logout"
            return None
        if isinstance(self.answers.get(("identity", method)), Exception):  # identity down, say
            raise self.answers[("identity", method)]
        if session is None or session["ended"]:
            raise DomainError("SESSION_ENDED", {"revoked": "证书已被吊销，登录已失效"}.get(
                (session or {}).get("ended"), "您已退出登录，请重新登录"), 401)
        return {"session_id": session_id, "role": session["role"], "subject": session["subject"]}

    def call(self, service, method, **kwargs):
        if service == "identity" and method in SESSION_METHODS:
            return self._session_call(method, kwargs["session_id"])
        self.calls.append((service, method, kwargs))
        answer = self.answers.get((service, method))
        if isinstance(answer, Exception):
            raise answer
        return answer(**kwargs) if callable(answer) else answer

    def ping(self, service, timeout):
        answer = self.answers.get((service, "ping"))
        return answer


@pytest.fixture
def services():
    return RecordingServices()


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the real Redis (sessions and rate-limit counts live there)."""
    return f"xjtest:{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def app(services, redis_prefix):
    app = create_app({"TESTING": True, "XJ_REDIS_KEY_PREFIX": redis_prefix})
    app.extensions["xj_rpc"] = services
    guard = app.extensions["xj_sessions"]
    guard.key_prefix = redis_prefix
    if not guard.ping():
        pytest.fail(f"Redis is not reachable at {app.config['XJ_REDIS_URL']}: the gateway keeps sessions there "
                    "(start redis-server, or set XJ_REDIS_URL)")
    yield app
    for key in guard.client.scan_iter(f"{redis_prefix}*"):
        guard.client.delete(key)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token_for(app, services):
    """token_for(role, subject, ttl_seconds=3600): a token of a session the fake identity knows."""
    from gateway.auth import issue_token

    def _token(role, subject, ttl_seconds=3600):
        session = services.start_session(role, subject, ttl_seconds)
        with app.app_context():
            token, _ = issue_token(role, subject, session)
        return token

    return _token


@pytest.fixture
def person_token(token_for):
    from gateway.auth import PERSON
    return token_for(PERSON, "person-1")


@pytest.fixture
def enterprise_token(token_for):
    from gateway.auth import ENTERPRISE
    return token_for(ENTERPRISE, "9151010029141777XB")


@pytest.fixture
def refused(client, services):
    """refused(verb, path, body, token=None, status=401, error=None): the request (with that bearer
    token, or none) gets ``status`` (and the ``error`` code, if given), and no service is called."""

    def _refused(verb, path, body, token=None, status=401, error=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = getattr(client, verb)(path, json=body, headers=headers)
        assert response.status_code == status
        if error is not None:
            assert response.get_json()["error"] == error
        assert services.calls == []

    return _refused


@pytest.fixture
def list_page(client, services):
    """list_page(url, token, rpc, item, page, per_page): GET ``url`` with that token while the service's
    ``rpc`` (service, method) answers a page holding ``item``; checks the 200 and the page's keys,
    and returns the RPC's keyword arguments and the first item's keys."""

    def _list_page(url, token, rpc, item, page, per_page):
        services.answers[rpc] = {"items": [item], "total": 1, "page": page, "per_page": per_page}
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        [(service, method, kwargs)] = services.calls
        assert (service, method) == rpc
        body = response.get_json()
        assert set(body) == {"items", "total", "page", "per_page"}
        return kwargs, set(body["items"][0])

    return _list_page
