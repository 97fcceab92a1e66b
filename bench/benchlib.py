"""Small helpers shared by the benchmarks: ports, latency summaries, /proc readings, the platform,
command lines and tables.

The benchmark process is a client: it must never be eventlet-monkey-patched (the platform's
services run on eventlet in their own processes). ``refuse_monkey_patching`` checks that. So it
cannot import the root conftest.py (which monkey-patches on import) and keeps its own port helpers.
"""
import argparse
import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
import threading
import time

from xjkit.polling import free_port, wait_for_port  # noqa: F401  (the benchmarks import them from here)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def refuse_monkey_patching():
    eventlet = sys.modules.get("eventlet")
    if eventlet is not None and eventlet.patcher.is_monkey_patched("socket"):
        raise RuntimeError("the benchmark process is eventlet-monkey-patched: its numbers would be wrong")


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def summarize(latencies_ns, seconds):
    """ops/s over the measured wall time, and latency percentiles in milliseconds."""
    values = sorted(latencies_ns)
    return {
        "ops": len(values),
        "seconds": round(seconds, 3),
        "ops_per_s": round(len(values) / seconds, 1) if seconds else None,
        "mean_ms": round(sum(values) / len(values) / 1e6, 3) if values else None,
        "p50_ms": round(percentile(values, 50) / 1e6, 3),
        "p99_ms": round(percentile(values, 99) / 1e6, 3),
    }


def run_threads(target, count):
    """``count`` threads of ``target``, started together and joined; returns the wall seconds."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def ratio(numerator, denominator):
    return round(numerator / denominator, 2) if numerator and denominator else None


# /proc ------------------------------------------------------------------------------------------

def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads), or 0.0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def process_memory_kib(pid):
    """{"VmRSS": ..., "VmHWM": ...} of a process, in KiB, from /proc/<pid>/status (0 when gone)."""
    found = {"VmRSS": 0, "VmHWM": 0}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                name = line.split(":", 1)[0]
                if name in found:
                    found[name] = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return found


def peak_rss_kib(pid):
    """VmHWM: the process's peak resident set size, in KiB (0 when it is gone)."""
    return process_memory_kib(pid)["VmHWM"]


def processes():
    """{pid: (parent pid, command line)} of every process we may read."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except (FileNotFoundError, ProcessLookupError, IndexError, PermissionError):
            continue
        table[int(entry)] = (parent, command)
    return table


def children(pid, table=None):
    table = table or processes()
    return [child for child, (parent, _) in table.items() if parent == pid]


# the platform -----------------------------------------------------------------------------------

@contextlib.contextmanager
def running_platform(name, extra_env=None):
    """The whole platform, started as the end-to-end tests start it (``tests.conftest.RunningPlatform``:
    its own RabbitMQ vhost, ports and data directory under a new work directory), stopped and its
    vhost deleted afterwards. The work directory is removed, or kept and named when the block fails."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from tests.conftest import RunningPlatform, create_vhost, delete_vhost

    work_dir = tempfile.mkdtemp(prefix=f"xj-bench-{name}-")
    vhost = create_vhost()
    platform = RunningPlatform(os.path.join(work_dir, "platform"), vhost, extra_env=extra_env)
    try:
        platform.start()
        yield platform
    except BaseException:
        print(f"bench {name} failed; logs kept in {work_dir}", file=sys.stderr)
        work_dir = None
        raise
    finally:
        platform.stop()
        delete_vhost(vhost)
        if work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)


def work_dir_of(platform):
    """The work directory ``running_platform`` made (other servers of the run keep their logs there)."""
    return os.path.dirname(platform.data_dir)


# command lines and output -----------------------------------------------------------------------

def argument_parser(doc):
    """A benchmark's own command line: described by its module's first doc line, with ``--json``."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    return parser


def add_load_arguments(parser, concurrency, scope=""):
    """--concurrency, --seconds, --warmup and --unloaded-seconds of a load of back-to-back requests
    (``scope``: "gateway: " and the like, where one command line serves several benchmarks)."""
    if concurrency is not None:
        parser.add_argument("--concurrency", type=int, default=concurrency,
                            help=f"{scope}client threads (default {concurrency})")
    parser.add_argument("--seconds", type=float, default=10.0, help=f"{scope}measured seconds per case (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help=f"{scope}unmeasured seconds before each case (default 2)")
    parser.add_argument("--unloaded-seconds", type=float, default=3.0,
                        help=f"{scope}seconds of the one-thread run of each case (default 3)")


def print_results(results, report, as_json):
    """The benchmark's tables, then with ``--json`` the raw results."""
    print(report(results))
    if as_json:
        print(json.dumps(results, indent=2, ensure_ascii=False))


def bench_main(doc, add_arguments, run, report, argv=None, failed=lambda results: False):
    """``main()`` of a benchmark run on its own: its command line (``add_arguments(parser)``, and
    ``--json``), ``run(args)``, the tables; the exit status is 1 when ``failed(results)``."""
    parser = argument_parser(doc)
    add_arguments(parser)
    args = parser.parse_args(argv)
    results = run(args)
    print_results(results, report, args.json)
    return 1 if failed(results) else 0


# output -----------------------------------------------------------------------------------------

def table(headers, rows):
    cells = [[str(h) for h in headers]] + [["-" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                       for i, cell in enumerate(row)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
