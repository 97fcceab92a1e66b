"""Repository base: whole-document writes with optimistic concurrency and an embedded outbox.

Every document carries ``version`` (1 on insert, +1 on each replace). A replace names the
version it read; if another writer got there first, nothing is written and
``ConcurrencyConflict`` is raised, so the use case can reload and retry.

Events caused by a change travel in the same document write (``outbox`` list plus an
``outbox_pending`` flag). That single write is atomic on every server, so a crash between the
write and the publish loses nothing: ``xjkit.outbox.OutboxRelay`` publishes and clears them.
"""
from dataclasses import dataclass

import pymongo
from pymongo.errors import DuplicateKeyError

from xjkit import ids
from xjkit.errors import ConcurrencyConflict, DuplicateKey
from xjkit.logcontext import outbox_entry  # the request id travels with each stored event
from xjkit.mongo.subset import vet_filter, vet_replacement, vet_update

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
            if ids.replaying() and "_id" in stored:
                existing = self.collection.find_one({"_id": stored["_id"]})
                if existing is not None:  # made by the first run of this keyed request
                    return existing
            raise DuplicateKey(_index_name_from(error)) from error
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
        return stored

    def update_fields(self, document_id, set_fields=None, inc_fields=None, expected_version=None, where=None):
        """``$set``/``$inc`` on top-level fields, in one conditional write: with ``expected_version``
        it is a version check, with ``where`` (a vetted filter) a state check such as
        ``{"status": "open"}``. Returns the document after the update, or None when nothing matched.
        """
        update = {}
        if set_fields:
            update["$set"] = dict(set_fields)
        if inc_fields:
            update["$inc"] = dict(inc_fields)
        vet_update(update)
        query = {**vet_filter(dict(where or {})), "_id": document_id}
        if expected_version is not None:
            query["version"] = expected_version
            update.setdefault("$inc", {})["version"] = 1
        try:
            return self.collection.find_one_and_update(
                query, update, return_document=pymongo.ReturnDocument.AFTER
            )
        except DuplicateKeyError as error:
            raise DuplicateKey(_index_name_from(error)) from error

