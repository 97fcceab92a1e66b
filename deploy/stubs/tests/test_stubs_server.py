"""Starting the stub: environment, refusal outside dev/test, health, CRLs, reset, masked logs."""
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests


from xjkit.polling import free_port
from xjstubs import StubConfigError, create_app, serve_in_thread
from xjstubs.config import DEFAULT_NATIONAL_DATA
from xjstubs.masking import mask_sensitive

STUBS_DIR = Path(__file__).resolve().parents[1]


def test_health_is_ok(stub):
    response = requests.get(f"{stub}/stub/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_default_dataset_ships_inside_the_stubs_package():
    assert DEFAULT_NATIONAL_DATA == STUBS_DIR / "xjstubs" / "data" / "national-platform.json"
    assert DEFAULT_NATIONAL_DATA.is_file()


@pytest.mark.parametrize("env", ["prod", "production", "staging"])
def test_xj_env_other_than_dev_or_test_is_refused(monkeypatch, env):
    monkeypatch.setenv("XJ_ENV", env)
    with pytest.raises(StubConfigError, match=f"XJ_ENV='{env}'"):
        create_app()
    with pytest.raises(StubConfigError):
        serve_in_thread(port=0)


@pytest.mark.parametrize("env", ["dev", "test"])
def test_xj_env_dev_and_test_are_accepted(monkeypatch, env):
    monkeypatch.setenv("XJ_ENV", env)
    assert create_app().config["XJ_STUBS"]["env"] == env


def test_unset_xj_env_means_prod_so_the_stubs_refuse_to_start(monkeypatch):
    monkeypatch.delenv("XJ_ENV", raising=False)
    with pytest.raises(StubConfigError, match="XJ_ENV='prod'"):
        create_app()


def test_missing_dataset_file_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(StubConfigError, match="not found: .*nope.json"):
        create_app({"env": "test", "national_data": str(missing)})


@pytest.mark.parametrize("content", ["{not json", "[]", '{"enterprises": [], "persons": {}}'])
def test_dataset_file_that_is_not_a_dataset_is_refused(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StubConfigError, match="bad.json is not usable"):
        create_app({"env": "test", "national_data": str(path)})


def test_xj_national_data_environment_variable_is_honoured(monkeypatch, tmp_path, national_fixture):
    doc = {**national_fixture, "enterprises": national_fixture["enterprises"][:1]}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("XJ_NATIONAL_DATA", str(path))
    app = create_app({"env": "test"})
    client = app.test_client()
    assert client.get(f"/national/api/v1/enterprises/{doc['enterprises'][0]['uscc']}").status_code == 200
    assert client.get(f"/national/api/v1/enterprises/{national_fixture['enterprises'][1]['uscc']}").status_code == 404


def test_unknown_config_key_is_refused():
    with pytest.raises(StubConfigError, match="unknown stub configuration keys: colour"):
        create_app({"env": "test", "colour": "red"})


def test_crl_is_served_from_xj_ca_crl_dir_as_pkix_crl(start_stub, tmp_path):
    (tmp_path / "dev-ca.crl").write_bytes(b"\x30\x82\x01\x00crl-bytes")
    stub = start_stub(ca_crl_dir=str(tmp_path))
    response = requests.get(f"{stub}/ca/crl/dev-ca.crl")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pkix-crl"
    assert response.content == b"\x30\x82\x01\x00crl-bytes"
    assert requests.get(f"{stub}/ca/crl/other.crl").status_code == 404
    assert requests.get(f"{stub}/ca/crl/..%2Fsecret").status_code == 404


def test_crl_without_xj_ca_crl_dir_is_404(stub):
    assert requests.get(f"{stub}/ca/crl/dev-ca.crl").status_code == 404


def test_unknown_path_is_a_json_404(stub):
    response = requests.get(f"{stub}/no/such/thing")
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"


def test_mask_sensitive_masks_id_and_phone_numbers_but_not_uscc():
    text = "/persons/510104199001011234/x?id_card_no=11010519960221482X,13800138000&uscc=911101054728576191"
    assert mask_sensitive(text) == (
        "/persons/510104********1234/x?id_card_no=110105********482X,138****8000&uscc=911101054728576191")


def test_request_log_never_holds_a_full_id_number_or_secret(stub, caplog, creds):
    id_no = "510100198612235495"
    with caplog.at_level(logging.INFO, logger="xjstubs"):
        requests.get(f"{stub}/national/api/v1/persons/{id_no}/certificates")
        requests.get(f"{stub}/national/api/v1/enterprises/9151010029141777XB/certificates",
                     params={"id_card_no": f"{id_no},13800138000"})
        token = requests.get(f"{stub}/cgi-bin/token", params={"grant_type": "client_credential", **creds}).json()
        requests.post(f"{stub}/cityservice/face/identify/getverifyid", params={"access_token": token["access_token"]},
                      json={"out_seq_no": "s", "openid": "o", "cert_info": {
                          "cert_type": "IDENTITY_CARD", "cert_name": "万秀", "cert_no": id_no}})
        requests.post(f"{stub}/stub/face/preset", json={"cert_no": id_no, "verify_ret": 10003})
    text = caplog.text
    assert "/persons/510100********5495/certificates" in text
    assert id_no not in text and "13800138000" not in text
    assert creds["secret"] not in text and token["access_token"] not in text


def run_module(env_overrides, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(STUBS_DIR), **env_overrides}
    return subprocess.Popen([sys.executable, "-m", "xjstubs"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_python_m_xjstubs_with_xj_env_prod_exits_with_a_message():
    process = run_module({"XJ_ENV": "prod", "XJ_STUBS_PORT": str(free_port())})
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "refuses to start with XJ_ENV='prod'" in stderr


def test_python_m_xjstubs_serves_on_xj_stubs_port_and_stops_on_sigterm():
    port = free_port()
    process = run_module({"XJ_ENV": "dev", "XJ_STUBS_PORT": str(port), "XJ_STUBS_HOST": "127.0.0.1"})
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert requests.get(f"http://127.0.0.1:{port}/stub/health", timeout=1).json() == {"status": "ok"}
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the stub did not come up"
                time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
        assert process.returncode == 0
        assert f"listening on http://127.0.0.1:{port}" in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
