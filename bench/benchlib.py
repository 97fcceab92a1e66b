"""Small helpers shared by the benchmarks: ports, latency summaries, /proc readings, tables.

The benchmark process is a client: it must never be eventlet-monkey-patched (the platform's
services run on eventlet in their own processes). ``refuse_monkey_patching`` checks that.
"""
import math
import os
import socket
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def refuse_monkey_patching():
    eventlet = sys.modules.get("eventlet")
    if eventlet is not None and eventlet.patcher.is_monkey_patched("socket"):
        raise RuntimeError("the benchmark process is eventlet-monkey-patched: its numbers would be wrong")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


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


def peak_rss_kib(pid):
    """VmHWM: the process's peak resident set size, in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


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


# output -----------------------------------------------------------------------------------------

def table(headers, rows):
    cells = [[str(h) for h in headers]] + [["-" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                       for i, cell in enumerate(row)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
