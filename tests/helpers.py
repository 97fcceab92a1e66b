"""Small clients for end-to-end tests: what the mini-program and the portal would send."""
import base64
import json
import os
import shutil

import pytest
import requests
from xjdevca import sign_nonce
from xjkit.polling import poll


class Api:
    def __init__(self, base_url, token=None):
        self.base_url = base_url
        self.token = token

    def _headers(self, headers=None):
        merged = dict(headers or {})
        if self.token:
            merged["Authorization"] = f"Bearer {self.token}"
        return merged

    def get(self, path, **kwargs):
        return requests.get(self.base_url + path, headers=self._headers(kwargs.pop("headers", None)), timeout=30, **kwargs)

    def post(self, path, json=None, **kwargs):
        return requests.post(self.base_url + path, json=json, headers=self._headers(kwargs.pop("headers", None)),
                             timeout=30, **kwargs)

    def put(self, path, json=None, **kwargs):
        return requests.put(self.base_url + path, json=json, headers=self._headers(kwargs.pop("headers", None)),
                            timeout=30, **kwargs)


def login_person(base_url, openid):
    response = requests.post(f"{base_url}/api/v1/mp/auth/login", json={"code": f"dev-{openid}"}, timeout=30)
    response.raise_for_status()
    body = response.json()
    return Api(base_url, body["token"]), body


def verify_person(api, name, id_card_no):
    started = api.post("/api/v1/mp/realname", {"name": name, "id_card_no": id_card_no})
    started.raise_for_status()
    completed = api.post("/api/v1/mp/realname/complete", {"verify_id": started.json()["verify_id"]})
    completed.raise_for_status()
    return completed.json()


def sample_certificate(platform, algorithm="rsa", index=0):
    """A sample enterprise certificate of the dev CA (make run creates them in <data>/devca)."""
    with open(os.path.join(platform.data_dir, "devca", "sample", "index.json"), encoding="utf-8") as handle:
        return [e for e in json.load(handle) if e["algorithm"] == algorithm][index]


def ca_login(platform, cert_path, key_path, tamper=False):
    """What the portal and the USB key do: challenge, sign its nonce, log in. Returns the login
    response and the challenge; ``tamper`` signs another nonce."""
    challenge = requests.post(f"{platform.url}/api/v1/ent/auth/challenge", timeout=30).json()
    nonce = base64.b64decode(challenge["nonce"])
    with open(key_path, "rb") as handle:
        signature = sign_nonce(handle.read(), nonce + (b"x" if tamper else b""))
    with open(cert_path, encoding="ascii") as handle:
        certificate = handle.read()
    return requests.post(f"{platform.url}/api/v1/ent/auth/login", timeout=30, json={
        "challenge_id": challenge["challenge_id"], "certificate": certificate,
        "signature": base64.b64encode(signature).decode()}), challenge


def login_enterprise(platform, algorithm="rsa", index=0):
    """Log in as a sample enterprise of the dev CA."""
    entry = sample_certificate(platform, algorithm, index)
    response, _ = ca_login(platform, entry["cert"], entry["key"])
    response.raise_for_status()
    return Api(platform.url, response.json()["token"]), entry


def upload(api, content, filename="劳动合同.pdf"):
    return requests.post(api.base_url + "/api/v1/ent/files", files={"file": (filename, content)},
                         headers=api._headers(), timeout=30)


CONTRACT_PDF = b"%PDF-1.7\n%%EOF\n"


def hire(platform, enterprise, openid, id_card_no, name, contract_end="2027-11-30"):
    """A person logs in, verifies, is offered a job by ``enterprise`` and accepts with a face
    ticket. Returns the person's API and person_id."""
    person, _ = login_person(platform.url, openid)
    verify_person(person, name, id_card_no)
    offer = enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card_no, "contract_start": "2026-12-01", "contract_end": contract_end,
        "contract_file_id": upload(enterprise, CONTRACT_PDF).json()["file_id"]}).json()
    ticket = person.post("/api/v1/mp/face", {"purpose": "employment.accept", "target_id": offer["id"]}).json()
    accepted = person.post(f"/api/v1/mp/employments/{offer['id']}/accept", {"verify_id": ticket["verify_id"]})
    assert accepted.status_code == 200, accepted.text
    return person, person.get("/api/v1/mp/me").json()["person_id"]


def eventually(read, seconds=15, until=bool):
    """``read()`` again and again until ``until`` holds for its value (events take a moment to
    reach publicity), or the last value after ``seconds``."""
    return poll(read, seconds, interval=0.3, until=until)


def required_command(name, missing):
    """The path of the command `name`; without one the test fails with `missing` (how to install it)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(missing)
    return path
