"""Use cases of the public list: apply registration events, search, detail, the change feed for
bidding platforms, booklet verification, the midnight expiry, and a rebuild from scratch."""
import datetime
import re

from xjkit.errors import ConcurrencyConflict, PublicEnterpriseNotFound

from publicity.domain import listing

MAX_PER_PAGE = 100
# a feed entry whose document never reached its version this long after: its writer died (or
# lost a race and wrote another entry); readers pass it instead of waiting for it any longer
FEED_ENTRY_ABANDONED = datetime.timedelta(seconds=10)
USCC_LIKE = re.compile(r"^[0-9A-Z]{18}$")


def _write(listing_store, document, wall_clock, today_iso):
    """Every write first appends its feed entry (the next position, naming the version the write
    is about to give the document), then writes the document; and says whether it shows today."""
    now = wall_clock.now()
    document["changed_at"] = now
    document["visible"] = "yes" if document.get("max_valid_until", "") >= today_iso else "no"
    document["feed_seq"] = listing_store.append_feed(document["_id"], document.get("version", 0) + 1, now.timestamp())
    listing_store.put(document)


def apply_registration_event(listing_store, clock, wall_clock, payload):
    """Idempotent and order-proof: an event older than what is stored changes nothing. A write
    conflict raises ``ConcurrencyConflict``; the caller retries (``xjkit.retry``, the handler policy)."""
    current = listing_store.get(payload["uscc"]) or {"_id": payload["uscc"], "version": 0}
    updated = listing.apply_registration(current, payload)
    if updated is None:
        return False
    _write(listing_store, updated, wall_clock, clock.today().isoformat())
    if payload.get("booklet_no"):
        listing_store.record_booklet(payload["booklet_no"], payload["uscc"], payload["enterprise_type"])
    return True


def search(listing_store, clock, q=None, enterprise_type=None, qualification=None, page=1, per_page=20):
    today = clock.today().isoformat()
    q = (q or "").strip()
    uscc = q.upper() if q and USCC_LIKE.match(q.upper()) else None
    query = listing.ListingQuery(valid_on=today, enterprise_type=enterprise_type or None, uscc=uscc,
                                 name_contains=q if q and uscc is None else None,
                                 qualification=(qualification or "").strip() or None)
    per_page = min(per_page, MAX_PER_PAGE)
    documents, total = listing_store.search(query, page, per_page)
    return {"items": [listing.summary(d, today) for d in documents], "total": total, "page": page,
            "per_page": per_page, "as_of": today}


def enterprise(listing_store, clock, uscc):
    document = listing_store.get(uscc)
    today = clock.today().isoformat()
    if document is None or not listing.valid_registrations(document, today):
        raise PublicEnterpriseNotFound()
    return listing.detail(document, today)


def feed(listing_store, clock, wall_clock, since=None, limit=100):
    """Changes after the cursor, each enterprise at its latest state, in the order written.

    Positions are gap-free (``Listing.append_feed``) and each entry is appended before its
    document is written. A reader serves entries in order and stops before the first one whose
    document has not reached that entry's version yet: the write is under way, and the cursor
    must not pass it. So no write is ever skipped, and nothing waits for a clock: only an entry
    abandoned by its writer (``FEED_ENTRY_ABANDONED``) is passed without its write."""
    try:
        after = int(since) if since else 0
    except ValueError:
        after = 0
    today = clock.today().isoformat()
    entries = listing_store.feed_entries(after, min(limit, 500))
    documents = listing_store.get_many({entry["uscc"] for entry in entries})
    abandoned_before = (wall_clock.now() - FEED_ENTRY_ABANDONED).timestamp()
    latest = {}  # uscc -> (entry, document): an enterprise shows once, at its last position
    cursor = after
    for entry in entries:
        document = documents.get(entry["uscc"])
        written = document is not None and document.get("version", 0) >= entry["version"]
        if not written and entry["at"] >= abandoned_before:
            break  # under way: serve it on a later read, never skip it
        latest.pop(entry["uscc"], None)
        latest[entry["uscc"]] = (entry, document)
        cursor = entry["seq"]
    items = []
    for entry, document in latest.values():
        showing = document is not None and bool(listing.valid_registrations(document, today))
        at = document["changed_at"] if document is not None else \
            datetime.datetime.fromtimestamp(entry["at"], datetime.timezone.utc)
        items.append({"uscc": entry["uscc"], "change": "upsert" if showing else "remove", "at": at,
                      "seq": entry["seq"], "enterprise": listing.summary(document, today) if showing else None})
    return {"items": items, "next": str(cursor)}


def hide_expired(listing_store, clock, wall_clock, batch=500):
    """At midnight registrations end without an event: put the now-invisible enterprises in the
    feed as removals (the list and detail already hide them by date)."""
    today = clock.today().isoformat()
    hidden = 0
    for document in listing_store.visible_but_expired(today, batch):
        try:
            _write(listing_store, document, wall_clock, today)
            hidden += 1
        except ConcurrencyConflict:
            continue
    return hidden


def verify_booklet(listing_store, clock, booklet_no):
    issued = listing_store.booklet(booklet_no)
    if issued is None:
        return {"booklet_no": booklet_no, "authentic": False, "current": False}
    document = listing_store.get(issued["uscc"]) or {}
    registration = (document.get("registrations") or {}).get(issued["enterprise_type"]) or {}
    current = registration.get("booklet_no") == booklet_no and registration.get("valid_until", "") >= clock.today().isoformat()
    return {"booklet_no": booklet_no, "authentic": True, "current": current, "uscc": issued["uscc"],
            "enterprise_name": document.get("name"), "enterprise_type": issued["enterprise_type"],
            "valid_until": registration.get("valid_until"), "current_booklet_no": registration.get("booklet_no")}
