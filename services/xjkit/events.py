"""The event envelope every service publishes: ``event_id``, ``occurred_at``, ``version``.

Delivery is at-least-once, so every handler is idempotent (versions, serials, or a key derived
from ``event_id``: docs/architecture.md, "Events and the outbox").
"""
import uuid
from dataclasses import asdict, dataclass, field

from xjkit.clock import isoformat

ENVELOPE_VERSION = 1


@dataclass(frozen=True)
class Event:
    type: str  # "<source>.<what happened>", e.g. "identity.person_verified"
    payload: dict
    occurred_at: str
    event_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    version: int = ENVELOPE_VERSION

    @property
    def source(self):
        return self.type.split(".", 1)[0]

    @property
    def name(self):
        return self.type.split(".", 1)[1]

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        missing = [key for key in ("type", "payload", "occurred_at", "event_id") if key not in data]
        if missing:
            raise ValueError(f"event envelope lacks {', '.join(missing)}")
        return cls(
            type=data["type"],
            payload=dict(data["payload"]),
            occurred_at=data["occurred_at"],
            event_id=data["event_id"],
            version=int(data.get("version", ENVELOPE_VERSION)),
        )


def new_event(event_type, payload, clock):
    if "." not in event_type:
        raise ValueError("event type must be '<source>.<name>'")
    return Event(type=event_type, payload=dict(payload), occurred_at=isoformat(clock.now()))
