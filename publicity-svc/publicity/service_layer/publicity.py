"""Use cases of the public list: apply registration events, search, detail, the change feed for
bidding platforms, booklet verification, the midnight expiry, and a rebuild from scratch."""
import datetime
import re

from xjkit.errors import ConcurrencyConflict, PublicEnterpriseNotFound

from publicity.domain import listing

MAX_PER_PAGE = 100
FEED_SETTLE = datetime.timedelta(milliseconds=500)  # a write this old has surely committed
USCC_LIKE = re.compile(r"^[0-9A-Z]{18}$")


def _write(listing_store, document, wall_clock, today_iso):
    """Every write takes a new feed position and says whether the enterprise shows today."""
    document["feed_seq"] = listing_store.next_seq()
    document["changed_at"] = wall_clock.now()
    document["visible"] = "yes" if document.get("max_valid_until", "") >= today_iso else "no"
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
    query = {listing.valid_field(enterprise_type) if enterprise_type else "max_valid_until": {"$gte": today}}
    q = (q or "").strip()
    if q:
        if USCC_LIKE.match(q.upper()):
            query["_id"] = q.upper()
        else:
            query["name"] = {"$regex": re.escape(q)}
    if qualification:
        query["qualification_names"] = qualification.strip()
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
    """Changes after the cursor, each enterprise at its latest state, in the order written. Only
    settled writes are served, so a slower concurrent write can never be skipped."""
    try:
        after = int(since) if since else 0
    except ValueError:
        after = 0
    today = clock.today().isoformat()
    documents = listing_store.changed_since(after, wall_clock.now() - FEED_SETTLE, min(limit, 500))
    items = []
    for document in documents:
        showing = bool(listing.valid_registrations(document, today))
        items.append({"uscc": document["_id"], "change": "upsert" if showing else "remove",
                      "at": document["changed_at"], "seq": document["feed_seq"],
                      "enterprise": listing.summary(document, today) if showing else None})
    return {"items": items, "next": str(items[-1]["seq"] if items else after)}


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
