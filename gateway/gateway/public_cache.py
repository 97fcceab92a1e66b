"""The shared cache of the public API's answers (list, detail, feed, booklet verification).

publicity-svc increments a version in Redis after the changes it commits to the public read
model (``xjkit.public_version``). Per request the gateway reads that one small key; an answer
is cached in Redis, under the query, with the version and the business day it was built for,
as the final JSON bytes (already through ``read_public``'s redaction and the response schema).
So a request whose answer is cached costs two Redis reads and no RPC, and a request whose
``If-None-Match`` names the current version costs one Redis read and answers 304.

- **ETag** ``"p<version>.<day>"``: from the version, not the body. The business day is part of
  it (and of the cache entry) because what is valid changes at midnight without any write.
- **Freshness**: a change is committed, then the version moves, then the next request rebuilds.
  Entries also expire after ``XJ_PUBLIC_CACHE_SECONDS`` (a missed bump is never served longer).
- **Stampede**: one rebuild per query and version (a short ``SET NX`` lock). The others serve
  the entry of the previous version while the rebuild runs (at most one change behind, for the
  time of one RPC), or, without one, wait for it up to ``WAIT_SECONDS`` and then build it
  themselves.
- **Only public data**: only the anonymous public API uses this cache; its answers are the
  same for every client. Nothing of a logged-in caller is cached here.
- **Redis down**: the version cannot be read, so nothing is cached or served from the cache;
  the request goes to publicity-svc as before, its ETag from the body (``gateway.http_cache``).

Each worker also keeps the last answers in memory (``LOCAL_ENTRIES``), so a hot query whose
version has not moved costs only the version read.
"""
import hashlib
import json
import logging
import threading
import time

import redis
from flask import current_app, request

from xjkit import public_version
from xjkit.public_version import version_key

from gateway import http_cache
from gateway.public_reads import read_public

log = logging.getLogger(__name__)

EXTENSION = "xj_public_cache"
DEFAULT_TTL_SECONDS = 300
LOCK_SECONDS = 5  # a rebuild that takes longer than this lets another one start
WAIT_SECONDS = 1.0  # how long a request without a previous entry waits for another's rebuild
WAIT_STEP_SECONDS = 0.01
REDIS_RETRY_SECONDS = 5.0
LOCAL_ENTRIES = 256
FORMAT = "1"  # part of every key: a gateway that dumps differently never reads another's entries


