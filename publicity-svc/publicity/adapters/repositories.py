"""The public read model in MongoDB (vetted subset): whole-document writes with version checks,
top-level validity fields for range filters, and the feed: an append-only collection whose
``seq`` is the position, taken by inserting "last + 1" (its unique index makes two writers that
read the same last position collide, and the loser reads again). ``seq`` is a field of its own,
not ``_id``: nx-27017 sorts ``_id`` as text (9 after 10), an indexed integer field correctly."""
import re

from pymongo.errors import DuplicateKeyError

from xjkit.errors import ConcurrencyConflict
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from publicity.domain.listing import ENTERPRISE_TYPES, valid_field
from publicity.service_layer import ports

FEED_COUNTER = "feed"  # the positions before the feed collection (kept so that old cursors stay valid)
APPEND_ATTEMPTS = 1000


class _Enterprises(VersionedRepository):
    collection_name = "enterprises"
    indexes = (
        IndexSpec(keys=(("feed_seq", 1),)),
        IndexSpec(keys=(("max_valid_until", 1), ("name", 1))),
        IndexSpec(keys=(("visible", 1), ("max_valid_until", 1))),
        IndexSpec(keys=(("qualification_names", 1),)),
    ) + tuple(IndexSpec(keys=((valid_field(t), 1),)) for t in ENTERPRISE_TYPES)


class _Counters(VersionedRepository):
    collection_name = "counters"


class _Feed(VersionedRepository):
    collection_name = "feed"  # {seq: position, uscc, version, at}
    indexes = (IndexSpec(keys=(("seq", 1),), unique=True),)


class _Booklets(VersionedRepository):
    collection_name = "booklets"


class MongoListing(ports.Listing):
    def __init__(self, database):
        self.enterprises = _Enterprises(database)
        self.counters = _Counters(database)
        self.booklets = _Booklets(database)
        self.feed = _Feed(database)

    def ensure_indexes(self):
        self.enterprises.ensure_indexes()
        try:
            self.counters.insert({"_id": FEED_COUNTER, "value": 0})
        except DuplicateKey:
            pass
        self.feed.ensure_indexes()
        self._migrate_feed()

    def _migrate_feed(self):
        """A read model from before the feed collection: one entry per enterprise at its old
        position, so cursors handed out before keep their meaning."""
        if self.feed.collection.find_one({}) is not None:
            return
        for document in self.enterprises.find({"feed_seq": {"$gt": 0}}, sort=(("feed_seq", 1),)):
            try:
                self.feed.collection.insert_one({"seq": document["feed_seq"], "uscc": document["_id"],
                                                 "version": document.get("version", 0), "at": 0.0})
            except DuplicateKeyError:
                pass

    def get(self, uscc):
        return self.enterprises.get(uscc)

    def put(self, document):
        if document.get("version", 0) == 0:
            try:
                document.update(self.enterprises.insert({k: v for k, v in document.items() if k != "version"}))
            except DuplicateKey:
                raise ConcurrencyConflict()
        else:
            document.update(self.enterprises.replace(document))

    def _last_position(self):
        last = list(self.feed.collection.find({}, {"seq": 1}).sort([("seq", -1)]).limit(1))
        if last:
            return last[0]["seq"]
        counter = self.counters.get(FEED_COUNTER)
        return counter["value"] if counter else 0

    def append_feed(self, uscc, version, at):
        for _ in range(APPEND_ATTEMPTS):
            position = self._last_position() + 1
            try:
                self.feed.collection.insert_one({"seq": position, "uscc": uscc, "version": version, "at": at})
                return position
            except DuplicateKeyError:
                continue  # another writer took it: read the last position again
        raise ConcurrencyConflict()

    def feed_entries(self, after, limit):
        return list(self.feed.collection.find({"seq": {"$gt": after}}, {"_id": 0}).sort([("seq", 1)]).limit(limit))

    def get_many(self, usccs):
        if not usccs:
            return {}
        return {d["_id"]: d for d in self.enterprises.find({"_id": {"$in": sorted(usccs)}})}

    def search(self, query, page, per_page):
        found = self.enterprises.page(_search_filter(query), page=page, per_page=per_page,
                                      sort=(("name", 1), ("_id", 1)))
        return found.items, found.total

    def visible_but_expired(self, today_iso, limit):
        return self.enterprises.find({"visible": "yes", "max_valid_until": {"$lt": today_iso}}, limit=limit)

    def record_booklet(self, booklet_no, uscc, enterprise_type):
        try:
            self.booklets.insert({"_id": booklet_no, "uscc": uscc, "enterprise_type": enterprise_type})
        except DuplicateKey:
            pass

    def booklet(self, booklet_no):
        return self.booklets.get(booklet_no)

    def clear(self):
        # one delete_one per document: the vetted subset has no delete_many (a rebuild command only)
        for repository in (self.enterprises, self.booklets):
            for document in list(repository.collection.find({}, {"_id": 1})):
                repository.collection.delete_one({"_id": document["_id"]})


def _search_filter(query):
    """The Mongo filter of a ``ListingQuery`` (indexes: each validity field, name, qualification)."""
    found = {valid_field(query.enterprise_type) if query.enterprise_type else "max_valid_until": {"$gte": query.valid_on}}
    if query.uscc is not None:
        found["_id"] = query.uscc
    if query.name_contains is not None:
        found["name"] = {"$regex": re.escape(query.name_contains)}
    if query.qualification is not None:
        found["qualification_names"] = query.qualification
    return found


def prepare_database(database):
    MongoListing(database).ensure_indexes()
