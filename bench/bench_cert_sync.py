"""Registered-certificate sync benchmark: ``sync_registered`` for N staff (default 200), each with
one certificate of three specialities, against the national-platform stub and a fresh nx-27017.

Builds a synthetic national dataset in the fixture's format (valid ID numbers and USCCs from
``xjkit.testdata``), starts the stub in this process (``serve_in_thread``) with it, and runs the
real use case with the real Mongo repository and the real HTTP client; staff and identity are
in-memory stand-ins (their one RPC each is not what is measured). The per-person national calls go
through a thread pool (``ThreadPoolExecutor(--workers).map``; the service uses a green pool of 10).

  first sync     every certificate added (one insert with its event each)
  re-sync        every certificate unchanged (one replace each, to record the sync time)
  re-sync, seq.  the same, with the national calls one after the other: the baseline for the pool

``--national-delay`` puts the stub in its slow mode, so each national answer waits that long, as a
real platform across the internet would; by default the calls cost only a loopback round trip.

    .venv/bin/python bench/bench_cert_sync.py [--persons 200] [--workers 10] [--national-delay 0.05]
"""
import datetime
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import bench_main, ratio, refuse_monkey_patching, table  # noqa: E402
from bench_store import StoreServer  # noqa: E402

import requests  # noqa: E402

from xjkit.clock import SHANGHAI, FixedClock  # noqa: E402
from xjkit.masking import mask_id_card  # noqa: E402
from xjkit.mongo.client import connect  # noqa: E402
from xjkit.testdata import make_id_card, make_uscc  # noqa: E402
from xjstubs.server import serve_in_thread  # noqa: E402

from certs.adapters.national import HttpNationalPlatform  # noqa: E402
from certs.adapters.repositories import MongoCertificatesUnitOfWork  # noqa: E402
from certs.service_layer import ports  # noqa: E402
from certs.service_layer.national_sync import sync_registered  # noqa: E402

ENTERPRISE = make_uscc(region="510100", body8="MA6CBNCH")
ENTERPRISE_NAME = "四川基准测试建设集团有限公司"
SPECIALTIES = ("建筑工程", "市政公用工程", "机电工程")
CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))


