"""An in-memory ``ports.Listing`` for unit tests of publicity's use cases."""
import copy

from xjkit.errors import ConcurrencyConflict

from publicity.domain.listing import valid_field
from publicity.service_layer import ports


class FakeListing(ports.Listing):
    def __init__(self):
        self.documents = {}
        self.feed = []  # {seq, uscc, version, at}
        self.booklets = {}

    def get(self, uscc):
        document = self.documents.get(uscc)
        return copy.deepcopy(document) if document is not None else None

    def put(self, document):
        stored = self.documents.get(document["_id"])
        if (stored or {}).get("version", 0) != document.get("version", 0):
            raise ConcurrencyConflict()
        document["version"] = document.get("version", 0) + 1
        self.documents[document["_id"]] = copy.deepcopy(document)

    def append_feed(self, uscc, version, at):
        position = len(self.feed) + 1
        self.feed.append({"seq": position, "uscc": uscc, "version": version, "at": at})
        return position

    def feed_entries(self, after, limit):
        return [dict(entry) for entry in self.feed if entry["seq"] > after][:limit]

    def get_many(self, usccs):
        return {uscc: self.get(uscc) for uscc in usccs if uscc in self.documents}

    def search(self, query, page, per_page):
        found = sorted((d for d in self.documents.values() if _matches(query, d)),
                       key=lambda d: (d.get("name") or "", d["_id"]))
        start = (page - 1) * per_page
        return [copy.deepcopy(d) for d in found[start:start + per_page]], len(found)

    def visible_but_expired(self, today_iso, limit):
        return [self.get(uscc) for uscc, d in self.documents.items()
                if d.get("visible") == "yes" and d.get("max_valid_until", "") < today_iso][:limit]

    def record_booklet(self, booklet_no, uscc, enterprise_type):
        self.booklets.setdefault(booklet_no, {"_id": booklet_no, "uscc": uscc, "enterprise_type": enterprise_type})

    def booklet(self, booklet_no):
        return self.booklets.get(booklet_no)

    def clear(self):
        self.documents.clear()
        self.booklets.clear()


def _matches(query, document):
    """What the adapter's Mongo filter selects (``adapters.repositories._search_filter``)."""
    validity = document.get(valid_field(query.enterprise_type) if query.enterprise_type else "max_valid_until", "")
    return (validity >= query.valid_on
            and (query.uscc is None or document["_id"] == query.uscc)
            and (query.name_contains is None or query.name_contains in (document.get("name") or ""))
            and (query.qualification is None or query.qualification in document.get("qualification_names", ())))
