"""``Idempotency-Key`` for POSTs: a retry with the same key and body returns the first answer and
does nothing twice; the same key with another body is refused (409).

The key is claimed with a unique insert (the store decides who was first, also under concurrent
retries); the answer is stored with the claim once the work is done. A refusal is kept too (the
retry gets the same refusal), except a transient one — a 5xx, a write conflict
(``CONCURRENT_UPDATE``) or any unexpected error — which releases the key: the retry does the work
(as a replay, see "same ids").

A crash must not block a key, nor make its object twice:

- **lease**: a claim is held for ``LEASE`` (wall clock), renewed every ``LEASE/3`` while the work
  runs. A claim whose lease ran out belongs to a request that died; the next retry takes it over
  (a conditional replace: of two concurrent takeovers one wins). So a retry after a crash works
  as soon as the service is back and the lease is over (seconds, not minutes);
- **waiting**: a retry that finds the claim held waits for it (up to ``WAIT``), then answers with
  the first answer instead of 409 ``IDEMPOTENCY_IN_PROGRESS``;
- **same ids**: inside the work, ``xjkit.ids.new_id()`` derives ids from the claim, so the
  takeover's run makes the same ids; the repositories skip a creation whose object is already
  there (``xjkit.ids.made_by_this_request``). The crash between the object's write and the claim's "done" no
  longer makes the object twice: the takeover finds it.

A body is remembered only as a keyed fingerprint (HMAC-SHA256 under a server secret): a body can
hold an ID number, and the ID-number space is small enough that a plain hash of it would be
reversed by brute force in a fraction of a second.
"""
import datetime
import hashlib
import hmac
import json
import threading
import time
import uuid

from pymongo.errors import DuplicateKeyError

from xjkit import ids
from xjkit.errors import ConcurrencyConflict, Conflict, DomainError
from xjkit.mongo.repository import IndexSpec

COLLECTION = "idempotency_keys"
RETENTION_SECONDS = 24 * 3600
LEASE = datetime.timedelta(seconds=6)
WAIT_SECONDS = 8.0  # well inside the gateway's RPC timeout
POLL_SECONDS = 0.1


class IdempotencyKeyReused(Conflict, code="IDEMPOTENCY_KEY_REUSED", message="该 Idempotency-Key 已用于另一个不同的请求"): ...


class IdempotencyInProgress(Conflict, code="IDEMPOTENCY_IN_PROGRESS", message="相同 Idempotency-Key 的请求正在处理中，请稍后重试"): ...


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


def _wall_now():
    return datetime.datetime.now(datetime.timezone.utc)


def _aware(instant):
    if isinstance(instant, datetime.datetime) and instant.tzinfo is None:
        return instant.replace(tzinfo=datetime.timezone.utc)
    return instant


def is_transient(error):
    """Errors that say nothing about the request itself: never a key's stored answer."""
    return isinstance(error, ConcurrencyConflict) or getattr(error, "code", None) == ConcurrencyConflict.code \
        or getattr(error, "status", 0) >= 500


def run_once(database, scope, key, fingerprint, work, now=_wall_now, lease=LEASE, wait_seconds=WAIT_SECONDS):
    """Run ``work()`` once per (scope, key). ``scope`` names the caller and the action, e.g.
    ``"<uscc>:make_offer"``; without a key, ``work()`` simply runs. ``now``: the wall clock."""
    if not key:
        return work()
    collection = database[COLLECTION]
    claim_id = f"{scope}:{key}"
    deadline = time.monotonic() + wait_seconds
    while True:
        claim, _ = _claim(collection, claim_id, fingerprint, now, lease)
        if claim is not None:
            break
        if time.monotonic() >= deadline:
            raise IdempotencyInProgress()
        time.sleep(POLL_SECONDS)
    if claim.get("state") == "done":
        return claim["response"]
    if claim.get("state") == "refused":
        raise DomainError(*claim["error"])
    heartbeat = _Heartbeat(collection, claim, now, lease)
    heartbeat.start()
    try:
        with ids.keyed_run(f"{claim_id}:{fingerprint}"):
            response = work()
    except DomainError as error:
        heartbeat.stop()
        if is_transient(error):
            _release(collection, claim)
        else:
            collection.replace_one({"_id": claim_id, "token": claim["token"]},
                                   {**claim, "state": "refused", "error": list(error.as_base().args)})
        raise
    except BaseException:
        heartbeat.stop()
        _release(collection, claim)
        raise
    heartbeat.stop()
    collection.replace_one({"_id": claim_id, "token": claim["token"]}, {**claim, "state": "done", "response": response})
    return response


def _release(collection, claim):
    """The work failed for a reason that says nothing about the request: the next retry runs it
    again — as a replay, since this run may have written some of its objects already."""
    collection.replace_one({"_id": claim["_id"], "token": claim["token"]}, {**claim, "state": "released"})


def _claim(collection, claim_id, fingerprint, now, lease):
    """(claim, replay): ours to run (new, or taken over from a dead request: replay=True), or one
    that is finished (done / refused); (None, False) while another live request holds it."""
    instant = now()
    claim = {"_id": claim_id, "fingerprint": fingerprint, "state": "claimed", "created_at": instant,
             "lease_until": instant + lease, "token": uuid.uuid4().hex, "runs": 1}
    try:
        collection.insert_one(claim)
        return claim, False
    except DuplicateKeyError:
        pass
    existing = collection.find_one({"_id": claim_id})
    if existing is None:  # freed between our insert and this read: try again
        return None, False
    if existing["fingerprint"] != fingerprint:
        raise IdempotencyKeyReused()
    if existing["state"] not in ("claimed", "released"):
        return existing, False  # done or refused
    lease_until = _aware(existing.get("lease_until")) or _aware(existing["created_at"]) + lease
    if existing["state"] == "claimed" and instant < lease_until:
        return None, False  # a live request holds it
    # take over a dead request's claim, only if nobody else took it first (a whole-document
    # replace conditional on the old claim's token: nx-27017 would store a $set date as text)
    renewed = {**existing, "state": "claimed", "created_at": instant, "lease_until": instant + lease,
               "token": uuid.uuid4().hex,
               "runs": int(existing.get("runs") or 1) + 1}
    condition = {"_id": claim_id, "state": existing["state"]}
    condition.update({"token": existing["token"]} if existing.get("token") else {"created_at": existing["created_at"]})
    if collection.replace_one(condition, renewed).matched_count != 1:
        return None, False
    return renewed, True


class _Heartbeat:
    """Renews the claim's lease while the work runs (a green thread under eventlet)."""

    def __init__(self, collection, claim, now, lease):
        self.collection, self.claim, self.now, self.lease = collection, claim, now, lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="idempotency-lease", daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()

    def _run(self):
        interval = self.lease.total_seconds() / 3
        while not self._stop.wait(interval):
            try:
                self.collection.replace_one(
                    {"_id": self.claim["_id"], "token": self.claim["token"], "state": "claimed"},
                    {**self.claim, "lease_until": self.now() + self.lease})
            except Exception:  # the store is away: so is the work's; the lease may run out
                pass
