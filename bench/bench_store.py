"""Document store benchmark: raw pymongo calls against xjkit's repository layer, in one run.

Starts a fresh nx-27017 on a free port (or uses the server MONGO_URI names), then measures one
client thread doing, one operation at a time:

  insert   raw ``insert_one``               vs  ``VersionedRepository.insert`` (one outbox event)
  replace  raw ``replace_one`` + version    vs  ``VersionedRepository.replace``
  find     raw ``find`` by an indexed field vs  ``VersionedRepository.find`` (same collection)
  relay    ``OutboxRelay.sweep`` with a no-op publish: events relayed per second
  ping     ``admin.command("ping")``: the round trip floor of the client and the server

Raw and repository batches alternate (100 operations each), so drift on a shared machine hits
both sides alike. Ratios are repository / raw mean time per operation (1.0 = no overhead).

    .venv/bin/python bench/bench_store.py [--ops 5000]
"""
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    ROOT, bench_main, cpu_seconds, free_port, ratio, refuse_monkey_patching, summarize, table,
    wait_for_port,
)
from xjkit.clock import SHANGHAI, FixedClock  # noqa: E402
from xjkit.events import new_event  # noqa: E402
from xjkit.mongo.client import connect  # noqa: E402
from xjkit.mongo.repository import IndexSpec, VersionedRepository  # noqa: E402
from xjkit.outbox import OutboxRelay  # noqa: E402

STORE_BIN = os.path.join(ROOT, ".venv-store", "bin", "nx-27017")
CHUNK = 100
CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
OPENID_INDEX = IndexSpec(keys=(("openid", 1),), unique=True)


class BenchPersons(VersionedRepository):
    collection_name = "persons_repo"
    indexes = (OPENID_INDEX,)


def person(number):
    """A document shaped like identity-svc's persons (same size for raw and repository)."""
    return {
        "_id": f"p{number:07d}", "openid": f"o-bench-{number:07d}", "status": "verified",
        "name": "张三", "id_card_masked": "110105********002X", "id_card_hash": "ab" * 32,
        "id_card_cipher": "cd" * 48, "phone": "13800000000", "education": "本科",
        "address": {"province": "新疆", "city": "乌鲁木齐", "detail": "天山区某路 1 号"},
        "created_at": CLOCK.now(), "updated_at": CLOCK.now(),
    }


