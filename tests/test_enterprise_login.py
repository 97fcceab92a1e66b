"""Enterprise CA login end to end: the dev CA's certificates, signed nonces, CRL revocation, roles."""
import base64
import os

import pytest
import requests

from xjdevca import issue, revoke, sign_nonce

from .helpers import Api, ca_login, login_person, sample_certificate

pytestmark = pytest.mark.e2e


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
