"""Operations end to end, on a platform of its own started as `make run` starts it:

- every service's /metrics answers (the URLs the launcher prints) and its counters move;
- one X-Request-ID is followed from the gateway through the logs of the services it reached;
- the backup drill: fill through the API, back up (publicity before a change, the rest after),
  wipe the databases, restore, and every record and the public list come back identical
  (the public list after the rebuild the restore asked for);
- no log line of the whole run holds a full ID number (GB 11643) or a mobile number.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import pymongo
import pytest
import requests

from xjkit.polling import port_open, wait_until
from xjkit.validators import id_card_check_char

from .conftest import RunningPlatform, create_vhost, delete_vhost
from .helpers import Api, hire, login_enterprise, login_person, upload, verify_person

pytestmark = pytest.mark.e2e

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
STORE_BIN = os.path.join(ROOT, ".venv-store", "bin", "nx-27017")
SERVICES = ("identity", "employment", "cert", "filing", "publicity")
DATABASES = {service: f"xj_{service}" for service in SERVICES}
METRICS_LINE = re.compile(r"metrics of (\w+):\s+(http://\S+/metrics)")
HUANGHE = 0  # 四川黄河建设集团有限公司 in the dev CA's samples
PDF = b"%PDF-1.7\n%%EOF\n"
MANAGER = ("ops-xiao", "510100196609086389", "萧杰然")
TECH = ("ops-wan", "510100198612235495", "万秀")
PHONE = "13800138000"


@pytest.fixture(scope="module")
def ops():
    """The module's platform, restarted by the drill on the same data directory."""
    state = {"data_dir": tempfile.mkdtemp(prefix="xj-ops-"), "vhost": create_vhost()}
    state["platform"] = RunningPlatform(state["data_dir"], state["vhost"]).start()
    yield state
    state["platform"].stop()
    delete_vhost(state["vhost"])


def metrics_urls(platform):
    return dict(METRICS_LINE.findall(platform.output()))


def sample(text, name, **labels):
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def scrape(url):
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, url
    return response.text


def log_lines(platform, name):
    path = os.path.join(platform.data_dir, "logs", f"{name}.log")
    with open(path, encoding="utf-8", errors="replace") as handle:
        return [json.loads(line) for line in handle if line.startswith("{")]


# --- metrics ----------------------------------------------------------------------------------

def test_make_run_prints_a_metrics_url_for_every_service_and_each_answers(ops):
    urls = metrics_urls(ops["platform"])
    assert set(urls) == {*SERVICES, "gateway"}
    for service in SERVICES:
        text = scrape(urls[service])
        assert f'xj_workers_max{{service="{service}"}}' in text
        assert "xj_store_operation_seconds_bucket" in text and "process_resident_memory_bytes" in text


def test_the_services_counters_move_under_a_request(ops):
    platform = ops["platform"]
    urls = metrics_urls(platform)
    for service in SERVICES:
        labels = {"service": service, "entrypoint": "ping", "kind": "rpc", "outcome": "ok"}
        before = sample(scrape(urls[service]), "xj_entrypoint_calls_total", **labels)
        assert requests.get(f"{platform.url}/readyz/{service}", timeout=10).status_code == 200
        # the reply leaves before the worker's result is counted: allow it a moment
        assert wait_until(lambda: sample(scrape(urls[service]), "xj_entrypoint_calls_total", **labels) == before + 1,
                        timeout=5), service

    labels = {"service": "identity", "entrypoint": "login_with_wechat", "kind": "rpc"}
    before = sample(scrape(urls["identity"]), "xj_entrypoint_seconds_count", **labels)
    login_person(platform.url, "ops-metrics")
    assert wait_until(lambda: sample(scrape(urls["identity"]), "xj_entrypoint_seconds_count", **labels) == before + 1,
                    timeout=5)
    gateway = scrape(urls["gateway"])
    assert sample(gateway, "xj_gateway_rpc_seconds_count", service="identity", method="login_with_wechat",
                  outcome="ok") >= 1
    assert sample(gateway, "xj_http_requests_total", method="POST", endpoint="/api/v1/mp/auth/login",
                  status="200") >= 1