class StoreServer:
    """A fresh nx-27017 in a temporary directory, or the server MONGO_URI names."""

    def __init__(self):
        self.uri = os.environ.get("MONGO_URI")
        self.process = self.data_dir = None

    def __enter__(self):
        if self.uri:
            return self
        if not os.path.exists(STORE_BIN):
            raise RuntimeError("nx-27017 is not installed: run `make install` (it creates .venv-store)")
        self.data_dir = tempfile.mkdtemp(prefix="xj-bench-store-")
        port = free_port()
        self.process = subprocess.Popen(
            [STORE_BIN, "--data-dir", self.data_dir, "-p", str(port), "--host", "127.0.0.1",
             "--log-file", os.path.join(self.data_dir, "server.log"),
             "--pid-file", os.path.join(self.data_dir, "server.pid")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.uri = f"mongodb://127.0.0.1:{port}"
        try:
            wait_for_port(port)
        except Exception:
            self.__exit__()
            raise
        return self

    @property
    def name(self):
        return "nx-27017 (fresh, started by the benchmark)" if self.process else f"MONGO_URI {self.uri}"

    def server_cpu(self):
        return cpu_seconds(self.process.pid) if self.process else 0.0

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


class Side:
    """Latencies and CPU of one side (raw or repository) of a comparison, over many batches."""

    def __init__(self):
        self.latencies, self.seconds, self.client_cpu, self.server_cpu = [], 0.0, 0.0, 0.0

    def run(self, operation, numbers, server):
        cpu_client, cpu_server = time.process_time(), server.server_cpu()
        started = time.perf_counter()
        for number in numbers:
            begin = time.perf_counter_ns()
            operation(number)
            self.latencies.append(time.perf_counter_ns() - begin)
        self.seconds += time.perf_counter() - started
        self.client_cpu += time.process_time() - cpu_client
        self.server_cpu += server.server_cpu() - cpu_server

    def result(self):
        result = summarize(self.latencies, self.seconds)
        ops = max(1, result["ops"])
        result["client_cpu_ms_per_op"] = round(self.client_cpu * 1000 / ops, 3)
        result["server_cpu_ms_per_op"] = round(self.server_cpu * 1000 / ops, 3) if self.server_cpu else None
        return result


def compare(raw_operation, repository_operation, count, server):
    """Alternating batches of raw and repository operations on the numbers 0..count-1."""
    raw, repository = Side(), Side()
    for start in range(0, count, CHUNK):
        numbers = range(start, min(count, start + CHUNK))
        raw.run(raw_operation, numbers, server)
        repository.run(repository_operation, numbers, server)
    raw, repository = raw.result(), repository.result()
    return {"raw": raw, "repository": repository,
            "ratio": ratio(repository["mean_ms"], raw["mean_ms"]),
            "p50_ratio": ratio(repository["p50_ms"], raw["p50_ms"])}


def run(ops=5000):
    refuse_monkey_patching()
    with StoreServer() as server:
        client = connect(server.uri, app_name="xjcloud-bench")
        database_name = f"xjbench_{uuid.uuid4().hex[:10]}"
        database = client[database_name]
        try:
            return {"server": server.name, "ops": ops, **measure(database, ops, server)}
        finally:
            client.drop_database(database_name)
            client.close()


def measure(database, ops, server):
    raw_collection = database["persons_raw"]
    OPENID_INDEX.create_on(raw_collection)
    repository = BenchPersons(database)
    repository.ensure_indexes()

    # warm up connections, the server's statement caches and both collections (not measured)
    for number in range(ops, ops + 50):
        raw_collection.insert_one(person(number))
        repository.insert(person(number), events=[new_event("identity.person_registered", {"n": number}, CLOCK)])
    results = {}

    ping = Side()
    ping.run(lambda _: database.client.admin.command("ping"), range(ops), server)
    results["ping"] = ping.result()

    # (a) insert: the repository adds the outbox (one event, made beforehand) and the pending flag
    raw_docs, repository_docs = {}, {}
    events = [new_event("identity.person_registered", {"person_id": f"p{number:07d}"}, CLOCK)
              for number in range(ops)]

    def raw_insert(number):
        document = {**person(number), "version": 1}
        raw_collection.insert_one(document)
        raw_docs[number] = document

    def repository_insert(number):
        repository_docs[number] = repository.insert(person(number), events=[events[number]])

    results["insert"] = compare(raw_insert, repository_insert, ops, server)

    # (b) replace with a version check: whole-document writes, as every use case does
    def raw_replace(number):
        document = raw_docs[number]
        updated = {**document, "status": "active", "version": document["version"] + 1}
        result = raw_collection.replace_one({"_id": document["_id"], "version": document["version"]}, updated)
        if result.matched_count != 1:
            raise RuntimeError("raw replace matched nothing")
        raw_docs[number] = updated

    def repository_replace(number):
        document = {**repository_docs[number], "status": "active"}
        repository_docs[number] = repository.replace(document)

    results["replace"] = compare(raw_replace, repository_replace, ops, server)

    # (d) find by an indexed field, both sides on the repository's collection
    order = list(range(ops))
    random.Random(7).shuffle(order)
    openids = [f"o-bench-{number:07d}" for number in order]

    def raw_find(index):
        if len(list(repository.collection.find({"openid": openids[index]}))) != 1:
            raise RuntimeError("raw find missed")

    def repository_find(index):
        if len(repository.find({"openid": openids[index]})) != 1:
            raise RuntimeError("repository find missed")

    results["find"] = compare(raw_find, repository_find, ops, server)

    # (c) the outbox relay: every repository document above has one pending event
    relay = OutboxRelay([repository.collection], publish=lambda event: None)
    sweeps, events, seconds = [], 0, 0.0
    cpu_client, cpu_server = time.process_time(), server.server_cpu()
    while True:
        begin = time.perf_counter_ns()
        sent = relay.sweep(limit=200)
        if not sent:
            break
        sweeps.append(time.perf_counter_ns() - begin)
        events += sent
        seconds += sweeps[-1] / 1e9
    sweep = summarize(sweeps, seconds)
    results["relay"] = {
        "events": events,
        "events_per_s": round(events / seconds, 1),
        "sweeps": sweep["ops"],
        "sweep_p50_ms": sweep["p50_ms"], "sweep_p99_ms": sweep["p99_ms"],
        "ms_per_event": round(seconds * 1000 / events, 3),
        "client_cpu_ms_per_event": round((time.process_time() - cpu_client) * 1000 / events, 3),
        "server_cpu_ms_per_event": round((server.server_cpu() - cpu_server) * 1000 / events, 3) or None,
        # one relayed event costs one replace_one plus its share of the find
        "ratio_vs_raw_replace": ratio(seconds * 1000 / events, results["replace"]["raw"]["mean_ms"]),
    }
    if events != ops + 50:
        raise RuntimeError(f"the relay sent {events} events, expected {ops + 50}")
    return results


def report(results):
    rows = [("ping (floor)", "raw", results["ping"]["ops_per_s"], results["ping"]["p50_ms"],
             results["ping"]["p99_ms"], None, results["ping"]["server_cpu_ms_per_op"])]
    for case in ("insert", "replace", "find"):
        for side in ("raw", "repository"):
            sample = results[case][side]
            rows.append((case if side == "raw" else "", side, sample["ops_per_s"], sample["p50_ms"],
                         sample["p99_ms"], results[case]["ratio"] if side == "repository" else None,
                         sample["server_cpu_ms_per_op"]))
    relay = results["relay"]
    rows.append(("relay sweep", "events", relay["events_per_s"], relay["sweep_p50_ms"],
                 relay["sweep_p99_ms"], relay["ratio_vs_raw_replace"], relay["server_cpu_ms_per_event"]))
    lines = [f"store: {results['server']}, {results['ops']} operations per side, one client thread",
             table(("case", "side", "ops/s", "p50 ms", "p99 ms", "ratio", "server cpu ms/op"), rows),
             "ratio: repository / raw mean time per op (relay: per event / raw replace_one); "
             "relay p50/p99 are per sweep of up to 200 events"]
    return "\n".join(lines)


def main(argv=None):
    def arguments(parser):
        parser.add_argument("--ops", type=int, default=5000, help="operations per side and case (default 5000)")
    return bench_main(__doc__, arguments, lambda args: run(args.ops), report, argv)


if __name__ == "__main__":
    sys.exit(main())
