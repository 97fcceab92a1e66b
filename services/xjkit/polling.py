"""Waiting for something to become true: a server to listen, an event to arrive, a record to show.

One implementation for the launcher, the tests and the benchmarks. ``time.sleep`` is used, which
eventlet's monkey-patching turns into a green sleep where nameko runs.
"""
import socket
import time


def poll(read, timeout, interval=0.1, until=bool):
    """``read()`` again and again until ``until(value)`` holds or ``timeout`` seconds pass; returns
    the last value read (check it: after the timeout it is the one that did not satisfy)."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value) or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def wait_until(predicate, timeout=15.0, interval=0.1):
    """True as soon as ``predicate()`` is true, False if it is still false after ``timeout`` s."""
    return bool(poll(predicate, timeout, interval))


def port_open(port, host="127.0.0.1"):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_for_port(port, timeout=30.0, host="127.0.0.1"):
    """Return once something listens on ``host:port``; RuntimeError after ``timeout`` seconds."""
    if not wait_until(lambda: port_open(port, host), timeout, interval=0.1):
        raise RuntimeError(f"nothing listens on {host}:{port} after {timeout} s")


def free_port():
    """A TCP port nothing listens on now (for a server a test or benchmark starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
