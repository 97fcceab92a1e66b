"""Public list: freshness after an approved filing, and list requests per second next to a bare Flask app.

Starts the platform (``tests.conftest.RunningPlatform``, its own RabbitMQ vhost, ports and data
directory) with the public API's per-client rate limit raised to ``XJ_PUBLIC_RATE=100000`` and
``XJ_PUBLIC_BURST=100000`` (the limiter stays on, so its cost is measured; the defaults, 20/s with
bursts of 40 per client IP, would refuse almost all of one client's load). Then:

freshness   ``bench_filing``'s preparation for N synthetic enterprises (login with dev CA
            certificates, two hires each; not measured), then one first filing at a time, each
            after a random pause of up to ``--pause-max`` s (see measure_freshness). From the
            moment its 201 arrives, two pollers (each its own keep-alive session, every 20 ms) ask
            ``GET /api/v1/public/enterprises?q=<uscc>`` until ``total`` is 1 and
            ``GET /api/v1/public/feed?since=<cursor before the filing>&limit=500`` until the USCC
            appears. p50/p99/max of both delays; the goal is p99 under 2 s. The feed serves only
            writes older than its 0.5 s settle window (publicity-svc's FEED_SETTLE), by design.

throughput  with the N enterprises public, C client threads (default 50, one keep-alive
            ``http.client`` connection each) for ``--seconds`` (+ ``--warmup``) per case:
              gateway   GET /api/v1/public/enterprises?page=1&per_page=20   (RPC to publicity-svc)
              bare      the same path on ``bench/bare_json_app.py``, which returns the gateway's
                        exact response body (recorded once in this run) under gunicorn with the
                        gateway's own gunicorn.conf.py
              304       the gateway case with ``If-None-Match: <its ETag>`` (still one RPC: the ETag
                        is the hash of the body the RPC returns)
            Each case is also run with one client thread ("unloaded"). CPU time per request of every
            process shows where the time goes.

    .venv/bin/python bench/bench_public.py [--enterprises 30] [--concurrency 50] [--seconds 10]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    ROOT, children, percentile, ratio, refuse_monkey_patching, summarize, table, wait_for_port,
)

sys.path.insert(0, ROOT)
import requests  # noqa: E402

from bare_json_app import BODY_ENV  # noqa: E402
from bench_filing import prepare, synthetic_dataset  # noqa: E402
from bench_gateway import (  # noqa: E402
    BENCH_DIR, GUNICORN, GUNICORN_CONF, BareFlask, gunicorn_memory, platform_groups, run_case,
)
from tests.conftest import RunningPlatform, create_vhost, delete_vhost  # noqa: E402

PUBLIC_ENV = {"XJ_PUBLIC_RATE": "100000", "XJ_PUBLIC_BURST": "100000"}
LIST_PATH = "/api/v1/public/enterprises?page=1&per_page=20"
SEARCH = "/api/v1/public/enterprises"
FEED = "/api/v1/public/feed"
POLL_INTERVAL = 0.02
FRESHNESS_TIMEOUT = 30.0
GOAL_P99_S = 2.0
FEED_SETTLE_S = 0.5  # publicity-svc's FEED_SETTLE
PAUSE_SEED = 7
GUNICORN_WORKERS = int(os.environ.get("XJ_GATEWAY_WORKERS", "2"))  # what gateway/gunicorn.conf.py starts


class BareJson(BareFlask):
    """bench/bare_json_app.py under gunicorn with the gateway's gunicorn.conf.py, serving ``body_path``."""

    def __init__(self, log_dir, body_path):
        super().__init__(log_dir)
        self.log_path = os.path.join(log_dir, "bare-json-gunicorn.log")
        self.body_path = body_path

    def start(self):
        env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
        env[BODY_ENV] = self.body_path
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "--config", GUNICORN_CONF, "--bind", f"127.0.0.1:{self.port}",
                 "--chdir", BENCH_DIR, "bare_json_app:create_app()"],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port)
        # the CPU readings sum the workers found now: wait until gunicorn has forked all of them
        deadline = time.monotonic() + 30
        while len(children(self.process.pid)) < GUNICORN_WORKERS:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start {GUNICORN_WORKERS} workers")
            time.sleep(0.1)
        return self


