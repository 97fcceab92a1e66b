"""Enterprise CA login end to end: the dev CA's certificates, signed nonces, CRL revocation, roles,
sessions (logout, revocation of a running session), certificate purpose, CRLs that fail closed."""
import base64
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
import requests

from xjdevca import issue, refresh_crls, revoke, sample, sign_nonce
from xjkit.testdata import make_id_card
from xjkit.validators import check_uscc
from xjstubs.config import DEFAULT_NATIONAL_DATA

from .conftest import BUSINESS_NOW
from .helpers import Api, ca_login, login_person, sample_certificate

pytestmark = pytest.mark.e2e

XJ_DEV_CA = os.path.join(os.path.dirname(sys.executable), "xj-dev-ca")
SESSION_CACHE_SECONDS = 10  # the gateway's bound: an ended session stops working within it


def devca_dir(platform):
    return os.path.join(platform.data_dir, "devca")


@pytest.mark.parametrize("algorithm", ["rsa", "ecdsa", "sm2"])
def test_an_enterprise_logs_in_with_each_algorithm_and_reads_its_account(platform, algorithm):
    entry = sample_certificate(platform, algorithm)
    response, challenge = ca_login(platform, entry["cert"], entry["key"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["enterprise"] == {"uscc": entry["uscc"], "name": entry["name"]}
    assert len(base64.b64decode(challenge["nonce"])) >= 16
    me = Api(platform.url, body["token"]).get("/api/v1/ent/me")
    assert me.status_code == 200 and me.json()["uscc"] == entry["uscc"]
    assert me.json()["last_login_at"].endswith("+08:00")
    assert body["expires_at"].endswith("+08:00")


def test_a_replayed_challenge_is_refused(platform):
    entry = sample_certificate(platform)
    response, challenge = ca_login(platform, entry["cert"], entry["key"])
    assert response.status_code == 200
    with open(entry["key"], "rb") as handle:
        signature = sign_nonce(handle.read(), base64.b64decode(challenge["nonce"]))
    with open(entry["cert"], encoding="ascii") as handle:
        replay = requests.post(f"{platform.url}/api/v1/ent/auth/login", timeout=30, json={
            "challenge_id": challenge["challenge_id"], "certificate": handle.read(),
            "signature": base64.b64encode(signature).decode()})
    assert replay.status_code == 401 and replay.json()["error"] == "CA_CHALLENGE_INVALID"


def test_a_wrong_signature_is_refused(platform):
    entry = sample_certificate(platform)
    response, _ = ca_login(platform, entry["cert"], entry["key"], tamper=True)
    assert response.status_code == 401 and response.json()["error"] == "CA_SIGNATURE_INVALID"


def test_a_revoked_certificate_is_refused_once_the_crl_names_it(platform, tmp_path):
    directory = devca_dir(platform)
    # valid around the platform's business instant, which the login judges validity at
    issued = issue(directory, name="陕西华西建设监理咨询有限公司", uscc="91610100859574891U", algorithm="rsa",
                   out=tmp_path / "to-revoke", now=platform.business_now())
    assert ca_login(platform, issued.cert_path, issued.key_path)[0].status_code == 200
    revoke(directory, issued.cert_path)
    response, _ = ca_login(platform, issued.cert_path, issued.key_path)
    assert response.status_code == 401 and response.json()["error"] == "CA_CERT_REVOKED"


def test_an_expired_certificate_is_refused(platform, tmp_path):
    # expired the day before the platform's business date: the real date plays no part
    issued = issue(devca_dir(platform), name="甘肃秦川勘察研究院有限公司", uscc="91620100604230413K",
                   algorithm="sm2", out=tmp_path / "expired", expired=True, now=platform.business_now())
    response, _ = ca_login(platform, issued.cert_path, issued.key_path)
    assert response.status_code == 401 and response.json()["error"] == "CA_CERT_EXPIRED"


def test_enterprise_and_person_tokens_are_not_interchangeable(platform):
    entry = sample_certificate(platform)
    enterprise = Api(platform.url, ca_login(platform, entry["cert"], entry["key"])[0].json()["token"])
    person, _ = login_person(platform.url, "role-check")
    assert enterprise.get("/api/v1/mp/me").status_code == 403
    assert person.get("/api/v1/ent/me").status_code == 403
    assert person.get("/api/v1/ent/me").json()["error"] == "WRONG_ROLE"


def test_an_unknown_field_in_the_login_body_is_refused(platform):
    response = requests.post(f"{platform.url}/api/v1/ent/auth/login", timeout=30, json={
        "challenge_id": "x", "certificate": "y", "signature": "z", "uscc": "9151010029141777XB"})
    assert response.status_code == 422 and "uscc" in response.json()["errors"]


# --- sessions: logout and revocation (issue 11, item 4) ----------------------------------------


def test_logout_ends_the_session_and_a_later_use_of_the_token_is_401_session_ended(platform):
    entry = sample_certificate(platform, "sm2")
    enterprise = Api(platform.url, ca_login(platform, entry["cert"], entry["key"])[0].json()["token"])
    assert enterprise.get("/api/v1/ent/me").status_code == 200
    logout = enterprise.post("/api/v1/ent/auth/logout")
    assert logout.status_code == 204
    after = enterprise.get("/api/v1/ent/me")
    assert after.status_code == 401
    assert after.json()["error"] == "SESSION_ENDED" and "退出登录" in after.json()["message"]
    assert enterprise.post("/api/v1/ent/auth/logout").status_code == 401


def test_logout_ends_only_that_session(platform):
    entry = sample_certificate(platform)
    first = Api(platform.url, ca_login(platform, entry["cert"], entry["key"])[0].json()["token"])
    second = Api(platform.url, ca_login(platform, entry["cert"], entry["key"])[0].json()["token"])
    assert first.post("/api/v1/ent/auth/logout").status_code == 204
    assert second.get("/api/v1/ent/me").status_code == 200


def test_a_person_logs_out_too(platform):
    person, _ = login_person(platform.url, "logout-check")
    assert person.get("/api/v1/mp/me").status_code == 200
    assert person.post("/api/v1/mp/auth/logout").status_code == 204
    after = person.get("/api/v1/mp/me")
    assert after.status_code == 401 and after.json()["error"] == "SESSION_ENDED"


def test_revoking_the_certificate_ends_its_running_session_within_the_cache_bound(platform, tmp_path):
    issued = issue(devca_dir(platform), name="四川黄河建设集团有限公司", uscc="9151010029141777XB", algorithm="ecdsa",
                   out=tmp_path / "revoked-while-in-use", now=platform.business_now())
    response, _ = ca_login(platform, issued.cert_path, issued.key_path)
    assert response.status_code == 200, response.text
    enterprise = Api(platform.url, response.json()["token"])
    assert enterprise.get("/api/v1/ent/me").status_code == 200
    subprocess.run([XJ_DEV_CA, "revoke", "--dir", devca_dir(platform), "--cert", str(issued.cert_path)],
                   check=True, capture_output=True)
    revoked_at = time.monotonic()
    while True:
        answer = enterprise.get("/api/v1/ent/me")
        if answer.status_code != 200 or time.monotonic() - revoked_at > SESSION_CACHE_SECONDS + 5:
            break
        time.sleep(0.5)
    assert answer.status_code == 401, "the session outlived the revocation"
    assert time.monotonic() - revoked_at <= SESSION_CACHE_SECONDS + 5
    assert answer.json()["error"] == "SESSION_ENDED" and "吊销" in answer.json()["message"]


# --- certificate purpose (issue 11, item 3) -------------------------------------------------------


def test_a_server_auth_only_certificate_is_refused_as_not_enterprise(platform, tmp_path):
    issued = issue(devca_dir(platform), name="四川黄河建设集团有限公司", uscc="9151010029141777XB", algorithm="rsa",
                   out=tmp_path / "tls-server", now=platform.business_now(), eku=("serverAuth",))
    response, _ = ca_login(platform, issued.cert_path, issued.key_path)
    assert response.status_code == 401
    assert response.json()["error"] == "CA_CERT_NOT_ENTERPRISE"


def _resident_id_passing_gb_32100():
    for seq in range(100, 1000):
        candidate = make_id_card(region="510104", birth="19600101", seq=f"{seq:03d}")
        if check_uscc(candidate) is None:
            return candidate
    raise AssertionError("none found")


@pytest.mark.parametrize("kind", ["person-policy", "id-number-passing-gb-32100"])
def test_a_person_certificate_is_refused_as_not_enterprise_and_gets_no_account(platform, tmp_path, kind):
    id_number = _resident_id_passing_gb_32100()
    if kind == "person-policy":
        issued = issue(devca_dir(platform), name="张三", uscc=None, person=make_id_card(seq="771"), algorithm="sm2",
                       out=tmp_path / kind, now=platform.business_now())
    else:  # issued as if for an enterprise, with an ID number as its "credit code"
        issued = issue(devca_dir(platform), name="张三", uscc=id_number, algorithm="rsa", out=tmp_path / kind,
                       now=platform.business_now())
    response, _ = ca_login(platform, issued.cert_path, issued.key_path)
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "CA_CERT_NOT_ENTERPRISE" and "个人证书" in body["message"]


# --- revocation fails closed (issue 11, item 5) ---------------------------------------------------


def test_readiness_shows_every_trusted_cas_crl_as_ok(platform):
    body = requests.get(f"{platform.url}/readyz", timeout=30).json()
    assert body["crls"]["state"] == "ok"
    assert sorted(ca["state"] for ca in body["crls"]["cas"]) == ["ok", "ok"]
    assert all(ca["next_update"].endswith("+08:00") for ca in body["crls"]["cas"])


@pytest.fixture(scope="module")
def platform_with_bad_crls(platform_factory):
    """A platform whose RSA root's CRL is stale (its nextUpdate and the grace period are past) and
    whose SM2 root's CRL file is missing."""
    data_dir = tempfile.mkdtemp(prefix="xj-e2e-crl-")
    directory = os.path.join(data_dir, "devca")
    sample(directory, DEFAULT_NATIONAL_DATA, now=datetime.datetime.fromisoformat(BUSINESS_NOW))
    refresh_crls(directory, now=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=40))
    stale = os.path.join(data_dir, "stale-crl-rsa.pem")
    shutil.copyfile(os.path.join(directory, "crl-rsa.pem"), stale)
    missing = os.path.join(data_dir, "no-such-crl-sm2.pem")
    return platform_factory(data_dir=data_dir, extra_env={"XJ_CA_CRLS": f"{stale},{missing}",
                                                          "XJ_CRL_GRACE_SECONDS": "3600"})


@pytest.mark.parametrize("algorithm, why", [("rsa", "stale"), ("ecdsa", "stale"), ("sm2", "missing")])
def test_a_stale_or_missing_crl_refuses_logins_with_503_crl_unavailable(platform_with_bad_crls, algorithm, why):
    entry = sample_certificate(platform_with_bad_crls, algorithm)
    response, _ = ca_login(platform_with_bad_crls, entry["cert"], entry["key"])
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["error"] == "CA_CRL_UNAVAILABLE" and "吊销列表" in body["message"]


def test_readiness_reports_the_stale_and_the_missing_crl_and_stays_ready(platform_with_bad_crls):
    response = requests.get(f"{platform_with_bad_crls.url}/readyz", timeout=30)
    assert response.status_code == 200  # persons, the public list and other CAs still work
    crls = response.json()["crls"]
    assert crls["state"] == "degraded"
    states = {ca["ca"].split("CN=")[1].split(",")[0]: ca["state"] for ca in crls["cas"]}
    assert states == {"XJ Dev Root CA (RSA)": "stale", "XJ Dev Root CA (SM2)": "missing"}
    assert {"file": "no-such-crl-sm2.pem", "state": "missing"} in crls["files"]


def test_persons_log_in_while_the_crls_are_unusable(platform_with_bad_crls):
    person, _ = login_person(platform_with_bad_crls.url, "crl-independent")
    assert person.get("/api/v1/mp/me").status_code == 200
