"""The CA helper stub speaks the local helper's /synctl protocol over real HTTP, with the dev CA's keys."""
import base64
import json
import logging

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding

from xjstubs import StubConfigError
from xjstubs.ca_helper import (
    SAR_PIN_INCORRECT, SAR_PIN_LOCKED, SAR_USER_NOT_LOGGED_IN, SGD_SHA1_RSA, SGD_SHA256_RSA, SGD_SM3_SM2,
    SOR_ALGO_TYPE, SOR_CERT_NOT_FOUND, SOR_NOT_SUPPORT_YET, XTXAPP_CLSID, create_helper_app, serve_helper_in_thread,
)

xjdevca = pytest.importorskip("xjdevca")

PIN = "246810"
ENTERPRISES = [
    {"uscc": "9151010029141777XB", "name": "四川黄河建设集团有限公司", "qualifications": []},
    {"uscc": "91610100859574891U", "name": "陕西华西建设监理咨询有限公司", "qualifications": []},
]


@pytest.fixture(scope="module")
def devca(tmp_path_factory):
    directory = tmp_path_factory.mktemp("devca")
    dataset = directory / "national.json"
    dataset.write_text(json.dumps({"enterprises": ENTERPRISES, "persons": []}, ensure_ascii=False), encoding="utf-8")
    xjdevca.sample(directory, dataset)
    return directory


@pytest.fixture
def helper(devca):
    servers = []

    def start(**config):
        config.setdefault("env", "test")
        config.setdefault("samples", str(devca / "sample" / "index.json"))
        config.setdefault("pin", PIN)
        config.setdefault("pin_tries", 3)
        server, url = serve_helper_in_thread(port=0, **config)
        servers.append(server)
        return Helper(url)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class Helper:
    """What the portal's page sends: xtxsync.js's body, keeping the token SOF_Login hands out."""

    def __init__(self, url):
        self.url = url
        self.token = ""

    def call(self, func, *param):
        body = {"url": "http://127.0.0.1:8000/portal/login", "clsid": XTXAPP_CLSID, "func": func, "param": list(param)}
        if self.token:
            body["token"] = self.token
        response = requests.post(f"{self.url}/synctl", json=body, headers={"Origin": "http://127.0.0.1:8000"}, timeout=10)
        assert response.status_code == 200, response.text
        answer = response.json()
        self.token = answer["token"]
        return answer["retVal"]

    def users(self):
        listed = self.call("SOF_GetUserList")
        assert listed == "" or listed.endswith("&&&")
        return [tuple(item.split("||")) for item in listed.split("&&&") if item]


def sample(devca, algorithm):
    entries = json.loads((devca / "sample" / "index.json").read_text(encoding="utf-8"))
    return next(entry for entry in entries if entry["algorithm"] == algorithm)


def cert_id_of(client, devca, algorithm):
    wanted = x509.load_pem_x509_certificate(open(sample(devca, algorithm)["cert"], "rb").read())
    for _, cert_id in client.users():
        exported = x509.load_der_x509_certificate(base64.b64decode(client.call("SOF_ExportUserCert", cert_id)))
        if exported == wanted:
            return cert_id, exported
    raise AssertionError(f"no {algorithm} key listed")


def test_every_sample_certificate_is_listed_as_name_and_cert_id(helper, devca):
    client = helper()
    users = client.users()
    assert len(users) == 4  # RSA for both, ECDSA and SM2 for the first
    assert sorted(name for name, _ in users).count("四川黄河建设集团有限公司") == 3
    assert len({cert_id for _, cert_id in users}) == 4


def test_exported_certificate_is_the_base64_der_of_the_sample(helper, devca):
    client = helper()
    cert_id, exported = cert_id_of(client, devca, "sm2")
    assert exported.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)[0].value == "9151010029141777XB"