# freshness --------------------------------------------------------------------------------------

def feed_cursor(session, base):
    """The feed's cursor after every settled change so far."""
    since = None
    while True:
        params = {"limit": 500, **({"since": since} if since else {})}
        answer = session.get(f"{base}{FEED}", params=params, timeout=30)
        answer.raise_for_status()
        page = answer.json()
        if not page["items"]:
            return page["next"]
        since = page["next"]


def poll_until(session, url, params, found, started_ns):
    """GET ``url`` every POLL_INTERVAL until ``found(body)``; the delay since ``started_ns`` and the body."""
    polls = 0
    while True:
        answer = session.get(url, params=params, timeout=30)
        arrived = time.perf_counter_ns()
        polls += 1
        answer.raise_for_status()
        body = answer.json()
        if found(body):
            return {"delay_ns": arrived - started_ns, "polls": polls, "body": body}
        if (arrived - started_ns) / 1e9 > FRESHNESS_TIMEOUT:
            raise RuntimeError(f"{url} {params}: not there after {FRESHNESS_TIMEOUT} s")
        time.sleep(POLL_INTERVAL)


def delay_summary(delays_ns):
    values = sorted(delays_ns)
    return {"count": len(values),
            "p50_s": round(percentile(values, 50) / 1e9, 3),
            "p99_s": round(percentile(values, 99) / 1e9, 3),
            "max_s": round(values[-1] / 1e9, 3) if values else None,
            "min_s": round(values[0] / 1e9, 3) if values else None,
            "p99_under_goal": bool(values) and percentile(values, 99) / 1e9 < GOAL_P99_S}


def measure_freshness(base, ready, uscc_of, pause_max=1.0):
    """One first filing at a time, each after a random pause of up to ``pause_max`` s; after each 201,
    how long until the list and the feed show it.

    The pause keeps the filings from falling into step with the feed: nx-27017's ``find`` compares
    datetimes to the whole second, so a write shows in the feed once ``now - 0.5 s`` has passed the
    next whole second. Back to back, every filing would start just after the previous one appeared
    (at x.5 s) and every feed delay would be the same ~1 s."""
    pauses = random.Random(PAUSE_SEED)
    filing_session, list_session, feed_session = requests.Session(), requests.Session(), requests.Session()
    cursor = feed_cursor(feed_session, base)
    filing_ns, list_ns, feed_ns, list_polls, feed_polls = [], [], [], [], []
    with ThreadPoolExecutor(max_workers=2) as pollers:
        for token, body in ready:
            uscc = uscc_of[body["data"]["basic"]["name"]]
            if pause_max:
                time.sleep(pauses.uniform(0, pause_max))
            begin = time.perf_counter_ns()
            answer = filing_session.post(f"{base}/api/v1/ent/filings", json=body, timeout=60,
                                         headers={"Authorization": f"Bearer {token}"})
            answered = time.perf_counter_ns()
            if answer.status_code != 201 or answer.json().get("status") != "approved":
                raise RuntimeError(f"first filing of {uscc}: {answer.status_code} {answer.text[:300]}")
            listed = pollers.submit(poll_until, list_session, f"{base}{SEARCH}", {"q": uscc},
                                    lambda page: page["total"] == 1, answered)
            fed = pollers.submit(poll_until, feed_session, f"{base}{FEED}", {"since": cursor, "limit": 500},
                                 lambda page, u=uscc: any(i["uscc"] == u and i["change"] == "upsert"
                                                          for i in page["items"]), answered)
            listed, fed = listed.result(), fed.result()
            cursor = fed["body"]["next"]
            filing_ns.append(answered - begin)
            list_ns.append(listed["delay_ns"])
            feed_ns.append(fed["delay_ns"])
            list_polls.append(listed["polls"])
            feed_polls.append(fed["polls"])
    return {"filings": len(filing_ns), "filing_response": summarize(filing_ns, sum(filing_ns) / 1e9),
            "list": {**delay_summary(list_ns), "polls_mean": round(sum(list_polls) / len(list_polls), 1)},
            "feed": {**delay_summary(feed_ns), "polls_mean": round(sum(feed_polls) / len(feed_polls), 1)},
            "list_delays_s": [round(value / 1e9, 3) for value in list_ns],
            "feed_delays_s": [round(value / 1e9, 3) for value in feed_ns]}


