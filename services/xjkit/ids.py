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
    def __init__(self, seed):
        self.seed = seed
        self.count = 0
        self.issued = set()


def new_id():
    """A new object id (32 hex digits)."""
    run = _keyed.get()
    if run is None:
        return uuid.uuid4().hex
    run.count += 1
    made = uuid.uuid5(_NAMESPACE, f"{run.seed}#{run.count}").hex
    run.issued.add(made)
    return made


def made_by_this_request(object_id):
    """True when ``object_id`` came from ``new_id()`` in the keyed request running now: an object
    already stored under it was written by an earlier run (or try) of this same request."""
    run = _keyed.get()
    return run is not None and object_id in run.issued


def mark():
    """Where the id sequence stands (``rewind`` to it before running a piece of work again)."""
    run = _keyed.get()
    return run.count if run is not None else None


def rewind(position):
    """Make the next ids those made after ``mark()``: a try that is repeated makes the same ids."""
    run = _keyed.get()
    if run is not None and position is not None:
        run.count = position


@contextlib.contextmanager
def keyed_run(seed):
    """Within: ``new_id()`` derives ids from ``seed`` (the claim and the request's keyed
    fingerprint, so nobody can predict them from the key alone)."""
    token = _keyed.set(_KeyedRun(seed))
    try:
        yield
    finally:
        _keyed.reset(token)
