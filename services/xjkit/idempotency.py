"""``Idempotency-Key`` for POSTs: a retry with the same key and body returns the first answer and
does nothing twice; the same key with another body is refused (409).

The key is claimed with a unique insert (the store decides who was first, also under concurrent
retries); the answer is stored with the claim once the work is done. A refusal is kept too (the
retry gets the same refusal), except a 5xx, which frees the key so a later retry can succeed.
"""
import datetime
import hashlib
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


def request_fingerprint(payload):
    """A stable hash of a request body (key order does not matter)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