# --- one request id through the logs ------------------------------------------------------------

def test_one_request_id_is_found_in_the_gateway_and_in_every_service_the_request_reached(ops):
    platform = ops["platform"]
    enterprise, _ = login_enterprise(platform, index=HUANGHE)
    person, _ = login_person(platform.url, "ops-trace")
    id_card = "11010519491231002X"
    verify_person(person, "张三", id_card)
    contract = upload(enterprise, PDF).json()["file_id"]
    request_id = "ops-trace-offer-1"
    offer = enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card, "contract_start": "2026-12-01", "contract_end": "2027-11-30",
        "contract_file_id": contract}, headers={"X-Request-ID": request_id})
    assert offer.status_code == 201, offer.text
    assert offer.headers["X-Request-ID"] == request_id

    def lines_of(name):
        return [line for line in log_lines(platform, name) if line.get("request_id") == request_id]

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not any(
            line.get("entrypoint") == "on_employment_offered" for line in lines_of("identity")):
        time.sleep(0.2)
    gateway = lines_of("gateway")
    assert [line["event"] for line in gateway] == ["http.request"]
    assert gateway[0]["route"] == "/api/v1/ent/employments" and gateway[0]["status"] == 201
    employment = {line.get("entrypoint") for line in lines_of("employment")}
    identity = {line.get("entrypoint") for line in lines_of("identity")}
    assert "make_offer" in employment  # the gateway's RPC
    assert "lookup_person_by_id_card" in identity  # employment's nested RPC
    assert "on_employment_offered" in identity  # the event, relayed from employment's outbox
    made = next(line for line in lines_of("employment") if line.get("entrypoint") == "make_offer")
    assert made["enterprise"] == login_enterprise_uscc(platform) and made["outcome"] == "ok"


def login_enterprise_uscc(platform):
    from .helpers import sample_certificate
    return sample_certificate(platform, "rsa", HUANGHE)["uscc"]


# --- backup, wipe, restore ----------------------------------------------------------------------

def submit(enterprise, business, data):
    response = enterprise.post("/api/v1/ent/filings", {"business": business, "enterprise_type": "construction",
                                                       "data": data})
    assert response.status_code == 201 and response.json()["status"] == "approved", response.text
    return response.json()


def views(platform, uscc, persons):
    """What the enterprise, its staff (``{openid: Api}``) and the public see, through the API."""
    enterprise, _ = login_enterprise(platform, index=HUANGHE)
    seen = {path: enterprise.get(path).json() for path in (
        "/api/v1/ent/me", "/api/v1/ent/registrations", "/api/v1/ent/filings", "/api/v1/ent/employments",
        "/api/v1/ent/certificates")}
    # this very login is recorded (on the travelling business clock): what it changed is not compared
    seen["/api/v1/ent/me"].pop("last_login_at", None)
    for certificate in seen["/api/v1/ent/me"].get("certificates", []):
        certificate.pop("last_login_at", None)
    for openid, person in persons.items():
        for path in ("/api/v1/mp/me", "/api/v1/mp/employments", "/api/v1/mp/certificates", "/api/v1/mp/messages"):
            seen[f"{openid}:{path}"] = person.get(path).json()
    public = Api(platform.url)
    seen["public list"] = public.get("/api/v1/public/enterprises", params={"per_page": 100}).json()
    seen["public detail"] = public.get(f"/api/v1/public/enterprises/{uscc}").json()
    return seen


def database_snapshot(uri, services):
    client = pymongo.MongoClient(uri, tz_aware=True)
    try:
        from bson import json_util
        state = {}
        for service in services:
            database = client[DATABASES[service]]
            for name in database.list_collection_names():
                # by content, not by key order (nx-27017 does not keep the order of a document's keys)
                state[(service, name)] = sorted(
                    json.dumps(json.loads(json_util.dumps(d, json_options=json_util.CANONICAL_JSON_OPTIONS)),
                               sort_keys=True, ensure_ascii=False) for d in database[name].find({}))
        return state
    finally:
        client.close()