@pytest.mark.parametrize("algorithm", ["rsa", "ecdsa", "sm2"])
def test_after_the_pin_the_key_signs_base64_data_as_the_login_verifier_expects(helper, devca, algorithm):
    client = helper()
    cert_id, cert = cert_id_of(client, devca, algorithm)
    assert client.call("SOF_Login", cert_id, PIN) is True and client.token
    if algorithm != "ecdsa":
        assert client.call("SOF_SetSignMethod", SGD_SM3_SM2 if algorithm == "sm2" else SGD_SHA256_RSA) == 0
    nonce = bytes(range(32))
    signature = base64.b64decode(client.call("SOF_SignDataBase64", cert_id, base64.b64encode(nonce).decode()))
    if algorithm == "rsa":
        cert.public_key().verify(signature, nonce, padding.PKCS1v15(), hashes.SHA256())
    elif algorithm == "ecdsa":
        cert.public_key().verify(signature, nonce, ec.ECDSA(hashes.SHA256()))
    else:
        assert xjdevca.sm2.verify(xjdevca.sm2.certificate_point(cert), signature, nonce, user_ids=(b"1234567812345678",))


def test_sign_data_signs_the_utf8_text_itself(helper, devca):
    client = helper()
    cert_id, cert = cert_id_of(client, devca, "rsa")
    client.call("SOF_Login", cert_id, PIN)
    signature = base64.b64decode(client.call("SOF_SignData", cert_id, "登录随机数"))
    cert.public_key().verify(signature, "登录随机数".encode(), padding.PKCS1v15(), hashes.SHA256())


def test_sha1_sign_method_gives_a_sha1_signature_and_a_wrong_family_is_refused(helper, devca):
    client = helper()
    cert_id, cert = cert_id_of(client, devca, "rsa")
    client.call("SOF_Login", cert_id, PIN)
    client.call("SOF_SetSignMethod", SGD_SHA1_RSA)
    signature = base64.b64decode(client.call("SOF_SignDataBase64", cert_id, "AAEC"))
    cert.public_key().verify(signature, b"\x00\x01\x02", padding.PKCS1v15(), hashes.SHA1())
    client.call("SOF_SetSignMethod", SGD_SM3_SM2)
    assert client.call("SOF_SignDataBase64", cert_id, "AAEC") == ""
    assert client.call("SOF_GetLastError") == SOR_ALGO_TYPE


def test_signing_without_a_pin_login_is_refused(helper, devca):
    client = helper()
    cert_id, _ = cert_id_of(client, devca, "rsa")
    assert client.call("SOF_SignDataBase64", cert_id, "AAEC") == ""
    assert client.call("SOF_GetLastError") == SAR_USER_NOT_LOGGED_IN
    other, _ = cert_id_of(client, devca, "sm2")
    client.call("SOF_Login", other, PIN)  # a login to another key does not let this one sign
    assert client.call("SOF_SignDataBase64", cert_id, "AAEC") == ""


def test_a_wrong_pin_takes_one_try_off_and_the_right_one_restores_them(helper, devca):
    client = helper()
    cert_id, _ = cert_id_of(client, devca, "rsa")
    assert client.call("SOF_GetPinRetryCount", cert_id) == 3
    assert client.call("SOF_Login", cert_id, "000000") is False and client.token == ""
    assert client.call("SOF_GetLastError") == SAR_PIN_INCORRECT
    assert client.call("SOF_GetLastErrMsg") == "用户口令错误"
    assert client.call("SOF_GetPinRetryCount", cert_id) == 2
    assert client.call("SOF_Login", cert_id, PIN) is True
    assert client.call("SOF_GetPinRetryCount", cert_id) == 3


def test_at_zero_tries_the_key_is_locked_even_for_the_right_pin(helper, devca):
    client = helper()
    cert_id, _ = cert_id_of(client, devca, "rsa")
    for _ in range(3):
        assert client.call("SOF_Login", cert_id, "000000") is False
    assert client.call("SOF_GetLastError") == SAR_PIN_LOCKED
    assert client.call("SOF_GetPinRetryCount", cert_id) == 0
    assert client.call("SOF_Login", cert_id, PIN) is False
    assert client.call("SOF_GetLastError") == SAR_PIN_LOCKED
    # only that key: the others still log in
    other, _ = cert_id_of(client, devca, "sm2")
    assert client.call("SOF_Login", other, PIN) is True


