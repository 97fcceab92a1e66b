"""Gateway benchmark: the whole platform against a bare Flask app, under the same gunicorn, in one run.

Starts the platform as the end-to-end tests do (``tests.conftest.RunningPlatform``, its own
RabbitMQ vhost, ports and data directory) and a bare Flask app (``bench/bare_app.py``) under
gunicorn with the gateway's own ``gateway/gunicorn.conf.py`` (gthread, 2 workers x 8 threads,
access log on). Then, for each case, N client threads (one keep-alive ``http.client``
connection each) send requests back to back for a fixed time:

  bare      GET /healthz of the bare Flask app                      (the baseline)
  healthz   GET /healthz of the gateway                             (no RPC)
  me        GET /api/v1/mp/me with a person token                   (RPCs: see ME_RPCS; each reads the store)

Each case is also run with one client thread ("unloaded" latency). The RPC round trip cost is
``me`` minus ``healthz``, divided by the number of RPCs ``me`` makes. CPU time per request of every process involved (client, gunicorn,
identity-svc, nx-27017, RabbitMQ) shows where the time goes; peak RSS (VmHWM) of the gunicorn
workers is read from /proc.

    .venv/bin/python bench/bench_gateway.py [--concurrency 16] [--seconds 10]
"""
import http.client
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    ROOT, add_load_arguments, bench_main, children, cpu_seconds, free_port, peak_rss_kib,
    processes, ratio, refuse_monkey_patching, running_platform, summarize, table, wait_for_port, work_dir_of,
)

sys.path.insert(0, ROOT)
import requests  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
GUNICORN = os.path.join(ROOT, ".venv", "bin", "gunicorn")
GUNICORN_CONF = os.path.join(ROOT, "gateway", "gunicorn.conf.py")
# what GET /api/v1/mp/me calls, one after the other (gateway/gateway/resources/mp_persons.py);
# update when that changes: the per-RPC cost below divides by it
ME_RPCS = ("identity.get_person", "employment.current_employment")