def id_card(number):
    birth = (datetime.date(1980, 1, 1) + datetime.timedelta(days=number // 1000)).strftime("%Y%m%d")
    return make_id_card(region="510104", birth=birth, seq=f"{number % 1000:03d}")


def dataset(persons):
    """The national platform's view: every person holds one certificate of three specialities here."""
    return {
        "source": "bench_cert_sync.py (synthetic)",
        "enterprises": [{"uscc": ENTERPRISE, "name": ENTERPRISE_NAME, "qualifications": []},
                        {"uscc": make_uscc(region="610100", body8="MA6CBNC2"), "name": "陕西其他建设有限公司",
                         "qualifications": []}],
        "persons": [{
            "id_card_no": id_card(n), "name": f"测试{n:04d}", "gender": "男",
            "registered_certs": [{
                "cert_no": f"川BENCH{n:06d}", "type": "一级注册建造师", "specialties": list(SPECIALTIES),
                "seal_no": f"川印{n:06d}", "registered_uscc": ENTERPRISE, "registered_unit": ENTERPRISE_NAME,
                "valid_from": "2026-01-01", "valid_until": "2029-12-31",
            }],
        } for n in range(persons)],
    }


class BenchStaff(ports.Staff):
    def __init__(self, persons):
        self.persons = [{"person_id": f"p{n:06d}", "person_name": f"测试{n:04d}",
                         "id_card_masked": mask_id_card(id_card(n))} for n in range(persons)]

    def active_staff(self, enterprise_uscc):
        return [dict(p) for p in self.persons] if enterprise_uscc == ENTERPRISE else []

    def current_employment(self, person_id):
        return None


class BenchIdentity(ports.IdentityNumbers):
    def __init__(self, persons):
        self.numbers = {f"p{n:06d}": id_card(n) for n in range(persons)}

    def id_cards_of(self, person_ids):
        return {pid: self.numbers[pid] for pid in person_ids if pid in self.numbers}


class CountingNational(ports.NationalPlatform):
    """The real HTTP client, counting calls and rows (thread-safe)."""

    def __init__(self, client):
        self.client, self.calls, self.rows = client, 0, 0
        self.lock = threading.Lock()

    def registered_certificates(self, id_card_no):
        rows = self.client.registered_certificates(id_card_no)
        with self.lock:
            self.calls += 1
            self.rows += len(rows)
        return rows


def timed_map(mapper, phases):
    """A map that records how long the national-call phase took (everything is fetched inside)."""
    def run(fn, items):
        begin = time.perf_counter()
        results = list(mapper(fn, items))
        phases.append(time.perf_counter() - begin)
        return results
    return run


def one_sync(name, repository, staff, identity, national, mapper, server, persons):
    phases = []
    calls_before = national.calls
    cpu_client, cpu_server = time.process_time(), server.server_cpu()
    begin = time.perf_counter()
    result = sync_registered(repository, staff, identity, national, CLOCK, ENTERPRISE,
                             map_concurrently=timed_map(mapper, phases))
    wall = time.perf_counter() - begin
    fetch = phases[0]
    return {
        "case": name,
        "national_calls": national.calls - calls_before,
        "added": len(result["added"]),
        "updated": len(result["updated"]),
        "unchanged": result["unchanged"],
        "refused": len(result["refused"]),
        "specialties_added": sum(len(v["specialties"]) for v in result["added"]),
        "wall_s": round(wall, 3),
        "fetch_s": round(fetch, 3),
        "store_s": round(wall - fetch, 3),
        "ms_per_person": round(wall * 1000 / persons, 2),
        "client_and_stub_cpu_s": round(time.process_time() - cpu_client, 3),
        "store_cpu_s": round(server.server_cpu() - cpu_server, 3) if server.process else None,
    }


def run(persons=200, workers=10, national_delay=0.0):
    refuse_monkey_patching()
    with tempfile.TemporaryDirectory(prefix="xj-bench-national-") as folder:
        data_path = os.path.join(folder, "national.json")
        with open(data_path, "w", encoding="utf-8") as handle:
            json.dump(dataset(persons), handle, ensure_ascii=False)
        stub, stub_url = serve_in_thread(port=0, env="test", national_data=data_path)
        session = requests.Session()
        session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=max(10, workers)))
        if national_delay:  # the stub's slow mode: every national answer waits this long (network latency)
            requests.post(f"{stub_url}/stub/national/outage", json={"mode": "slow", "delay_seconds": national_delay},
                          timeout=5).raise_for_status()
        national = CountingNational(HttpNationalPlatform(stub_url + "/national/api/v1", timeout=10, session=session))
        try:
            with StoreServer() as server, ThreadPoolExecutor(workers) as pool:
                client = connect(server.uri, app_name="xjcloud-bench")
                database_name = f"xjbench_{uuid.uuid4().hex[:10]}"
                try:
                    repository = MongoCertificatesUnitOfWork(client[database_name])  # what the sync writes through
                    repository.certificates.ensure_indexes()
                    staff, identity = BenchStaff(persons), BenchIdentity(persons)
                    runs = [
                        one_sync("first sync", repository, staff, identity, national, pool.map, server, persons),
                        one_sync("re-sync", repository, staff, identity, national, pool.map, server, persons),
                        one_sync("re-sync, sequential calls", repository, staff, identity, national, map,
                                 server, persons),
                    ]
                    stored = repository.certificates.find({"enterprise_uscc": ENTERPRISE, "kind": "registered"})
                    check = {"stored_certificates": len(stored),
                             "stored_specialties": sum(len(d["specialties"]) for d in stored),
                             "max_version": max((d["version"] for d in stored), default=0)}
                finally:
                    client.drop_database(database_name)
                    client.close()
                store_name = server.name
        finally:
            session.close()
            stub.shutdown()
            stub.server_close()
    results = {"persons": persons, "workers": workers, "national_delay_s": national_delay, "store": store_name,
               "national_rows": national.rows, "runs": runs, "check": check}
    first, resync, sequential = runs
    expected = {"first national calls": (first["national_calls"], persons),
                "added": (first["added"], persons),
                "specialities added": (first["specialties_added"], 3 * persons),
                "re-sync unchanged": (resync["unchanged"], persons),
                "re-sync national calls": (resync["national_calls"], persons),
                "stored certificates": (check["stored_certificates"], persons),
                "stored specialities": (check["stored_specialties"], 3 * persons)}
    wrong = {k: v for k, v in expected.items() if v[0] != v[1]}
    if wrong:
        raise RuntimeError(f"the sync did not do what it should: {wrong}")
    results["pool_speedup_fetch"] = ratio(sequential["fetch_s"], resync["fetch_s"])
    results["pool_speedup_wall"] = ratio(sequential["wall_s"], resync["wall_s"])
    return results


def report(results):
    rows = [(r["case"], r["national_calls"], r["added"], r["unchanged"], r["specialties_added"], r["wall_s"],
             r["fetch_s"], r["store_s"], r["ms_per_person"], r["client_and_stub_cpu_s"], r["store_cpu_s"])
            for r in results["runs"]]
    check = results["check"]
    return "\n".join([
        f"{results['persons']} staff x 1 certificate x 3 specialities; pool of {results['workers']} threads; "
        f"added national latency {results['national_delay_s']} s; store: {results['store']}; stub in this process",
        table(("case", "calls", "added", "unchanged", "specialities", "wall s", "fetch s", "store s",
               "ms/person", "client+stub cpu s", "store cpu s"), rows),
        f"stored: {check['stored_certificates']} certificates, {check['stored_specialties']} specialities "
        f"(highest version {check['max_version']}); national rows received: {results['national_rows']}",
        f"speed-up of the pool over sequential calls (re-sync, sequential time / pool time; >1: the pool is "
        f"faster): fetch {results['pool_speedup_fetch']}, whole sync {results['pool_speedup_wall']}",
    ])


def main(argv=None):
    def arguments(parser):
        parser.add_argument("--persons", type=int, default=200, help="staff members to sync (default 200)")
        parser.add_argument("--workers", type=int, default=10, help="threads for the national calls (default 10)")
        parser.add_argument("--national-delay", type=float, default=0.0,
                            help="seconds the stub waits before each national answer (default 0: loopback only)")
    return bench_main(__doc__, arguments, lambda args: run(args.persons, args.workers, args.national_delay), report,
                      argv)


if __name__ == "__main__":
    sys.exit(main())