def test_unplugged_keys_are_gone_and_reset_plugs_the_samples_back(helper, devca):
    client = helper()
    cert_id, _ = cert_id_of(client, devca, "rsa")
    assert requests.delete(f"{client.url}/stub/keys", timeout=10).json()["removed"] == 4
    assert client.call("SOF_GetUserList") == ""
    assert client.call("SOF_ExportUserCert", cert_id) == ""
    assert client.call("SOF_GetLastError") == SOR_CERT_NOT_FOUND
    assert requests.post(f"{client.url}/stub/reset", timeout=10).json() == {"status": "ok", "keys": 4}
    assert len(client.users()) == 4


def test_a_key_is_plugged_in_from_pem_files_and_unplugged_alone(helper, devca, tmp_path):
    issued = xjdevca.issue(devca, name="甘肃秦川勘察研究院有限公司", uscc="91620100604230413K", algorithm="rsa",
                           out=tmp_path / "extra")
    client = helper(samples=None)
    assert client.users() == []
    plugged = requests.post(f"{client.url}/stub/keys", timeout=10,
                            json={"cert": str(issued.cert_path), "key": issued.key_path.read_text(), "pin": "1357"})
    assert plugged.status_code == 201, plugged.text
    cert_id = plugged.json()["cert_id"]
    assert client.users() == [("甘肃秦川勘察研究院有限公司", cert_id)]
    assert client.call("SOF_Login", cert_id, "1357") is True
    assert requests.delete(f"{client.url}/stub/keys/{cert_id}", timeout=10).status_code == 200
    assert requests.delete(f"{client.url}/stub/keys/{cert_id}", timeout=10).status_code == 404
    bad = requests.post(f"{client.url}/stub/keys", json={"cert": "nope", "key": "nope"}, timeout=10)
    assert bad.status_code == 400


def test_an_unknown_function_fails_as_not_supported(helper):
    client = helper()
    assert client.call("SOF_DeleteEverything") == ""
    assert client.call("SOF_GetLastError") == SOR_NOT_SUPPORT_YET
    assert client.call("_key") == ""  # no way into the stub's internals


def test_preflight_allows_the_page_origin_json_and_private_network_access(helper):
    client = helper()
    response = requests.options(f"{client.url}/synctl", timeout=10, headers={
        "Origin": "https://xjcloud.example.gov.cn", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type", "Access-Control-Request-Private-Network": "true"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://xjcloud.example.gov.cn"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"].lower() == "content-type"
    assert response.headers["Access-Control-Allow-Private-Network"] == "true"


def test_every_answer_carries_the_cors_origin(helper):
    client = helper()
    response = requests.post(f"{client.url}/synctl", json={"func": "SOF_GetVersion", "param": []},
                             headers={"Origin": "http://127.0.0.1:8000"}, timeout=10)
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8000"
    assert "xjcloud" in response.json()["retVal"]
    malformed = requests.post(f"{client.url}/synctl", data="not json", headers={"Origin": "http://a.example"}, timeout=10)
    assert malformed.status_code == 400 and malformed.headers["Access-Control-Allow-Origin"] == "http://a.example"


def test_the_pin_never_reaches_the_log(helper, devca, caplog):
    client = helper()
    cert_id, _ = cert_id_of(client, devca, "rsa")
    with caplog.at_level(logging.INFO):
        client.call("SOF_Login", cert_id, "975311")
        client.call("SOF_Login", cert_id, PIN)
    assert "SOF_Login" in caplog.text
    assert "975311" not in caplog.text and PIN not in caplog.text


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_the_helper_stub_refuses_to_start_outside_dev_and_test(env):
    with pytest.raises(StubConfigError, match="refuses to start"):
        create_helper_app({"env": env})


def test_default_port_is_the_real_helpers_21051(monkeypatch):
    monkeypatch.delenv("XJ_CA_HELPER_PORT", raising=False)
    assert create_helper_app({"env": "test"}).config["XJ_CA_HELPER"]["port"] == 21051
