"""Ids of new objects. Outside a keyed request: random. Inside one (``xjkit.idempotency``): derived
from the key's claim, so running the same request again makes the same ids — which is how the
takeover of a crashed request finds the objects it already made instead of making them twice.

Framework-free (a ``contextvars.ContextVar``: per thread and per greenlet).
"""
import contextlib
import contextvars
import uuid

_NAMESPACE = uuid.UUID("6f1d3c52-5d0e-4a51-9a36-0a4f2d1c7b11")
_keyed = contextvars.ContextVar("xj_keyed_request", default=None)


class _KeyedRun:
    def __init__(self, seed, replay):
        self.seed = seed
        self.replay = replay
        self.count = 0


def new_id():
    """A new object id (32 hex digits)."""
    run = _keyed.get()
    if run is None:
        return uuid.uuid4().hex
    run.count += 1
    return uuid.uuid5(_NAMESPACE, f"{run.seed}#{run.count}").hex


def replaying():
    """True while a keyed request runs again after its first run died: a write that finds its
    object already there (same id) has been done before and is skipped."""
    run = _keyed.get()
    return bool(run and run.replay)


@contextlib.contextmanager
def keyed_run(seed, replay=False):
    """Within: ``new_id()`` derives ids from ``seed`` (the claim and the request's keyed
    fingerprint, so nobody can predict them from the key alone)."""
    token = _keyed.set(_KeyedRun(seed, replay))
    try:
        yield
    finally:
        _keyed.reset(token)
