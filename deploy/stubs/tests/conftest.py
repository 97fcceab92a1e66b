"""Fixtures for the stub server's tests: each test talks real HTTP to its own server on a free port."""
import json
import sys
from pathlib import Path

import pytest
import requests

STUBS_DIR = Path(__file__).resolve().parents[1]
if str(STUBS_DIR) not in sys.path:   # these sources, installed (`make install`) or not
    sys.path.insert(0, str(STUBS_DIR))

from xjstubs import serve_in_thread  # noqa: E402
from xjstubs.config import DEFAULT_NATIONAL_DATA  # noqa: E402


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def start_stub():
    """Start a stub server with config overrides; every one started is stopped after the test."""
    servers = []

    def start(**config):
        config.setdefault("env", "test")
        server, base_url = serve_in_thread(port=0, **config)
        servers.append(server)
        return base_url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def stub(start_stub):
    return start_stub()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def creds():
    """The mini-program's appid and secret, as the services send them."""
    return {"appid": "wxdevapp000000001", "secret": "dev-secret"}


@pytest.fixture
def get_token(creds):
    def get(base_url):
        answer = requests.get(f"{base_url}/cgi-bin/token", params={"grant_type": "client_credential", **creds}).json()
        return answer["access_token"]
    return get


@pytest.fixture
def token(stub, get_token):
    return get_token(stub)


@pytest.fixture(scope="session")
def national_fixture():
    return json.loads(DEFAULT_NATIONAL_DATA.read_text(encoding="utf-8"))
