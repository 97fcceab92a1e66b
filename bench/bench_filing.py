"""First filings per second through the gateway, next to a no-op gateway→RPC round trip.

Starts the platform (``tests.conftest.RunningPlatform``), replaces the national stub's dataset
with N synthetic construction enterprises (valid USCCs and qualifications), issues each a dev CA
login certificate, hires a 进疆负责人 and a 技术负责人 for each and uploads an attachment (not
measured). Then client threads submit one ``first_filing`` per enterprise
(``POST /api/v1/ent/filings``: filing-svc asks the national platform, employment-svc for the
staff and the attachment, writes the case and the registration with its event) and, in the same
run, ``GET /readyz/filing`` (one pooled RPC ping) for the no-op cost.

The booklet of a 500-staff registration is measured by ``bench_booklet.py`` (at the renderer and
through the gateway).

    .venv/bin/python bench/bench_filing.py [--enterprises 40] [--concurrency 8]
"""
import base64
import datetime
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    ROOT, processes, ratio, refuse_monkey_patching, run_threads, running_platform, summarize, table,
)

sys.path.insert(0, ROOT)
import requests  # noqa: E402

from bench_employment import (  # noqa: E402
    CONTRACT_END, CONTRACT_START, PDF, _post, measure_noop, round_trip_main,
)
from bench_gateway import cpu_of, platform_groups  # noqa: E402
from tests.conftest import BUSINESS_DAY  # noqa: E402
from xjkit.testdata import make_id_card, make_uscc  # noqa: E402

AFTERMATH_SECONDS = 2.0


def synthetic_dataset(count):
    enterprises = []
    for n in range(count):
        uscc = make_uscc(region="510100", body8=f"MA6B{n:04d}")
        enterprises.append({
            "uscc": uscc, "name": f"基准测试建设集团第{n}有限公司", "legal_representative": "测试", "region_code": "510100",
            "region_name": "四川省成都市", "address": "四川省成都市某路1号", "registered_capital_wan": 1000,
            "established_on": "2010-01-01",
            "qualifications": [{"cert_no": f"C{n:09d}", "code": "D101T", "category": "construction",
                                "name": "建筑工程施工总承包", "grade": "一级", "issued_on": "2024-01-01",
                                "expires_on": "2029-01-01", "issuer": "住房和城乡建设部"}],
        })
    return {"source": "benchmark", "generated_for": BUSINESS_DAY.isoformat(), "enterprises": enterprises, "persons": []}


def login(session, platform, enterprise):
    from xjdevca import issue, sign_nonce

    issued = issue(os.path.join(platform.data_dir, "devca"), name=enterprise["name"], uscc=enterprise["uscc"],
                   algorithm="ecdsa", out=os.path.join(platform.data_dir, "bench", enterprise["uscc"]),
                   now=platform.business_now())
    challenge = _post(session, f"{platform.url}/api/v1/ent/auth/challenge")
    with open(issued.key_path, "rb") as handle:
        signature = sign_nonce(handle.read(), base64.b64decode(challenge["nonce"]))
    with open(issued.cert_path, encoding="ascii") as handle:
        return _post(session, f"{platform.url}/api/v1/ent/auth/login", json={
            "challenge_id": challenge["challenge_id"], "certificate": handle.read(),
            "signature": base64.b64encode(signature).decode()})["token"]


def hire(session, base, enterprise_token, openid, id_card_no):
    person = _post(session, f"{base}/api/v1/mp/auth/login", json={"code": f"dev-{openid}"})["token"]
    started = _post(session, f"{base}/api/v1/mp/realname", person, json={"name": "测试", "id_card_no": id_card_no})
    _post(session, f"{base}/api/v1/mp/realname/complete", person, json={"verify_id": started["verify_id"]})
    file_id = _post(session, f"{base}/api/v1/ent/files", enterprise_token, files={"file": ("合同.pdf", PDF)})["file_id"]
    offer = _post(session, f"{base}/api/v1/ent/employments", enterprise_token, json={
        "id_card_no": id_card_no, "contract_start": CONTRACT_START, "contract_end": CONTRACT_END,
        "contract_file_id": file_id})
    ticket = _post(session, f"{base}/api/v1/mp/face", person,
                   json={"purpose": "employment.accept", "target_id": offer["id"]})
    _post(session, f"{base}/api/v1/mp/employments/{offer['id']}/accept", person, json={"verify_id": ticket["verify_id"]})
    return offer["person_id"]


