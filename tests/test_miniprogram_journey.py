"""The WeChat mini-program of persons (miniprogram/), tested by its own tools (Node 20, jest with
miniprogram-simulate and the real WXML compiler, ESLint) from here, so `make test` runs them:

- ESLint and the page tests against an in-process fake gateway (no platform);
- the person's journey through the real platform started here as `make run` starts it: the
  mini-program's wx.request / wx.uploadFile / wx.downloadFile reach this gateway over HTTP, the
  enterprise side (logged in below with the dev CA, as tests/helpers.py does) acts through the API.
"""
import datetime
import json
import os
import secrets
import shutil
import subprocess

import pytest
from flask import Flask

from gateway.auth import PERSON, issue_token

from .helpers import login_enterprise

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MINIPROGRAM = os.path.join(ROOT, "miniprogram")
JEST_TIMEOUT_SECONDS = 600


def node_tool(name):
    path = os.path.join(MINIPROGRAM, "node_modules", ".bin", name)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: run `make install` (it runs npm ci in miniprogram/)")
    return path


def run(argv, env=None):
    result = subprocess.run(argv, cwd=MINIPROGRAM, env={**os.environ, **(env or {})}, capture_output=True,
                            text=True, timeout=JEST_TIMEOUT_SECONDS)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(argv[:2])} failed:\n{output[-20000:]}"
    return output


def test_the_mini_program_passes_eslint_and_its_page_tests():
    assert shutil.which("node"), "Node 20 is needed (deploy/scripts/install-system.sh installs it)"
    run([node_tool("eslint"), "."])
    output = run([node_tool("jest"), "--selectProjects", "unit", "--ci"])
    assert "Tests:" in output and " failed" not in output.split("Tests:")[-1].splitlines()[0]


def expired_person_token(key):
    """A person token the platform signed (its key) whose lifetime is over: a session that expired."""
    app = Flask("expired-token")
    app.config["XJ_TOKEN_KEY"] = key
    three_hours_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=3)
    session = {"session_id": "a-session-that-expired", "expires_at": three_hours_ago + datetime.timedelta(hours=1)}
    with app.app_context():
        token, _ = issue_token(PERSON, "person-whose-session-expired", session, now=three_hours_ago)
    return token


@pytest.mark.e2e
def test_the_person_journey_runs_in_the_mini_program_against_the_platform(platform_factory):
    token_key = secrets.token_urlsafe(48)
    platform = platform_factory(extra_env={"XJ_TOKEN_KEY": token_key})
    enterprises = []
    for index in (0, 1):
        enterprise, _ = login_enterprise(platform, "rsa", index)
        me = enterprise.get("/api/v1/ent/me").json()
        enterprises.append({"token": enterprise.token, "uscc": me["uscc"], "name": me["name"]})
    run([node_tool("jest"), "--selectProjects", "flow", "--ci", "--runInBand"], env={
        "XJ_GATEWAY_URL": platform.url,
        "XJ_STUBS_URL": platform.stubs_url,
        "XJ_BUSINESS_DATE": platform.business_now().date().isoformat(),
        "XJ_ENTERPRISES": json.dumps(enterprises, ensure_ascii=False),
        "XJ_EXPIRED_TOKEN": expired_person_token(token_key),
    })
