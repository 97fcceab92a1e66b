import uuid

import pytest

from gateway.app import create_app


class RecordingServices:
    """Stands in for the RPC pool in gateway unit tests: records calls, answers from a table.

    Only for tests of the gateway's own behaviour (validation, auth, error mapping); tests that
    reach the services run them for real (integration and end-to-end tests).
    """

    def __init__(self):
        self.calls = []
        self.answers = {}

    def call(self, service, method, **kwargs):
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
def app(services):
    # rate-limit counts live in the real Redis: each app counts under a prefix of its own
    app = create_app({"TESTING": True, "XJ_RATELIMIT_PREFIX": f"test-{uuid.uuid4().hex}"})
    app.extensions["xj_rpc"] = services
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def person_token(app):
    from gateway.auth import PERSON, issue_token
    with app.app_context():
        token, _ = issue_token(PERSON, "person-1", 3600)
    return token


@pytest.fixture
def enterprise_token(app):
    from gateway.auth import ENTERPRISE, issue_token
    with app.app_context():
        token, _ = issue_token(ENTERPRISE, "9151010029141777XB", 3600)
    return token