def prepare(platform, dataset):
    session = requests.Session()
    requests.post(f"{platform.stubs_url}/stub/national/dataset", json=dataset, timeout=30).raise_for_status()
    ready = []
    for n, enterprise in enumerate(dataset["enterprises"]):
        token = login(session, platform, enterprise)
        birth = (datetime.date(1980, 1, 1) + datetime.timedelta(days=n)).strftime("%Y%m%d")
        manager = hire(session, platform.url, token, f"bench-m-{n}", make_id_card(region="510104", birth=birth, seq="001"))
        tech = hire(session, platform.url, token, f"bench-t-{n}", make_id_card(region="510104", birth=birth, seq="002"))
        attachment = _post(session, f"{platform.url}/api/v1/ent/files", token,
                           files={"file": ("营业执照.pdf", PDF)})["file_id"]
        ready.append((token, {"business": "first_filing", "enterprise_type": "construction", "data": {
            "basic": {"name": enterprise["name"], "legal_representative": "测试", "registered_address": "四川省成都市某路1号",
                      "registered_capital_wan": 1000, "established_on": "2010-01-01", "contact_name": "联系人",
                      "contact_phone": "13800138000"},
            "manager_person_id": manager, "tech_manager_person_id": tech, "attachments": [attachment],
            "sync_qualifications": True}}))
    return ready


def measure_filings(base, ready, concurrency):
    work, latencies, outcomes, lock = queue.Queue(), [], [], threading.Lock()
    for item in ready:
        work.put(item)

    def worker():
        session = requests.Session()
        while True:
            try:
                token, body = work.get_nowait()
            except queue.Empty:
                return
            begin = time.perf_counter_ns()
            case = _post(session, f"{base}/api/v1/ent/filings", token, json=body)
            elapsed = time.perf_counter_ns() - begin
            with lock:
                latencies.append(elapsed)
                outcomes.append(case["status"])

    return summarize(latencies, run_threads(worker, concurrency)), outcomes


def run(enterprises=40, concurrency=8, noop_seconds=10.0):
    refuse_monkey_patching()
    with running_platform("filing") as platform:
        ready = prepare(platform, synthetic_dataset(enterprises))
        noop = measure_noop(platform.url, concurrency, noop_seconds, service="filing")
        groups, _ = platform_groups(platform)
        groups["redis (shared)"] = [pid for pid, (_, command) in processes().items() if "redis-server" in command]
        before = cpu_of(groups)
        filings, outcomes = measure_filings(platform.url, ready, concurrency)
        time.sleep(AFTERMATH_SECONDS)  # the events: publicity applies each registration, cert marks staff
        after = cpu_of(groups)
    cpu = {name: round((after[name] - before[name]) * 1000 / max(1, len(outcomes)), 2) for name in after}
    return {"enterprises": enterprises, "concurrency": concurrency, "noop_rpc": noop, "first_filing": filings,
            "cpu_ms_per_filing": cpu, "aftermath_seconds": AFTERMATH_SECONDS,
            "approved": outcomes.count("approved"), "rejected": outcomes.count("rejected"),
            "filing_vs_noop_time": ratio(filings["p50_ms"], noop["p50_ms"])}


def report(result):
    rows = [["no-op RPC (GET /readyz/filing)", result["noop_rpc"]["ops_per_s"], result["noop_rpc"]["p50_ms"],
             result["noop_rpc"]["p99_ms"], 1.0],
            ["first filing (POST /ent/filings)", result["first_filing"]["ops_per_s"], result["first_filing"]["p50_ms"],
             result["first_filing"]["p99_ms"], result["filing_vs_noop_time"]]]
    lines = [table(["case", "per s", "p50 ms", "p99 ms", "p50 vs no-op"], rows),
             f"{result['approved']} approved, {result['rejected']} rejected; {result['concurrency']} client threads"]
    if "cpu_ms_per_filing" in result:
        lines += ["", f"CPU ms per first filing, by process (the filings and the {result['aftermath_seconds']} s after "
                      "them, while the events are handled; shared RabbitMQ and Redis carry other traffic too):",
                  table(["process", "CPU ms per filing"], sorted(result["cpu_ms_per_filing"].items(),
                                                                 key=lambda item: -item[1])),
                  f"total: {round(sum(result['cpu_ms_per_filing'].values()), 1)} ms"]
    return "\n".join(lines)


def main(argv=None):
    return round_trip_main(__doc__, "--enterprises", 40, "enterprises, one first filing each (default 40)",
                           lambda args: run(args.enterprises, args.concurrency, args.noop_seconds), report, argv,
                           failed=lambda result: result["rejected"])


if __name__ == "__main__":
    sys.exit(main())