# throughput -------------------------------------------------------------------------------------

def record_list(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", LIST_PATH)
        answer = connection.getresponse()
        body = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"GET {LIST_PATH}: {answer.status} {body[:300]!r}")
        return body, answer.getheader("ETag"), dict(answer.getheaders())
    finally:
        connection.close()


def run(enterprises=30, concurrency=50, seconds=10.0, warmup=2.0, unloaded_seconds=3.0, pause_max=1.0):
    refuse_monkey_patching()
    work_dir = tempfile.mkdtemp(prefix="xj-bench-public-")
    vhost = create_vhost()
    platform = RunningPlatform(os.path.join(work_dir, "platform"), vhost, extra_env=PUBLIC_ENV)
    bare = None
    settings = {"enterprises": enterprises, "concurrency": concurrency, "seconds": seconds,
                "warmup_seconds": warmup, "unloaded_seconds": unloaded_seconds, "poll_interval_s": POLL_INTERVAL,
                "pause_max_s": pause_max,
                "public_rate_env": PUBLIC_ENV, "list_path": LIST_PATH}
    try:
        platform.start()
        dataset = synthetic_dataset(enterprises)
        uscc_of = {enterprise["name"]: enterprise["uscc"] for enterprise in dataset["enterprises"]}
        ready = prepare(platform, dataset)
        freshness = measure_freshness(platform.url, ready, uscc_of, pause_max)

        body, etag, gateway_headers = record_list(platform.gateway_port)
        page = json.loads(body)
        if page["total"] != enterprises:
            raise RuntimeError(f"the public list holds {page['total']} enterprises, not {enterprises}")
        body_path = os.path.join(work_dir, "list-body.json")
        with open(body_path, "wb") as handle:
            handle.write(body)
        bare = BareJson(work_dir, body_path).start()
        bare_body, _, bare_headers = record_list(bare.port)
        if bare_body != body:
            raise RuntimeError("the bare app does not answer the gateway's bytes")

        groups, gateway_masters = platform_groups(platform)
        bare_groups = {"gunicorn (master + workers)": [bare.process.pid] + children(bare.process.pid)}
        case = dict(concurrency=concurrency, seconds=seconds, warmup=warmup, unloaded_seconds=unloaded_seconds)
        results = {
            "settings": settings,
            "gunicorn_processes": {"gateway": len(groups["gunicorn (master + workers)"]),
                                   "bare": len(bare_groups["gunicorn (master + workers)"])},
            "freshness": freshness,
            "body": {"bytes": len(body), "items": len(page["items"]), "total": page["total"], "etag": etag,
                     "gateway_headers": gateway_headers, "bare_headers": bare_headers},
            "gateway": run_case(platform.gateway_port, LIST_PATH, {}, groups, expect_body=body, **case),
            "bare": run_case(bare.port, LIST_PATH, {}, bare_groups, expect_body=body, **case),
            "not_modified": run_case(platform.gateway_port, LIST_PATH, {"If-None-Match": etag}, groups,
                                     expect_status=304, **case),
            "memory": {"bare": gunicorn_memory([bare.process.pid]), "gateway": gunicorn_memory(gateway_masters)},
        }
    except Exception:
        print(f"bench_public failed; logs kept in {work_dir}", file=sys.stderr)
        work_dir = None
        raise
    finally:
        if bare is not None:
            bare.stop()
        platform.stop()
        delete_vhost(vhost)
        if work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)

    bare_result = results["bare"]
    for name in ("bare", "gateway", "not_modified"):
        result = results[name]
        result["time_ratio_vs_bare"] = ratio(bare_result["ops_per_s"], result["ops_per_s"])
        result["p50_ratio_vs_bare"] = ratio(result["p50_ms"], bare_result["p50_ms"])
        result["p99_ratio_vs_bare"] = ratio(result["p99_ms"], bare_result["p99_ms"])
    return results


