"""Repository base: whole-document writes with optimistic concurrency and an embedded outbox.

Every document carries ``version`` (1 on insert, +1 on each replace). A replace names the
version it read; if another writer got there first, nothing is written and
``ConcurrencyConflict`` is raised, so the use case can reload and retry.

Events caused by a change travel in the same document write (``outbox`` list plus an
``outbox_pending`` flag). That single write is atomic on every server, so a crash between the
write and the publish loses nothing: ``xjkit.outbox.OutboxRelay`` publishes and clears them.

Every write that stores events is noted for the worker making it (``watch_event_writes``), so
the store relays them right after the worker, whichever use case wrote them: no flag to set.
"""
import contextvars
from dataclasses import dataclass

from pymongo.errors import DuplicateKeyError

from xjkit import ids
from xjkit.errors import ConcurrencyConflict, DuplicateKey
from xjkit.logcontext import outbox_entry  # the request id travels with each stored event
from xjkit.mongo.subset import vet_filter, vet_replacement

_events_written = contextvars.ContextVar("xj_events_written", default=None)


def watch_event_writes():
    """From now on, in this thread or greenlet (a worker), note whether a write stored events:
    returns a box whose ``[0]`` turns True at the first one (the Store relays after the worker)."""
    box = [False]
    _events_written.set(box)
    return box


def _note_events(events):
    if events:
        box = _events_written.get()
        if box is not None:
            box[0] = True


OUTBOX_FIELD = "outbox"
OUTBOX_PENDING_FIELD = "outbox_pending"


@dataclass(frozen=True)
class IndexSpec:
    """An index inside the vetted subset: single or compound keys; unique, sparse or TTL."""

    keys: tuple  # (("field", 1), ...)
    unique: bool = False
    sparse: bool = False
    expire_after_seconds: int = None
    name: str = None

    def create_on(self, collection):
        options = {}
        if self.unique:
            options["unique"] = True
        if self.sparse:
            options["sparse"] = True
        if self.expire_after_seconds is not None:
            options["expireAfterSeconds"] = self.expire_after_seconds
        if self.name:
            options["name"] = self.name
        return collection.create_index(list(self.keys), **options)


def _index_name_from(error):
    details = getattr(error, "details", None) or {}
    pattern = details.get("keyPattern")
    if pattern:
        return "_".join(f"{key}_{direction}" for key, direction in pattern.items())
    text = str(error)
    marker = "index: "
    if marker in text:
        return text.split(marker, 1)[1].split(" ", 1)[0]
    return None


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


class VersionedRepository:
    """Base for every service's repositories. Subclasses set ``collection_name`` and ``indexes``."""

    collection_name = None
    indexes = ()

    def __init__(self, database):
        if not self.collection_name:
            raise TypeError(f"{type(self).__name__} must set collection_name")
        self.collection = database[self.collection_name]

    def ensure_indexes(self):
        # the outbox relay scans for pending documents
        IndexSpec(keys=((OUTBOX_PENDING_FIELD, 1),)).create_on(self.collection)
        for spec in self.indexes:
            spec.create_on(self.collection)

    # reads ---------------------------------------------------------------------------------

    def get(self, document_id):
        return self.collection.find_one({"_id": document_id})

    def find_one(self, query):
        return self.collection.find_one(vet_filter(query))

    def find(self, query, sort=None, skip=0, limit=0):
        cursor = self.collection.find(vet_filter(query))
        if sort:
            cursor = cursor.sort(list(sort))
        if skip:
            cursor = cursor.skip(skip)
        if limit:
            cursor = cursor.limit(limit)
        return list(cursor)

    def count(self, query):
        return self.collection.count_documents(vet_filter(query))

    def page(self, query, page=1, per_page=20, sort=(("_id", 1),)):
        total = self.count(query)
        items = self.find(query, sort=sort, skip=(page - 1) * per_page, limit=per_page)
        return Page(items=items, total=total, page=page, per_page=per_page)

    # writes --------------------------------------------------------------------------------

    def insert(self, document, events=()):
        """Insert a new document at version 1, with the events its creation causes."""
        stored = dict(document)
        stored["version"] = 1
        stored[OUTBOX_FIELD] = [outbox_entry(event) for event in events]
        stored[OUTBOX_PENDING_FIELD] = bool(events)
        try:
            self.collection.insert_one(stored)
        except DuplicateKeyError as error:
            if ids.made_by_this_request(stored.get("_id")):
                existing = self.collection.find_one({"_id": stored["_id"]})
                if existing is not None:  # made by an earlier run (or try) of this keyed request
                    return existing
            raise DuplicateKey(_index_name_from(error)) from error
        _note_events(events)
        return stored

    def replace(self, document, events=()):
        """Write the whole document if nobody changed it since it was read."""
        expected_version = document["version"]
        stored = dict(document)
        stored["version"] = expected_version + 1
        stored[OUTBOX_FIELD] = list(document.get(OUTBOX_FIELD) or []) + [outbox_entry(e) for e in events]
        stored[OUTBOX_PENDING_FIELD] = bool(stored[OUTBOX_FIELD])
        vet_replacement(stored)
        try:
            result = self.collection.replace_one({"_id": document["_id"], "version": expected_version}, stored)
        except DuplicateKeyError as error:
            raise DuplicateKey(_index_name_from(error)) from error
        if result.matched_count != 1:
            raise ConcurrencyConflict()
        _note_events(events)
        return stored
