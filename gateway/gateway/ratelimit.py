"""Rate limiting of the public API (API.md "Public": rate limited; 429 with ``Retry-After``).

Each client (its IP address) has a token bucket: ``XJ_PUBLIC_RATE`` requests per second on
average (default 20) with bursts of up to ``XJ_PUBLIC_BURST`` (default 40). Both come from the
app config, else the environment, else the defaults. Over the limit the answer is 429 with the API
error body (``RATE_LIMITED``, "请求过于频繁，请稍后再试") and ``Retry-After`` in whole seconds (at
least 1). Only the public blueprint is limited (``init_blueprint``).

The client is ``request.remote_addr``. The first address of ``X-Forwarded-For`` is used instead
only when ``XJ_TRUST_PROXY`` is true (the gateway sits behind a reverse proxy that sets it);
otherwise anybody could pick a new "address" for every request and never be limited.

Memory stays bounded: the buckets are kept in least-recently-used order; a bucket that has filled
up again is the same as a new one and is dropped as soon as it reaches the old end, and there are
never more than ``XJ_PUBLIC_MAX_CLIENTS`` (default 100 000) buckets: beyond that the least
recently seen client is forgotten (it simply starts again with a full bucket). One lock guards the
buckets, so gunicorn's threads (gthread) share them safely; every operation under it is O(1).

Each gunicorn worker process keeps its own buckets, so the effective limit is per worker: with
``N`` workers a client may get up to ``N`` times the rate (depending on which worker answers).
To make the limit global, keep the buckets in a shared store instead — Redis, which the machine
has (one small Lua script doing the same refill-and-take atomically per key, with a TTL of
``burst / rate`` seconds instead of the LRU). That is not implemented yet.
"""
import ipaddress
import math
import os
import threading
import time
from collections import OrderedDict

from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

DEFAULT_RATE = 20.0
DEFAULT_BURST = 40
DEFAULT_MAX_CLIENTS = 100_000
EXTENSION = "xj_public_ratelimit"
IDLE_SWEEP = 8  # at most this many refilled buckets dropped per request (keeps each request O(1))
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")

_init_lock = threading.Lock()


class TokenBuckets:
    """Per-key token buckets: ``rate`` tokens a second, at most ``burst``; thread-safe."""

    def __init__(self, rate, burst, max_clients=DEFAULT_MAX_CLIENTS, clock=time.monotonic):
        if not rate > 0:
            raise ValueError("rate must be above 0")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        if max_clients < 1:
            raise ValueError("max_clients must be at least 1")
        self.rate, self.burst, self.max_clients = float(rate), float(burst), int(max_clients)
        self.clock = clock
        self._buckets = OrderedDict()  # key -> [tokens, last refill time], least recently used first
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._buckets)

    def _refilled(self, bucket, now):
        return min(self.burst, bucket[0] + max(0.0, now - bucket[1]) * self.rate)

    def take(self, key):
        """Take a token for ``key``: 0.0 when allowed, else the seconds until one is available."""
        with self._lock:
            now = self.clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = [self.burst, now]
            else:
                self._buckets.move_to_end(key)
                bucket[0], bucket[1] = self._refilled(bucket, now), now
            if bucket[0] >= 1.0:
                bucket[0] -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - bucket[0]) / self.rate
            self._forget_idle(now)
            return wait

    def _forget_idle(self, now):
        """Drop refilled buckets at the old end, and the oldest ones beyond ``max_clients``."""
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        for _ in range(IDLE_SWEEP):
            if len(self._buckets) <= 1:
                return
            key, oldest = next(iter(self._buckets.items()))
            if self._refilled(oldest, now) < self.burst:
                return
            del self._buckets[key]


# --- configuration -------------------------------------------------------------------------------

def _setting(app, name, default, environ):
    value = app.config.get(name)
    if value is None:
        value = environ.get(name)
        if value is None or str(value).strip() == "":
            return default
    return value


def _positive_number(name, value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number above 0, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a number above 0, got {value!r}")
    return number


def _whole_number(name, value):
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer of at least 1, got {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(f"{name} must be an integer of at least 1, got {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be an integer of at least 1, got {value!r}")
    return number


def _flag(name, value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be true or false, got {value!r}")


class PublicRateLimit:
    def __init__(self, buckets, trust_proxy=False):
        self.buckets = buckets
        self.trust_proxy = trust_proxy

    @classmethod
    def from_config(cls, app, environ=os.environ):
        rate = _positive_number("XJ_PUBLIC_RATE", _setting(app, "XJ_PUBLIC_RATE", DEFAULT_RATE, environ))
        burst = _whole_number("XJ_PUBLIC_BURST", _setting(app, "XJ_PUBLIC_BURST", DEFAULT_BURST, environ))
        max_clients = _whole_number("XJ_PUBLIC_MAX_CLIENTS",
                                    _setting(app, "XJ_PUBLIC_MAX_CLIENTS", DEFAULT_MAX_CLIENTS, environ))
        trust_proxy = _flag("XJ_TRUST_PROXY", _setting(app, "XJ_TRUST_PROXY", False, environ))
        return cls(TokenBuckets(rate, burst, max_clients), trust_proxy)

    def client_of(self, req):
        if self.trust_proxy:
            first = req.headers.get("X-Forwarded-For", "").split(",")[0]
            address = _address(first)
            if address:
                return address
        return _address(req.remote_addr) or (req.remote_addr or "unknown")

    def check(self, req):
        """Raise 429 (with ``Retry-After``) when the client is over its limit."""
        wait = self.buckets.take(self.client_of(req))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))


def _address(text):
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def too_many_requests(retry_after):
    error = TooManyRequests(retry_after=retry_after)
    error.xj_headers = {"Retry-After": str(int(retry_after))}  # errors.py puts these on the API body
    return error


# --- wiring --------------------------------------------------------------------------------------

def init_app(app, environ=os.environ):
    """(Re)build the limiter from the app config / environment; a bad setting stops start-up."""
    limiter = PublicRateLimit.from_config(app, environ)
    app.extensions[EXTENSION] = limiter
    return limiter


def limiter_of(app):
    limiter = app.extensions.get(EXTENSION)
    if limiter is None:  # init_app was not called: build it once, on first use
        with _init_lock:
            limiter = app.extensions.get(EXTENSION) or init_app(app)
    return limiter


def limit_request():
    """Before-request hook of a limited blueprint."""
    limiter_of(current_app).check(request)


def ensure_retry_after(response):
    """Any 429 of a limited blueprint (also a service's) says when to come back."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = "1"
    return response


def init_blueprint(blp):
    blp.before_request(limit_request)
    blp.after_request(ensure_retry_after)
    return blp