class PublicCache:
    def __init__(self, client, prefix, clock, ttl_seconds=DEFAULT_TTL_SECONDS):
        self.client = client
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.clock = clock  # the business date is part of every entry: validity moves at midnight
        self.version_key = version_key(prefix)
        self.down_until = 0.0
        self.local = {}  # entry key -> (version, day, body)
        self.local_lock = threading.Lock()

    @classmethod
    def from_url(cls, url, prefix, clock, ttl_seconds=DEFAULT_TTL_SECONDS):
        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, health_check_interval=30)
        return cls(client, prefix, clock, ttl_seconds)

    # Redis, with a pause after a failure (each request would otherwise wait for the timeout)

    def _redis(self, operation, *args, **kwargs):
        if time.monotonic() < self.down_until:
            raise redis.RedisError("paused after a failure")
        try:
            return operation(*args, **kwargs)
        except redis.RedisError as error:
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
            log.warning("public cache bypassed: Redis failed (%s)", type(error).__name__)
            raise

    def version(self):
        """The public read model's version, or None when Redis cannot be reached (no caching then).
        A missing key (a flushed or new Redis) is seeded here as publicity-svc would seed it: a
        new version only means that every answer is built once more."""
        try:
            value = self._redis(self.client.get, self.version_key)
            if value is None:
                self._redis(self.client.set, self.version_key, public_version.seed_value(), nx=True)
                value = self._redis(self.client.get, self.version_key)
        except redis.RedisError:
            return None
        return value.decode() if value is not None else None

    def _entry_key(self, method, kwargs):
        query = json.dumps([method, kwargs], sort_keys=True, ensure_ascii=False, default=str)
        return f"{self.prefix}public:answer:{FORMAT}:{hashlib.sha256(query.encode()).hexdigest()[:32]}"

    def _read(self, key):
        raw = self._redis(self.client.get, key)
        if raw is None:
            return None
        version, day, body = raw.split(b"\n", 2)
        return version.decode(), day.decode(), body

    def _write(self, key, version, day, body):
        self._redis(self.client.set, key, b"%s\n%s\n%s" % (version.encode(), day.encode(), body), ex=self.ttl_seconds)

    def _remember(self, key, version, day, body):
        with self.local_lock:
            if len(self.local) >= LOCAL_ENTRIES:
                self.local.clear()
            self.local[key] = (version, day, body)

    def answer(self, method, schema, max_age, **kwargs):
        """The response to a public read: from the cache when it holds this version's answer,
        304 when the client has it, else built once through ``read_public``."""
        version = self.version()
        if version is None:
            return None  # the caller takes the uncached path
        day = self.clock.today().isoformat()
        etag = version_etag(version, day)
        if http_cache.if_none_match_matches(request.headers.get("If-None-Match"), etag):
            return http_cache.not_modified_response(etag, max_age)
        key = self._entry_key(method, kwargs)
        local = self.local.get(key)
        if local is not None and local[:2] == (version, day):
            return http_cache.cached_response(local[2], etag, max_age)
        try:
            entry = self._read(key)
        except redis.RedisError:
            return None
        current = self._serve_if_current(key, entry, version, day, max_age)
        if current is not None:
            return current
        return self._rebuild(key, version, day, entry, method, schema, max_age, kwargs)

    def _serve_if_current(self, key, entry, version, day, max_age):
        """The response from a Redis entry when it is this version's answer of this day (then also
        kept in this worker's memory); None otherwise."""
        if entry is None or entry[:2] != (version, day):
            return None
        self._remember(key, *entry)
        return http_cache.cached_response(entry[2], version_etag(version, day), max_age)

    def _rebuild(self, key, version, day, previous, method, schema, max_age, kwargs):
        lock = f"{key}:lock:{version}:{day}"
        try:
            mine = self._redis(self.client.set, lock, b"1", nx=True, ex=LOCK_SECONDS)
        except redis.RedisError:
            return None
        if not mine:
            if previous is not None and previous[1] == day:
                # another request is rebuilding: the previous version's answer, one change behind
                return http_cache.cached_response(previous[2], version_etag(*previous[:2]), max_age)
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(WAIT_STEP_SECONDS)
                try:
                    current = self._serve_if_current(key, self._read(key), version, day, max_age)
                except redis.RedisError:
                    return None
                if current is not None:
                    return current
        try:
            body = dump(schema, read_public(method, **kwargs))
        except Exception:
            if mine:
                self._release(lock)
            raise
        try:
            self._write(key, version, day, body)
        except redis.RedisError:
            pass
        if mine:
            self._release(lock)
        self._remember(key, version, day, body)
        return http_cache.cached_response(body, version_etag(version, day), max_age)

    def _release(self, lock):
        try:
            self._redis(self.client.delete, lock)
        except redis.RedisError:
            pass


def version_etag(version, day):
    return f'"p{version}.{day}"'


def dump(schema, result):
    """The response body exactly as the view's ``@blp.response(schema)`` would send it."""
    return current_app.json.response(schema().dump(result)).get_data()


def init_app(app):
    if app.config["XJ_PUBLIC_CACHE_SECONDS"] <= 0:
        return  # 0 turns the cache off: every public read goes to publicity-svc
    app.extensions[EXTENSION] = PublicCache.from_url(
        app.config["XJ_REDIS_URL"], app.config["XJ_REDIS_KEY_PREFIX"], app.config["XJ_BUSINESS_CLOCK"],
        app.config["XJ_PUBLIC_CACHE_SECONDS"])


def cached_public(method, schema, max_age, **kwargs):
    """A public read through the shared cache; without it (Redis down, disabled), the plain
    ``read_public`` result, which the view's schema dumps and ``http_cache`` tags by body."""
    cache = current_app.extensions.get(EXTENSION)
    response = cache.answer(method, schema, max_age, **kwargs) if cache is not None else None
    return response if response is not None else read_public(method, **kwargs)

