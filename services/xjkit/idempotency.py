"""``Idempotency-Key`` for POSTs: a retry with the same key and body returns the first answer and
does nothing twice; the same key with another body is refused (409).

The key is claimed with a unique insert (the store decides who was first, also under concurrent
retries); the answer is stored with the claim once the work is done. A refusal is kept too (the
retry gets the same refusal), except a 5xx, which frees the key so a later retry can succeed.

A body is remembered only as a keyed fingerprint (HMAC-SHA256 under a server secret): a body can
hold an ID number, and the ID-number space is small enough that a plain hash of it would be
reversed by brute force in a fraction of a second.
"""
import datetime
import hashlib
import hmac
import json

from pymongo.errors import DuplicateKeyError

from xjkit.errors import Conflict, DomainError
from xjkit.mongo.repository import IndexSpec

COLLECTION = "idempotency_keys"
RETENTION_SECONDS = 24 * 3600
# a claim this old belongs to a request that died (the gateway gives up after 60 s)
STALE_CLAIM = datetime.timedelta(minutes=5)


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"
    message = "该 Idempotency-Key 已用于另一个不同的请求"


class IdempotencyInProgress(Conflict):
    code = "IDEMPOTENCY_IN_PROGRESS"
    message = "相同 Idempotency-Key 的请求正在处理中，请稍后重试"


FINGERPRINT_KEY_BYTES = 32


def fingerprint_key(secret):
    """The fingerprint key derived from a server secret (str or bytes of at least 32), for this
    use only: it never equals the secret itself."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if len(raw) < FINGERPRINT_KEY_BYTES:
        raise ValueError(f"the fingerprint secret must be at least {FINGERPRINT_KEY_BYTES} bytes")
    return hmac.new(raw, b"xjcloud request-fingerprint v1", hashlib.sha256).digest()


def request_fingerprint(payload, key):
    """A stable keyed hash of a request body (key order does not matter): HMAC-SHA256 under
    ``key`` (see ``fingerprint_key``), so a stored fingerprint reveals nothing of the body."""
    if not isinstance(key, bytes) or len(key) < FINGERPRINT_KEY_BYTES:
        raise ValueError("request_fingerprint needs a key of at least 32 bytes")
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def ensure_indexes(database):
    IndexSpec(keys=(("created_at", 1),), expire_after_seconds=RETENTION_SECONDS).create_on(database[COLLECTION])


def run_once(database, scope, key, fingerprint, work, now=None):
    """Run ``work()`` once per (scope, key). ``scope`` names the caller and the action, e.g.
    ``"<uscc>:make_offer"``; without a key, ``work()`` simply runs."""
    if not key:
        return work()
    collection = database[COLLECTION]
    claim_id = f"{scope}:{key}"
    now = now or datetime.datetime.now(datetime.timezone.utc)
    claim = {"_id": claim_id, "fingerprint": fingerprint, "state": "claimed", "created_at": now}
    try:
        collection.insert_one(claim)
    except DuplicateKeyError:
        claim = _existing_claim(collection, claim_id, fingerprint, now)
        if claim.get("state") == "done":
            return claim["response"]
        if claim.get("state") == "refused":
            raise DomainError(*claim["error"])
    try:
        response = work()
    except DomainError as error:
        if error.status >= 500:
            collection.delete_one({"_id": claim_id, "created_at": claim["created_at"]})
        else:
            collection.replace_one({"_id": claim_id}, {**claim, "state": "refused", "error": list(error.as_base().args)})
        raise
    except Exception:
        collection.delete_one({"_id": claim_id, "created_at": claim["created_at"]})
        raise
    collection.replace_one({"_id": claim_id}, {**claim, "state": "done", "response": response})
    return response


def _existing_claim(collection, claim_id, fingerprint, now):
    existing = collection.find_one({"_id": claim_id})
    if existing is None:  # freed between our insert and this read: the retry may go ahead
        raise IdempotencyInProgress()
    if existing["fingerprint"] != fingerprint:
        raise IdempotencyKeyReused()
    if existing["state"] == "claimed":
        created = existing["created_at"]
        if created.tzinfo is None:
            created = created.replace(tzinfo=datetime.timezone.utc)
        if now - created < STALE_CLAIM:
            raise IdempotencyInProgress()
        # take over a dead request's claim, only if nobody else took it first (a whole-document
        # replace conditional on the old claim: nx-27017 would store a $set date as text)
        renewed = {**existing, "created_at": now}
        taken = collection.replace_one(
            {"_id": claim_id, "state": "claimed", "created_at": existing["created_at"]}, renewed)
        if taken.matched_count != 1:
            raise IdempotencyInProgress()
        return renewed
    return existing
