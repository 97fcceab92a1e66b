"""Small clients for end-to-end tests: what the mini-program and the portal would send."""
import requests


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


def login_enterprise(platform, algorithm="rsa", index=0):
    """Log in as a sample enterprise of the dev CA (make run creates them in <data>/devca)."""
    import base64
    import json
    import os

    from xjdevca import sign_nonce

    with open(os.path.join(platform.data_dir, "devca", "sample", "index.json"), encoding="utf-8") as handle:
        entry = [e for e in json.load(handle) if e["algorithm"] == algorithm][index]
    challenge = requests.post(f"{platform.url}/api/v1/ent/auth/challenge", timeout=30).json()
    with open(entry["key"], "rb") as handle:
        signature = sign_nonce(handle.read(), base64.b64decode(challenge["nonce"]))
    with open(entry["cert"], encoding="ascii") as handle:
        response = requests.post(f"{platform.url}/api/v1/ent/auth/login", timeout=30, json={
            "challenge_id": challenge["challenge_id"], "certificate": handle.read(),
            "signature": base64.b64encode(signature).decode()})
    response.raise_for_status()
    return Api(platform.url, response.json()["token"]), entry


def upload(api, content, filename="劳动合同.pdf"):
    return requests.post(api.base_url + "/api/v1/ent/files", files={"file": (filename, content)},
                         headers=api._headers(), timeout=30)