CASES = (("bare", "bare Flask, same JSON"), ("gateway", "gateway public list"),
         ("not_modified", "gateway, If-None-Match (304)"))


def report(results):
    settings, fresh = results["settings"], results["freshness"]
    lines = [f"freshness: {fresh['filings']} first filings one at a time (response p50 "
             f"{fresh['filing_response']['p50_ms']} ms), each after a random pause of up to "
             f"{settings['pause_max_s']} s; polled every {int(settings['poll_interval_s'] * 1000)} ms from the 201"]
    rows = [(label, fresh[name]["p50_s"], fresh[name]["p99_s"], fresh[name]["max_s"], fresh[name]["polls_mean"],
             "yes" if fresh[name]["p99_under_goal"] else "NO")
            for name, label in (("list", "list (?q=uscc, total 1)"), ("feed", "feed (since cursor)"))]
    lines.append(table(("shows in", "p50 s", "p99 s", "max s", "polls (mean)", f"p99 < {GOAL_P99_S:g} s"), rows))
    lines.append(f"(the feed serves only writes older than its {FEED_SETTLE_S} s settle window, by design)")
    lines.append("")
    body = results["body"]
    lines.append(f"throughput: {settings['concurrency']} client threads for {settings['seconds']} s per case "
                 f"(+{settings['warmup_seconds']} s warm-up), unloaded = 1 thread for "
                 f"{settings['unloaded_seconds']} s; GET {settings['list_path']} ({body['items']} of "
                 f"{body['total']} enterprises, {body['bytes']} bytes)")
    rows = [(label, case["ops_per_s"], case["p50_ms"], case["p99_ms"], case["time_ratio_vs_bare"],
             case["p50_ratio_vs_bare"], case["p99_ratio_vs_bare"], case["unloaded"]["p50_ms"], case["errors"],
             case["cpu_cores_used"])
            for name, label in CASES for case in (results[name],)]
    lines.append(table(("case", "req/s", "p50 ms", "p99 ms", "x bare (time)", "x bare (p50)", "x bare (p99)",
                        "unloaded p50 ms", "errors", "cores busy"), rows))
    lines += ["", "CPU ms per request, by process:"]
    names = list(results["gateway"]["cpu_ms_per_request"])
    cpu_rows = [(name, results["bare"]["cpu_ms_per_request"].get(name),
                 results["gateway"]["cpu_ms_per_request"][name], results["not_modified"]["cpu_ms_per_request"][name])
                for name in names]
    lines.append(table(("process", "bare", "gateway 200", "gateway 304"), cpu_rows))
    memory = results["memory"]
    lines.append(f"\npeak RSS (VmHWM) of the gunicorn workers: gateway "
                 f"{memory['gateway']['workers_peak_rss_mib']} MiB, bare {memory['bare']['workers_peak_rss_mib']} MiB")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=30, help="enterprises filed and listed (default 30)")
    parser.add_argument("--concurrency", type=int, default=50, help="client threads of the load (default 50)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per case (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each case (default 2)")
    parser.add_argument("--unloaded-seconds", type=float, default=3.0,
                        help="seconds of the one-thread run of each case (default 3)")
    parser.add_argument("--pause-max", type=float, default=1.0,
                        help="freshness: random pause of up to this many seconds before each filing (default 1)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    results = run(args.enterprises, args.concurrency, args.seconds, args.warmup, args.unloaded_seconds,
                  args.pause_max)
    print(report(results))
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if any(results[name]["errors"] for name, _ in CASES) else 0


if __name__ == "__main__":
    sys.exit(main())