def run_tool(*argv, env=None):
    result = subprocess.run([os.path.join(BIN, argv[0]), *argv[1:]], capture_output=True, text=True, timeout=300,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def bare_store(data_dir, port):
    """The platform's document store alone (no services), as during a restore in production."""
    store_dir = os.path.join(data_dir, "store")
    process = subprocess.Popen([STORE_BIN, "--data-dir", store_dir, "--host", "127.0.0.1", "-p", str(port),
                                "--log-file", os.path.join(data_dir, "logs", "store-restore.log"),
                                "--pid-file", os.path.join(data_dir, "restore-store.pid")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    assert wait_until(lambda: port_open(port), timeout=30), "the store did not start"
    return process


def test_backup_wipe_restore_brings_back_every_record_and_the_public_list(ops):
    platform = ops["platform"]
    enterprise, entry = login_enterprise(platform, index=HUANGHE)
    uscc = entry["uscc"]
    manager_api, manager = hire(platform, enterprise, *MANAGER, contract_end="2028-11-30")
    tech_api, tech = hire(platform, enterprise, *TECH, contract_end="2028-11-30")
    certificates = [c["id"] for c in enterprise.post("/api/v1/ent/certificates/sync").json()["added"]]
    assert certificates
    submit(enterprise, "first_filing", {
        "basic": {"name": entry["name"], "legal_representative": "苏芳", "registered_address": "四川省成都市人民南路278号",
                  "registered_capital_wan": 1000, "established_on": "2010-02-20", "contact_name": "王经理",
                  "contact_phone": PHONE},
        "manager_person_id": manager, "tech_manager_person_id": tech,
        "attachments": [upload(enterprise, PDF).json()["file_id"]], "sync_qualifications": True})
    public = Api(platform.url)
    assert wait_until(lambda: public.get(f"/api/v1/public/enterprises/{uscc}").status_code == 200)

    backup_set = os.path.join(ops["data_dir"], "backups", "drill")
    store_uri = f"mongodb://127.0.0.1:{platform.store_port}"
    # publicity is backed up first; the personnel filing after it changes what the public sees
    run_tool("xj-backup", "--uri", store_uri, "--out", backup_set, "--service", "publicity")
    before_personnel = public.get(f"/api/v1/public/enterprises/{uscc}").json()
    submit(enterprise, "personnel_filing", {"certificate_ids": certificates})
    assert wait_until(lambda: public.get(f"/api/v1/public/enterprises/{uscc}").json() != before_personnel)
    time.sleep(1.5)  # the events of the personnel filing reach cert-svc too
    output = run_tool("xj-backup", "--uri", store_uri, "--out", backup_set,
                      *[f"--service={s}" for s in SERVICES if s != "publicity"])
    assert "filing: xj_filing" in output
    records_before = database_snapshot(store_uri, SERVICES)  # what the backup holds (views log in: later)
    seen_before = views(platform, uscc, {MANAGER[0]: manager_api, TECH[0]: tech_api})

    # wipe: the platform is stopped, its store started alone, and every database dropped
    platform.stop()
    store = bare_store(ops["data_dir"], platform.store_port)
    try:
        client = pymongo.MongoClient(store_uri)
        for name in DATABASES.values():
            client.drop_database(name)
        assert not set(client.list_database_names()) & set(DATABASES.values())
        client.close()
        restored = run_tool("xj-restore", backup_set, "--uri", store_uri)
        assert "publicity_rebuild: required" in restored
        records_after = database_snapshot(store_uri, SERVICES)
    finally:
        store.terminate()
        store.wait(timeout=30)
    # every record of identity, employment, cert and filing is back as it was; publicity is as
    # it was at its own (older) backup
    assert {k: v for k, v in records_after.items() if k[0] != "publicity"} == \
        {k: v for k, v in records_before.items() if k[0] != "publicity"}

    platform = ops["platform"] = RunningPlatform(ops["data_dir"], ops["vhost"]).start()
    stale = Api(platform.url).get(f"/api/v1/public/enterprises/{uscc}").json()
    # the restored public list is exactly publicity's backup, so it lacks the personnel filing …
    assert stale == before_personnel
    run_tool("xj-publicity-rebuild", env={"AMQP_URI": platform.env["AMQP_URI"]})
    # (a WeChat code is single-use per stub process: the restarted stubs take each once more)
    seen_after = views(platform, uscc, {openid: login_person(platform.url, openid)[0]
                                        for openid in (MANAGER[0], TECH[0])})
    # … until it is rebuilt from filing; then everything is identical. A rebuilt entry's
    # updated_at is when the list was rebuilt (the read model's own write time, which orders the
    # change feed), so only that field may differ.
    for seen in (seen_before, seen_after):
        for item in seen["public list"]["items"] + [seen["public detail"]]:
            item.pop("updated_at")
    for key, value in seen_before.items():
        assert seen_after[key] == value, (key, differences(value, seen_after[key]))


def differences(before, after, path=""):
    """Where two JSON values differ (for a readable failure)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [d for key in sorted(set(before) | set(after))
                for d in differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for index, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, f"{path}[{index}]")]
    return [] if before == after else [f"{path}: {before!r} → {after!r}"]


# --- no full ID or phone number in any log line -------------------------------------------------

FULL_ID = re.compile(r"(?<![0-9])\d{17}[\dXx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")


def leaks(line):
    """The full ID numbers (valid GB 11643 check digit) and mobile numbers in a line."""
    ids = [m for m in FULL_ID.findall(line) if id_card_check_char(m[:17]) == m[17].upper()]
    return ids + MOBILE.findall(line)


@pytest.mark.parametrize("line, found", [
    ('{"message": "lookup 510100196609086389"}', True), ('{"phone": "13800138000"}', True),
    ('{"id": "510100********6389", "phone": "138****8000"}', False),
    ('{"serial": "510100196609086388"}', False),  # 18 digits with a wrong check digit: not an ID number
])
def test_the_log_scan_finds_full_numbers_and_passes_masked_ones(line, found):
    assert bool(leaks(line)) is found


def test_no_log_line_of_the_run_holds_a_full_id_or_mobile_number(ops):
    """Every log of both runs of the module's platform (services, gateway, stubs, store, launcher)."""
    logs_dir = os.path.join(ops["data_dir"], "logs")
    files = [os.path.join(logs_dir, name) for name in sorted(os.listdir(logs_dir))]
    files.append(os.path.join(ops["data_dir"], "launcher.out"))
    assert {f"{name}.log" for name in (*SERVICES, "gateway", "stubs")} <= set(os.listdir(logs_dir))
    found, lines = [], 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                lines += 1
                if leaks(line):
                    found.append(f"{os.path.basename(path)}:{number}: {line.strip()[:300]}")
    assert lines > 100  # the run did log
    assert not found, "\n".join(found[:20])


def test_every_line_the_services_and_the_gateway_wrote_is_one_json_object(ops):
    """One structured format: service, level and message on every line, the request id where
    there was a request (the stubs and the development store are not ours and write text)."""
    logs_dir = os.path.join(ops["data_dir"], "logs")
    for name in (*SERVICES, "gateway"):
        with open(os.path.join(logs_dir, f"{name}.log"), encoding="utf-8") as handle:
            lines = [line for line in handle if line.strip()]
        assert lines, name
        for line in lines:
            parsed = json.loads(line)  # fails on any line that is not JSON
            assert parsed["service"] == name and parsed["level"] and "message" in parsed, line
        parsed = [json.loads(line) for line in lines]
        workers = [p for p in parsed if p.get("event") in ("rpc.completed", "event.handled", "http.request")]
        assert workers and all(p.get("request_id") for p in workers), name

