"""Hiring benchmark: offers + accepts per second through the gateway, next to a no-op
gateway→RPC round trip, in one run.

Starts the platform as the end-to-end tests do (``tests.conftest.RunningPlatform``). Prepares
verified persons (WeChat login + face verification through the stubs) and logs in the dev CA's
sample enterprises, each with one uploaded contract. Then N client threads each take persons
from a queue and run the whole hiring sequence for one:

  offer    POST /api/v1/ent/employments              (employment → identity lookup, file check, outbox)
  face     POST /api/v1/mp/face                      (identity → WeChat getverifyid stub)
  accept   POST /api/v1/mp/employments/{id}/accept   (employment → identity consume → queryverifyinfo stub)

and, in the same run, the no-op round trip ``GET /readyz/identity`` (one pooled RPC ``ping``).

    .venv/bin/python bench/bench_employment.py [--concurrency 8] [--persons 300]
"""
import base64
import datetime
import json
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    ROOT, bench_main, ratio, refuse_monkey_patching, run_threads, running_platform, summarize, table,
)

sys.path.insert(0, ROOT)
import requests  # noqa: E402

from tests.conftest import BUSINESS_DAY  # noqa: E402
from xjkit.testdata import make_id_card  # noqa: E402

# contract dates from the platform's business day (the dataset's), never from a fixed calendar date
CONTRACT_START = (BUSINESS_DAY + datetime.timedelta(days=6)).isoformat()
CONTRACT_END = (BUSINESS_DAY + datetime.timedelta(days=370)).isoformat()

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def _post(session, url, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = session.post(url, headers=headers, timeout=60, **kwargs)
    response.raise_for_status()
    return response.json()


def prepare_persons(base, count):
    session = requests.Session()
    persons = []
    for n in range(count):
        login = _post(session, f"{base}/api/v1/mp/auth/login", json={"code": f"dev-bench-{n}"})
        token = login["token"]
        # distinct ID numbers: a day of birth per thousand persons
        birth = (datetime.date(1990, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
        id_card = make_id_card(region="510104", birth=birth, seq=f"{n % 1000:03d}")
        started = _post(session, f"{base}/api/v1/mp/realname", token, json={"name": "测试", "id_card_no": id_card})
        _post(session, f"{base}/api/v1/mp/realname/complete", token, json={"verify_id": started["verify_id"]})
        persons.append((token, id_card))
    return persons


def prepare_enterprises(platform):
    from xjdevca import sign_nonce

    with open(os.path.join(platform.data_dir, "devca", "sample", "index.json"), encoding="utf-8") as handle:
        entries = [e for e in json.load(handle) if e["algorithm"] == "rsa"]
    session = requests.Session()
    enterprises = []
    for entry in entries:
        challenge = _post(session, f"{platform.url}/api/v1/ent/auth/challenge")
        with open(entry["key"], "rb") as handle:
            signature = sign_nonce(handle.read(), base64.b64decode(challenge["nonce"]))
        with open(entry["cert"], encoding="ascii") as handle:
            login = _post(session, f"{platform.url}/api/v1/ent/auth/login", json={
                "challenge_id": challenge["challenge_id"], "certificate": handle.read(),
                "signature": base64.b64encode(signature).decode()})
        uploaded = _post(session, f"{platform.url}/api/v1/ent/files", login["token"],
                         files={"file": ("合同.pdf", PDF)})
        enterprises.append((login["token"], uploaded["file_id"]))
    return enterprises


def measure_hiring(base, persons, enterprises, concurrency):
    work = queue.Queue()
    for index, person in enumerate(persons):
        work.put((person, enterprises[index % len(enterprises)]))
    steps = {"offer": [], "face": [], "accept": [], "sequence": []}
    errors = []
    lock = threading.Lock()

    def worker():
        session = requests.Session()
        while True:
            try:
                (person_token, id_card), (enterprise_token, file_id) = work.get_nowait()
            except queue.Empty:
                return
            try:
                begin = time.perf_counter_ns()
                offer = _post(session, f"{base}/api/v1/ent/employments", enterprise_token, json={
                    "id_card_no": id_card, "contract_start": CONTRACT_START, "contract_end": CONTRACT_END,
                    "contract_file_id": file_id})
                after_offer = time.perf_counter_ns()
                ticket = _post(session, f"{base}/api/v1/mp/face", person_token,
                               json={"purpose": "employment.accept", "target_id": offer["id"]})
                after_face = time.perf_counter_ns()
                accepted = _post(session, f"{base}/api/v1/mp/employments/{offer['id']}/accept", person_token,
                                 json={"verify_id": ticket["verify_id"]})
                end = time.perf_counter_ns()
                assert accepted["status"] == "active"
            except Exception as error:  # counted and reported, never hidden
                with lock:
                    errors.append(repr(error)[:200])
                continue
            with lock:
                steps["offer"].append(after_offer - begin)
                steps["face"].append(after_face - after_offer)
                steps["accept"].append(end - after_face)
                steps["sequence"].append(end - begin)

    seconds = run_threads(worker, concurrency)
    return {name: summarize(values, seconds) for name, values in steps.items()}, errors


def add_round_trip_arguments(parser):
    """The client threads of the measured step and the seconds of its no-op RPC baseline."""
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--noop-seconds", type=float, default=10.0,
                        help="seconds of the no-op RPC round trips (default 10)")


def measure_noop(base, concurrency, seconds, service="identity"):
    latencies, lock = [], threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker():
        session = requests.Session()
        mine = []
        while time.perf_counter() < stop_at:
            begin = time.perf_counter_ns()
            session.get(f"{base}/readyz/{service}", timeout=30).raise_for_status()
            mine.append(time.perf_counter_ns() - begin)
        with lock:
            latencies.extend(mine)

    return summarize(latencies, run_threads(worker, concurrency))


def run(concurrency=8, person_count=300, noop_seconds=10.0):
    refuse_monkey_patching()
    with running_platform("hire") as platform:
        persons = prepare_persons(platform.url, person_count)
        enterprises = prepare_enterprises(platform)
        noop = measure_noop(platform.url, concurrency, noop_seconds)
        hiring, errors = measure_hiring(platform.url, persons, enterprises, concurrency)
    return {
        "concurrency": concurrency, "persons": person_count, "enterprises": len(enterprises),
        "noop_rpc": noop, "hiring": hiring, "errors": errors,
        "sequence_vs_noop_time": ratio(hiring["sequence"]["p50_ms"], noop["p50_ms"]),
    }


def report(result):
    rows = [["no-op RPC (GET /readyz/identity)", result["noop_rpc"]["ops_per_s"], result["noop_rpc"]["p50_ms"],
             result["noop_rpc"]["p99_ms"], 1.0]]
    for name in ("offer", "face", "accept", "sequence"):
        step = result["hiring"][name]
        rows.append([f"hiring: {name}", step["ops_per_s"], step["p50_ms"], step["p99_ms"],
                     ratio(step["p50_ms"], result["noop_rpc"]["p50_ms"])])
    text = table(["case", "per s", "p50 ms", "p99 ms", "p50 vs no-op"], rows)
    text += (f"\n{result['hiring']['sequence']['ops']} hires (offer + face + accept) by {result['concurrency']} "
             f"threads over {result['enterprises']} enterprises; errors: {len(result['errors'])}")
    return text


def round_trip_main(doc, count_option, count_default, count_help, run, report, argv, failed):
    """``main()`` of a benchmark timing one step against the no-op RPC: its one count option
    (an int), --concurrency and --noop-seconds, then ``run(args)`` and the tables."""
    def arguments(parser):
        parser.add_argument(count_option, type=int, default=count_default, help=count_help)
        add_round_trip_arguments(parser)
    return bench_main(doc, arguments, run, report, argv, failed=failed)


def main(argv=None):
    return round_trip_main(__doc__, "--persons", 300, "hires to make (default 300)",
                           lambda args: run(args.concurrency, args.persons, args.noop_seconds), report, argv,
                           failed=lambda result: result["errors"])


if __name__ == "__main__":
    sys.exit(main())
