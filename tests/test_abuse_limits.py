"""Abuse limits end to end: rate limits held in the shared Redis by every gateway worker, and the
audit log of person lookups that regulators read with xj-audit-lookups."""
import hashlib
import json
import os
import subprocess
import sys

import pytest
import redis
import requests

from xjkit.testdata import make_id_card

from .helpers import hire, login_enterprise

pytestmark = pytest.mark.e2e


def test_wechat_logins_past_the_limit_get_429_whichever_gateway_worker_answers(platform_factory):
    limited = platform_factory(extra_env={"XJ_LIMIT_MP_LOGIN": "5/minute"})
    codes = [requests.post(f"{limited.url}/api/v1/mp/auth/login", json={"code": f"dev-limit-{n}"},
                           timeout=30).status_code for n in range(12)]  # a new connection each: any worker
    assert codes == [200] * 5 + [429] * 7
    refused = requests.post(f"{limited.url}/api/v1/mp/auth/login", json={"code": "dev-limit-x"}, timeout=30)
    assert refused.json()["error"] == "RATE_LIMITED" and int(refused.headers["Retry-After"]) >= 1
    # the count lives in Redis under this platform's prefix, where every worker and replica reads it
    prefix = f"xj:{hashlib.sha256(limited.data_dir.encode()).hexdigest()[:10]}:limits"
    assert redis.Redis.from_url("redis://127.0.0.1:6379/0").keys(f"*{prefix}*")


def test_every_person_lookup_lands_in_the_audit_log_that_regulators_read(platform):
    enterprise, entry = login_enterprise(platform, index=10)
    hire(platform, enterprise, "audit-p", "610100199610283184", "测试戊")
    stranger = make_id_card(region="620100", birth="19900101", seq="555")
    assert enterprise.get("/api/v1/ent/persons/lookup", params={"id_card_no": "610100199610283184"}).status_code == 200
    assert enterprise.get("/api/v1/ent/persons/lookup", params={"id_card_no": stranger}).status_code == 404
    command = [os.path.join(os.path.dirname(sys.executable), "xj-audit-lookups"), "--enterprise", entry["uscc"],
               "--format", "json"]
    result = subprocess.run(command, env={**os.environ, "AMQP_URI": platform.env["AMQP_URI"]},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["id_card_masked"], row["found"]) for row in rows] == [
        (f"{stranger[:6]}********{stranger[-4:]}", False), ("610100********3184", True)]
    assert stranger not in result.stdout and "610100199610283184" not in result.stdout
    by_person = subprocess.run([*command[:1], "--id-card-no", "610100199610283184"],
                               env={**os.environ, "AMQP_URI": platform.env["AMQP_URI"]},
                               capture_output=True, text=True, timeout=120)
    assert by_person.returncode == 0 and entry["uscc"] in by_person.stdout
