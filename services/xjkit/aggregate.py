"""Entities that record the events their changes cause (cosmicpython's ``self.events``).

A domain method that changes an aggregate also says what happened: ``self.record(type, payload,
at)``. Nobody else builds the event. The unit of work (``xjkit.unit_of_work``) takes the recorded
events when it commits the aggregate and stores them in the same write as its state, so a change
and its events are never parted. Framework-free: domain modules import this.
"""
from dataclasses import dataclass, field

from xjkit.clock import isoformat
from xjkit.events import Event


class Aggregate:
    """Mixin for dataclass entities. The pending events live outside the dataclass fields, so they
    are never part of the stored document or of equality."""

    @property
    def events(self):
        """Events recorded since the last commit, oldest first."""
        return self.__dict__.setdefault("_recorded_events", [])

    def record(self, event_type, payload, at):
        """Note that ``event_type`` happened at ``at`` (an aware datetime) with ``payload``."""
        if "." not in event_type:
            raise ValueError("event type must be '<source>.<name>'")
        self.events.append(Event(type=event_type, payload=dict(payload), occurred_at=isoformat(at)))

    def take_events(self):
        """The recorded events, handed over once (to the write that stores them)."""
        taken = list(self.events)
        self.events.clear()
        return taken


@dataclass(kw_only=True)
class StoredAggregate(Aggregate):
    """An Aggregate dataclass with the storage bookkeeping every stored entity carries (see
    ``xjkit.mongo.entities``): ``version``, 0 until first stored, and ``stored_outbox``, the events
    not yet relayed. Keyword-only, so an entity's own fields keep their order and defaults."""

    version: int = 0
    stored_outbox: list = field(default_factory=list, repr=False)
