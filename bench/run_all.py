"""Runs the benchmarks, prints their tables and writes bench/results/<timestamp>.json.

    make bench                                        # everything, default settings
    .venv/bin/python bench/run_all.py --quick         # everything, short (a few minutes)
    .venv/bin/python bench/run_all.py --only store    # one benchmark (repeat --only for more)

Every process a benchmark starts (nx-27017, the platform, gunicorn) is stopped before it returns,
also when it fails. This process is a client and is never eventlet-monkey-patched.
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_booklet  # noqa: E402
import bench_cert_sync  # noqa: E402
import bench_employment  # noqa: E402
import bench_filing  # noqa: E402
import bench_gateway  # noqa: E402
import bench_public  # noqa: E402
import bench_store  # noqa: E402
from benchlib import add_load_arguments, refuse_monkey_patching  # noqa: E402

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
BENCHMARKS = ("store", "gateway", "employment", "cert_sync", "booklet", "filing", "public")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run xjcloud's benchmarks.")
    parser.add_argument("--only", action="append", choices=BENCHMARKS,
                        help="run only this benchmark (repeatable); default: all")
    parser.add_argument("--ops", type=int, default=5000, help="store: operations per side and case (default 5000)")
    add_load_arguments(parser, concurrency=16, scope="gateway: ")
    parser.add_argument("--persons", type=int, default=300, help="employment: hires to make (default 300)")
    parser.add_argument("--hire-concurrency", type=int, default=8, help="employment: client threads (default 8)")
    parser.add_argument("--sync-persons", type=int, default=200,
                        help="cert_sync: staff members, each with one certificate of 3 specialities (default 200)")
    parser.add_argument("--sync-workers", type=int, default=10,
                        help="cert_sync: threads for the national calls (default 10)")
    parser.add_argument("--national-delay", type=float, default=0.0,
                        help="cert_sync: seconds the stub waits before each national answer (default 0)")
    parser.add_argument("--booklet-persons", type=int, default=500,
                        help="booklet: filed staff of the enterprise (default 500)")
    parser.add_argument("--booklet-repeat", type=int, default=5, help="booklet: timed renders per case (default 5)")
    parser.add_argument("--booklet-gateway-requests", type=int, default=20,
                        help="booklet: booklets fetched through the gateway after the first (default 20; 0: none)")
    parser.add_argument("--filing-enterprises", type=int, default=40,
                        help="filing: enterprises that each submit one first filing (default 40)")
    parser.add_argument("--public-enterprises", type=int, default=30,
                        help="public: enterprises filed (freshness) and listed (default 30)")
    parser.add_argument("--public-concurrency", type=int, default=50,
                        help="public: client threads of the list load (default 50; --seconds, --warmup and "
                             "--unloaded-seconds apply too)")
    parser.add_argument("--public-pause-max", type=float, default=1.0,
                        help="public: random pause of up to this many seconds before each filing (default 1)")
    parser.add_argument("--public-sizes",
                        help="public: enterprises in the read model for the throughput cases (default 30,3000,30000; "
                             "--quick: 30,3000)")
    parser.add_argument("--public-freshness-load", type=int, default=10,
                        help="public: client threads requesting the list while freshness is measured (default 10)")
    parser.add_argument("--quick", action="store_true",
                        help="a short run of everything (a few minutes): 3 s per case, fewer hires, filings, "
                             "renders and operations, public sizes 30 and 3000")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/<timestamp>.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.ops, args.seconds, args.warmup, args.unloaded_seconds = 1000, 3.0, 1.0, 1.0
        args.persons, args.filing_enterprises, args.booklet_repeat, args.booklet_gateway_requests = 60, 16, 3, 5
        args.public_enterprises, args.public_pause_max = 10, 0.5
        args.public_sizes = args.public_sizes or "30,3000"
    args.public_sizes = args.public_sizes or "30,3000,30000"
    refuse_monkey_patching()

    started = datetime.datetime.now(datetime.timezone.utc)
    results = {
        "started_at": started.isoformat(timespec="seconds"), "quick": args.quick,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_average_at_start": os.getloadavg()},
    }
    runners = {
        "store": lambda: bench_store.run(args.ops),
        "gateway": lambda: bench_gateway.run(args.concurrency, args.seconds, args.warmup, args.unloaded_seconds),
        "employment": lambda: bench_employment.run(args.hire_concurrency, args.persons, args.seconds),
        "filing": lambda: bench_filing.run(args.filing_enterprises, args.hire_concurrency, args.seconds),
        "cert_sync": lambda: bench_cert_sync.run(args.sync_persons, args.sync_workers, args.national_delay),
        "booklet": lambda: bench_booklet.run(args.booklet_persons, args.booklet_repeat,
                                             gateway_requests=args.booklet_gateway_requests),
        "public": lambda: bench_public.run(args.public_enterprises, args.public_concurrency, args.seconds, args.warmup,
                                           args.unloaded_seconds, args.public_pause_max,
                                           [int(size) for size in args.public_sizes.split(",")],
                                           args.public_freshness_load),
    }
    reports = {"store": bench_store.report, "gateway": bench_gateway.report, "employment": bench_employment.report,
               "filing": bench_filing.report, "cert_sync": bench_cert_sync.report, "booklet": bench_booklet.report,
               "public": bench_public.report}
    failed = False
    for name in args.only or BENCHMARKS:
        print(f"== {name} ==", flush=True)
        begin = time.monotonic()
        try:
            results[name] = runners[name]()
        except Exception:
            traceback.print_exc()
            results[name] = {"error": traceback.format_exc(limit=3)}
            failed = True
            continue
        print(reports[name](results[name]))
        print(f"({name}: {time.monotonic() - begin:.0f} s)\n", flush=True)

    if not args.no_save:
        os.makedirs(RESULTS_DIR, exist_ok=True)
        path = os.path.join(RESULTS_DIR, started.strftime("%Y%m%dT%H%M%SZ") + ".json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2, ensure_ascii=False)
        print(f"results written to {os.path.relpath(path)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
