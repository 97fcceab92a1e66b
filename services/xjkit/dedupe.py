"""Idempotent event handling: each consumer processes an event_id at most once to completion.

The marker is written after the handler succeeds, so a crash mid-handler means the redelivered
event runs again (handlers keep their own writes idempotent, e.g. by version checks or unique
keys); a redelivery after success is skipped.
"""
import datetime

from pymongo.errors import DuplicateKeyError

from xjkit.events import Event
from xjkit.mongo.repository import IndexSpec

PROCESSED_COLLECTION = "processed_events"
RETENTION_SECONDS = 30 * 24 * 3600  # longer than any broker redelivery window


class EventDeduplicator:
    def __init__(self, database, consumer):
        self.collection = database[PROCESSED_COLLECTION]
        self.consumer = consumer

    def ensure_indexes(self):
        IndexSpec(keys=(("processed_at", 1),), expire_after_seconds=RETENTION_SECONDS).create_on(self.collection)

    def _key(self, event_id):
        return f"{self.consumer}:{event_id}"

    def already_processed(self, event_id):
        return self.collection.find_one({"_id": self._key(event_id)}) is not None

    def mark_processed(self, event_id):
        try:
            self.collection.insert_one(
                {"_id": self._key(event_id), "processed_at": datetime.datetime.now(datetime.timezone.utc)}
            )
        except DuplicateKeyError:
            pass  # a concurrent redelivery finished first; both outcomes are the same

    def handle_once(self, event_data, handler):
        """Run ``handler(event)`` unless this consumer already processed the event. Returns
        ``(True, result)`` when it ran, ``(False, None)`` when it was a duplicate."""
        event = Event.from_dict(event_data)
        if self.already_processed(event.event_id):
            return False, None
        result = handler(event)
        self.mark_processed(event.event_id)
        return True, result
