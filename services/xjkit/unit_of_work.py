"""The unit of work: one way for every use case to write aggregates and their events.

As in *Architecture Patterns with Python*, a use case opens the unit of work, loads aggregates
through its repositories, calls their domain methods, and commits::

    with uow:
        certificate = uow.certificates.get(certificate_id)
        certificate.confirm(clock.now())      # records cert.title_confirmed
        uow.commit()

The store's atomic write is one document, so ``commit()`` writes each aggregate that was added or
changed in ONE write: its state under the optimistic-concurrency version check, together with
the events it recorded (the embedded outbox). The Store relays them after every worker that wrote
some. A use case never touches versions, outboxes, events lists or relay flags. Leaving the
``with`` block without ``commit()`` writes nothing.

A commit that changes several aggregates writes them in the order they were first seen; each write
stands on its own (no cross-document transaction in the vetted subset). A ``ConcurrencyConflict``
or ``DuplicateKey`` raised by one write stops the commit; ``xjkit.retry.retry_on_conflict`` runs the
whole use case again, which reloads what changed.

Framework-free: service layers import this; adapters subclass ``AggregateRepository``.
"""
from abc import ABC, abstractmethod
from dataclasses import asdict

from xjkit.aggregate import Aggregate
from xjkit.errors import ConcurrencyConflict

BOOKKEEPING = ("version", "stored_outbox")


def _state(aggregate):
    return {name: value for name, value in asdict(aggregate).items() if name not in BOOKKEEPING}


class _Seen:
    __slots__ = ("repository", "aggregate", "new", "state")

    def __init__(self, repository, aggregate, new):
        self.repository, self.aggregate, self.new = repository, aggregate, new
        self.state = None if new else _state(aggregate)

    def needs_write(self):
        return self.new or bool(self.aggregate.events) or _state(self.aggregate) != self.state

    def write(self):
        events = self.aggregate.take_events()
        try:
            self.repository.write(self.aggregate, events, self.new)
        except Exception:
            self.aggregate.events[:0] = events  # nothing was stored: the events still wait
            raise
        self.new, self.state = False, _state(self.aggregate)


class AggregateRepository(ABC):
    """Base of every repository of aggregates. Whatever it hands out or is given is seen by its
    unit of work; only ``write`` (called by the commit) stores anything."""

    unit_of_work = None

    def seen(self, aggregate):
        """Note an aggregate loaded from the store (None passes through); returns it."""
        if aggregate is not None and self.unit_of_work is not None:
            self.unit_of_work.see(self, aggregate, new=False)
        return aggregate

    def add(self, aggregate):
        """A new aggregate, stored by the next commit (``DuplicateKey`` when a unique key clashes)."""
        if self.unit_of_work is None:
            raise RuntimeError(f"{type(self).__name__} is not part of a unit of work")
        self.unit_of_work.see(self, aggregate, new=True)

    @abstractmethod
    def write(self, aggregate, events, new):
        """Store the aggregate with ``events`` in one write: insert when ``new``, else replace under
        its version check (``ConcurrencyConflict``); afterwards the aggregate stands at the stored
        version."""


class UnitOfWork:
    """Subclasses create their repositories (adapters: on the store; unit tests: fakes) and pass
    them to ``__init__`` by name: ``uow.<name>`` is each one, and all of them report to this unit."""

    def __init__(self, **repositories):
        for name, repository in repositories.items():
            setattr(self, name, repository)
            repository.unit_of_work = self
        self._seen = {}

    def see(self, repository, aggregate, new):
        if not isinstance(aggregate, Aggregate):
            raise TypeError(f"{type(aggregate).__name__} is not an Aggregate")
        entry = self._seen.get(id(aggregate))
        if entry is None or entry.aggregate is not aggregate:
            self._seen[id(aggregate)] = _Seen(repository, aggregate, new)
        elif new:
            entry.new = True

    def __enter__(self):
        self._seen = {}
        return self

    def __exit__(self, *exc_info):
        self._seen = {}  # anything not committed is dropped, never written

    def commit(self):
        """Write what changed since it was loaded or last committed; what is seen stays seen, so a
        loop may change and commit again inside one ``with`` block."""
        for entry in list(self._seen.values()):
            if entry.needs_write():
                entry.write()


def change_each(uow, get, ids, change):
    """A batch job's loop (expiry and the like): each aggregate in a unit of work of its own, read
    again by ``get(id)`` so a loaded list never grows the commit; ``change(aggregate)`` says
    whether it changed it (then it is committed). One that another instance changed first
    (``ConcurrencyConflict``) is skipped: that instance did the job. Returns the committed ones."""
    committed = []
    for aggregate_id in ids:
        with uow:
            aggregate = get(aggregate_id)
            if aggregate is None or not change(aggregate):
                continue
            try:
                uow.commit()
            except ConcurrencyConflict:
                continue
            committed.append(aggregate)
    return committed