class BareFlask:
    """A bare Flask app of this folder (``app``, default bare_app.py's) under gunicorn, with the
    gateway's gunicorn.conf.py; ``env``: what the app reads besides."""

    def __init__(self, log_dir, app="bare_app:create_app()", log_name="bare-gunicorn.log", env=None):
        self.port = free_port()
        self.log_path = os.path.join(log_dir, log_name)
        self.app = app
        self.env = env or {}
        self.process = None

    def start(self):
        env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "--config", GUNICORN_CONF, "--bind", f"127.0.0.1:{self.port}", "--chdir", BENCH_DIR,
                 self.app], env={**env, **self.env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def load(port, path, headers, concurrency, seconds, expect_status=200, expect_body=None):
    """``concurrency`` threads send GET ``path`` back to back for ``seconds``; returns the samples.
    An answer counts only with ``expect_status`` (and, when given, exactly ``expect_body``)."""
    go = threading.Event()
    window = {}
    samples = [None] * concurrency

    def client(slot):
        latencies, errors = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        go.wait()
        while time.perf_counter() < window["deadline"]:
            begin = time.perf_counter_ns()
            try:
                connection.request("GET", path, headers=headers)
                answer = connection.getresponse()
                body = answer.read()
                if answer.status == expect_status and (expect_body is None or body == expect_body):
                    latencies.append(time.perf_counter_ns() - begin)
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()
        samples[slot] = (latencies, errors)

    threads = [threading.Thread(target=client, args=(slot,), daemon=True) for slot in range(concurrency)]
    for thread in threads:
        thread.start()
    window["deadline"] = time.perf_counter() + seconds
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [value for sample in samples for value in sample[0]]
    result = summarize(latencies, elapsed)
    result["errors"] = sum(sample[1] for sample in samples)
    return result


def cpu_of(groups):
    """CPU seconds so far of each group of processes, and of this (client) process."""
    readings = {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}
    readings["client (this process)"] = time.process_time()
    return readings


def run_case(port, path, headers, groups, concurrency, seconds, warmup, unloaded_seconds, **expect):
    load(port, path, headers, concurrency, warmup, **expect)  # every gunicorn thread opens its RPC proxy
    before = cpu_of(groups)
    result = load(port, path, headers, concurrency, seconds, **expect)
    after = cpu_of(groups)
    requests_done = max(1, result["ops"])
    result["cpu_ms_per_request"] = {name: round((after[name] - before[name]) * 1000 / requests_done, 3)
                                    for name in after}
    result["cpu_cores_used"] = round(sum(after[name] - before[name] for name in after) / result["seconds"], 2)
    result["unloaded"] = load(port, path, headers, 1, unloaded_seconds, **expect)
    return result


def platform_groups(platform):
    """Every process of the platform, found from the launcher, plus the (shared) RabbitMQ broker."""
    table_ = processes()
    groups = {}
    for pid in children(platform.process.pid, table_):
        command = table_[pid][1]
        if "gateway.app:create_app" in command:
            groups["gunicorn (master + workers)"] = [pid] + children(pid, table_)
        elif "nx-27017" in command:
            groups["nx-27017"] = [pid]
        elif "xjstubs" in command:
            groups["stubs"] = [pid]
        else:  # nameko run --config config.yml identity.service:IdentityService
            groups[command.split()[-1].split(".")[0] + "-svc"] = [pid]
    groups["rabbitmq (shared broker)"] = [pid for pid, (_, command) in table_.items()
                                          if "beam.smp" in command and "rabbit" in command]
    return groups, groups["gunicorn (master + workers)"][:1]


def gunicorn_memory(masters):
    table_ = processes()
    workers = [pid for master in masters for pid in children(master, table_)]
    return {"workers": len(workers),
            "workers_peak_rss_mib": round(sum(peak_rss_kib(pid) for pid in workers) / 1024, 1),
            "master_peak_rss_mib": round(sum(peak_rss_kib(pid) for pid in masters) / 1024, 1)}


def person_token(base_url):
    answer = requests.post(f"{base_url}/api/v1/mp/auth/login", json={"code": "dev-bench"}, timeout=30)
    answer.raise_for_status()
    token = answer.json()["token"]
    me = requests.get(f"{base_url}/api/v1/mp/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    me.raise_for_status()
    return token


def run(concurrency=16, seconds=10.0, warmup=2.0, unloaded_seconds=3.0):
    refuse_monkey_patching()
    settings = {"concurrency": concurrency, "seconds": seconds, "warmup_seconds": warmup,
                "unloaded_seconds": unloaded_seconds}
    with running_platform("gateway") as platform:
        bare = BareFlask(work_dir_of(platform))
        try:
            bare.start()
            token = person_token(platform.url)
            groups, gateway_masters = platform_groups(platform)
            bare_groups = {"gunicorn (master + workers)": [bare.process.pid] + children(bare.process.pid)}
            case = dict(concurrency=concurrency, seconds=seconds, warmup=warmup, unloaded_seconds=unloaded_seconds)
            results = {
                "settings": settings,
                "bare": run_case(bare.port, "/healthz", {}, bare_groups, **case),
                "healthz": run_case(platform.gateway_port, "/healthz", {}, groups, **case),
                "me": run_case(platform.gateway_port, "/api/v1/mp/me", {"Authorization": f"Bearer {token}"},
                               groups, **case),
                "memory": {"bare": gunicorn_memory([bare.process.pid]), "gateway": gunicorn_memory(gateway_masters)},
            }
        finally:
            bare.stop()

    bare_result = results["bare"]
    for name in ("bare", "healthz", "me"):
        result = results[name]
        result["time_ratio_vs_bare"] = ratio(bare_result["ops_per_s"], result["ops_per_s"])
        result["p50_ratio_vs_bare"] = ratio(result["p50_ms"], bare_result["p50_ms"])
    healthz, me = results["healthz"], results["me"]
    unloaded_added = me["unloaded"]["p50_ms"] - healthz["unloaded"]["p50_ms"]
    results["rpc_round_trip"] = {
        "rpcs_per_me": list(ME_RPCS),
        "p50_ms_added": round(me["p50_ms"] - healthz["p50_ms"], 3),
        "unloaded_p50_ms_added": round(unloaded_added, 3),
        "unloaded_p50_ms_per_rpc": round(unloaded_added / len(ME_RPCS), 3),
        "time_ratio_me_vs_healthz": ratio(healthz["ops_per_s"], me["ops_per_s"]),
        "cpu_ms_per_request_added": {name: round(me["cpu_ms_per_request"][name] - healthz["cpu_ms_per_request"][name], 3)
                                     for name in me["cpu_ms_per_request"]},
    }
    memory = results["memory"]
    memory["gateway_vs_bare_workers"] = ratio(memory["gateway"]["workers_peak_rss_mib"],
                                              memory["bare"]["workers_peak_rss_mib"])
    return results


def report(results):
    settings = results["settings"]
    rows = []
    for name, label in (("bare", "(a) bare Flask /healthz"), ("healthz", "(b) gateway /healthz"),
                        ("me", "(c) gateway /api/v1/mp/me")):
        result = results[name]
        rows.append((label, result["ops_per_s"], result["p50_ms"], result["p99_ms"], result["time_ratio_vs_bare"],
                     result["p50_ratio_vs_bare"], result["unloaded"]["p50_ms"], result["errors"],
                     result["cpu_cores_used"]))
    rpc = results["rpc_round_trip"]
    lines = [f"gateway: {settings['concurrency']} client threads for {settings['seconds']} s per case "
             f"(+{settings['warmup_seconds']} s warm-up), unloaded = 1 thread for {settings['unloaded_seconds']} s",
             table(("case", "req/s", "p50 ms", "p99 ms", "x bare (time)", "x bare (p50)", "unloaded p50 ms",
                    "errors", "cores busy"), rows),
             f"(d) RPC round trips (c - b), {len(rpc['rpcs_per_me'])} RPCs in (c): +{rpc['p50_ms_added']} ms p50 "
             f"under load, +{rpc['unloaded_p50_ms_added']} ms p50 unloaded (= {rpc['unloaded_p50_ms_per_rpc']} ms "
             f"per RPC), {rpc['time_ratio_me_vs_healthz']}x the time per request of (b)",
             "", "CPU ms per request, by process:"]
    names = list(results["me"]["cpu_ms_per_request"])
    cpu_rows = [(name, results["bare"]["cpu_ms_per_request"].get(name), results["healthz"]["cpu_ms_per_request"][name],
                 results["me"]["cpu_ms_per_request"][name], rpc["cpu_ms_per_request_added"][name]) for name in names]
    lines.append(table(("process", "(a) bare", "(b) healthz", "(c) me", "c - b"), cpu_rows))
    memory = results["memory"]
    lines.append("")
    lines.append(f"peak RSS (VmHWM) of the gunicorn workers: gateway {memory['gateway']['workers_peak_rss_mib']} MiB "
                 f"over {memory['gateway']['workers']} workers (master {memory['gateway']['master_peak_rss_mib']} MiB), "
                 f"bare Flask {memory['bare']['workers_peak_rss_mib']} MiB "
                 f"(master {memory['bare']['master_peak_rss_mib']} MiB): {memory['gateway_vs_bare_workers']}x")
    return "\n".join(lines)


def main(argv=None):
    return bench_main(__doc__, lambda parser: add_load_arguments(parser, concurrency=16),
                      lambda args: run(args.concurrency, args.seconds, args.warmup, args.unloaded_seconds), report, argv)


if __name__ == "__main__":
    sys.exit(main())
