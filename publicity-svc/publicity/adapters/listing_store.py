"""The public read model in MongoDB (vetted subset): whole-document writes with version checks,
top-level validity fields for range filters, a counter for the feed."""
from xjkit.errors import ConcurrencyConflict
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from publicity.domain.listing import ENTERPRISE_TYPES, valid_field
from publicity.service_layer import ports

FEED_COUNTER = "feed"


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


class _Booklets(VersionedRepository):
    collection_name = "booklets"


class MongoListing(ports.Listing):
    def __init__(self, database):
        self.enterprises = _Enterprises(database)
        self.counters = _Counters(database)
        self.booklets = _Booklets(database)

    def ensure_indexes(self):
        self.enterprises.ensure_indexes()
        try:
            self.counters.insert({"_id": FEED_COUNTER, "value": 0})
        except DuplicateKey:
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

    def next_seq(self):
        counter = self.counters.update_fields(FEED_COUNTER, inc_fields={"value": 1})
        if counter is None:  # the store was wiped after start-up
            self.ensure_indexes()
            counter = self.counters.update_fields(FEED_COUNTER, inc_fields={"value": 1})
        return counter["value"]

    def search(self, query, page, per_page):
        found = self.enterprises.page(query, page=page, per_page=per_page, sort=(("name", 1), ("_id", 1)))
        return found.items, found.total

    def changed_since(self, seq, settled_before, limit):
        return self.enterprises.find({"feed_seq": {"$gt": seq}, "changed_at": {"$lt": settled_before}},
                                     sort=(("feed_seq", 1),), limit=limit)

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
        self.enterprises.collection.delete_many({})
        self.booklets.collection.delete_many({})


def prepare_database(database):
    MongoListing(database).ensure_indexes()
