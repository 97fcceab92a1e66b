"""The person's inbox: notices made from other services' events (offers, decisions, confirmations)."""
from dataclasses import dataclass
from datetime import datetime

from xjkit.aggregate import StoredAggregate


@dataclass
class InboxMessage(StoredAggregate):
    message_id: str  # the source event's id: a redelivered event cannot make a second message
    person_id: str
    kind: str
    title: str
    body: str
    target_id: str
    created_at: datetime
    read: bool = False
    read_at: datetime = None

    def mark_read(self, at):
        if not self.read:
            self.read = True
            self.read_at = at
