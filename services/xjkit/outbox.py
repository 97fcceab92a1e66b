"""Relays events stored in documents' outboxes to the broker.

A use case writes its state change and its events in one document write (see
``xjkit.mongo.repository``). The relay then publishes every pending event and clears the outbox
only if the document did not change meanwhile. A crash at any point leaves the events pending,
so they are published again later: delivery is at-least-once and consumers dedupe by event_id.
"""
import logging

from xjkit.mongo.repository import OUTBOX_FIELD, OUTBOX_PENDING_FIELD

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, collections, publish):
        """``collections``: pymongo collections holding outboxes; ``publish(event_dict)`` sends one."""
        self.collections = list(collections)
        self.publish = publish

    def flush_document(self, collection, document):
        events = document.get(OUTBOX_FIELD) or []
        for event in events:
            self.publish(event)
        # a whole-document replace conditional on the version we read (not $set: nx-27017 turns a
        # $set boolean into 0); a writer that appended events meanwhile keeps them pending
        cleared_document = {**document, OUTBOX_FIELD: [], OUTBOX_PENDING_FIELD: False}
        cleared = collection.replace_one({"_id": document["_id"], "version": document["version"]}, cleared_document)
        return len(events), cleared.matched_count == 1

    def sweep(self, limit=200):
        """Publish what is pending in every collection; returns how many events were sent."""
        sent = 0
        for collection in self.collections:
            for document in collection.find({OUTBOX_PENDING_FIELD: True}).limit(limit):
                try:
                    count, _ = self.flush_document(collection, document)
                except Exception:  # keep relaying the others; this one stays pending
                    log.exception("outbox relay failed for %s/%s", collection.name, document.get("_id"))
                    continue
                sent += count
        return sent
