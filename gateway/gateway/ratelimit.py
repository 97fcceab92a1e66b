"""Rate limits (API.md: 429 with ``Retry-After``), global across every gateway worker and replica.

The counting is the ``limits`` library's (the engine of Flask-Limiter): a sliding-window counter
kept in Redis (``XJ_REDIS_URL``), so two gunicorn workers, or two gateway pods, share one count
per client. If Redis cannot be reached, each worker counts in its own memory until it can again:
still limited, never unlimited, never down. Keys carry ``XJ_REDIS_KEY_PREFIX``, so platforms
sharing a Redis never share counts.

What is limited, and by what (each a rate string such as ``20/second;600/minute``, from the app
config, else the environment, else the default below; one setting is one budget, shared by every
route it decorates):

| setting | applies to | keyed by |
|---|---|---|
| ``XJ_LIMIT_PUBLIC`` | the public API and the ``/public/`` pages together | client address |
| ``XJ_LIMIT_CA_CHALLENGE`` | ``POST /ent/auth/challenge`` (each stores a document) | client address |
| ``XJ_LIMIT_CA_LOGIN`` | ``POST /ent/auth/login`` | client address |
| ``XJ_LIMIT_CA_LOGIN_ALL`` | the same, every client together (an SM2 check costs identity ~24 ms of CPU) | — |
| ``XJ_LIMIT_MP_LOGIN`` | ``POST /mp/auth/login`` (code2session spends WeChat quota) | client address |
| ``XJ_LIMIT_FACE_PERSON`` | ``POST /mp/realname`` and ``/mp/face`` (each starts a paid face check) | person |
| ``XJ_LIMIT_FACE_ADDRESS`` | those and ``/mp/realname/complete`` | client address |
| ``XJ_LIMIT_LOOKUP_ACCOUNT`` | ``GET /ent/persons/lookup`` (an ID number gives a name) | enterprise |
| ``XJ_LIMIT_LOOKUP_ADDRESS`` | the same | client address |

The client is ``request.remote_addr``; the first address of ``X-Forwarded-For`` only when
``XJ_TRUST_PROXY`` is true (the gateway sits behind a proxy that sets it), or anybody could pick
a new "address" for every request and never be limited. The person or enterprise is the subject
of a valid bearer token; without one the client address stands in.
"""
import functools
import ipaddress
import logging
import math
import os
import time

from flask import current_app, request
from limits import parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from werkzeug.exceptions import TooManyRequests

from gateway.auth import claims_or_none

log = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    "XJ_LIMIT_PUBLIC": "20/second;600/minute",
    "XJ_LIMIT_CA_CHALLENGE": "30/minute",
    "XJ_LIMIT_CA_LOGIN": "10/minute",
    "XJ_LIMIT_CA_LOGIN_ALL": "20/second",
    "XJ_LIMIT_MP_LOGIN": "20/minute",
    "XJ_LIMIT_FACE_PERSON": "5/minute;20/day",
    "XJ_LIMIT_FACE_ADDRESS": "30/minute",
    "XJ_LIMIT_LOOKUP_ACCOUNT": "100/hour;500/day",
    "XJ_LIMIT_LOOKUP_ADDRESS": "300/hour",
}
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
EXTENSION = "xj_rate_limits"
REDIS_RETRY_SECONDS = 5  # after a Redis failure, count in memory this long before trying again
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")

RATE_LIMITED_DOC = {429: {"description": "请求过于频繁（RATE_LIMITED），响应头 Retry-After 给出等待秒数",
                          "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}}}


class RateLimits:
    """The app's budgets: ``hit(setting, key)`` counts one request and refuses it past the limit."""

    def __init__(self, limits, redis_url, prefix):
        self.limits = {name: parse_many(value) for name, value in limits.items()}
        self.prefix = prefix
        self.shared = SlidingWindowCounterRateLimiter(
            RedisStorage(redis_url, wrap_exceptions=True, socket_timeout=0.5, socket_connect_timeout=0.5))
        self.local = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.redis_down_until = 0.0

    def hit(self, setting, key):
        """Raise 429 with ``Retry-After`` when ``key`` is over the budget ``setting``."""
        for item in self.limits[setting]:
            counter = self._counter()
            try:
                allowed = counter.hit(item, self.prefix, setting, key)
            except StorageError as error:
                log.warning("rate limits: Redis unreachable (%s); counting in this worker for %s s",
                            error, REDIS_RETRY_SECONDS)
                self.redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
                counter = self.local
                allowed = counter.hit(item, self.prefix, setting, key)
            if not allowed:
                reset = counter.get_window_stats(item, self.prefix, setting, key).reset_time
                raise too_many_requests(max(1, math.ceil(reset - time.time())))

    def _counter(self):
        return self.local if time.monotonic() < self.redis_down_until else self.shared


def too_many_requests(retry_after):
    error = TooManyRequests(retry_after=retry_after)
    error.xj_headers = {"Retry-After": str(int(retry_after))}  # errors.py puts these on the API body
    return error


# --- keys ----------------------------------------------------------------------------------------

def client_address():
    if current_app.config["XJ_TRUST_PROXY"]:
        forwarded = _address(request.headers.get("X-Forwarded-For", "").split(",")[0])
        if forwarded:
            return forwarded
    return _address(request.remote_addr) or (request.remote_addr or "unknown")


def account_or_address():
    """``person:<id>`` / ``enterprise:<uscc>`` of a valid bearer token, else the client address."""
    claims = claims_or_none()
    return f"{claims['role']}:{claims['sub']}" if claims else client_address()


def everyone():
    return "all"


def _address(text):
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


# --- where limits apply --------------------------------------------------------------------------

def check(setting, key_func=client_address):
    current_app.extensions[EXTENSION].hit(setting, key_func())


def limit(setting, key_func=client_address):
    """Decorate a view (or a MethodView's method) with the budget ``setting``."""
    def decorator(view):
        @functools.wraps(view)
        def limited(*args, **kwargs):
            check(setting, key_func)
            return view(*args, **kwargs)
        return limited
    return decorator


def limit_blueprint(blueprint, setting, key_func=client_address):
    """Every request of ``blueprint`` counts against ``setting``."""
    blueprint.before_request(lambda: check(setting, key_func))
    blueprint.after_request(ensure_retry_after)
    return blueprint


def ensure_retry_after(response):
    """Any 429 of a limited blueprint (also a service's) says when to come back."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = "1"
    return response


# --- settings -------------------------------------------------------------------------------------

def init_app(app, environ=os.environ):
    """Read and check every setting (a bad one stops start-up, naming the variable)."""
    limits = {}
    for name, default in DEFAULT_LIMITS.items():
        value = str(app.config.get(name) or environ.get(name) or default)
        try:
            parse_many(value)
        except ValueError:
            raise ValueError(f"{name} must be a rate such as '20/second;600/minute', got {value!r}") from None
        limits[name] = app.config[name] = value
    app.config["XJ_TRUST_PROXY"] = _flag("XJ_TRUST_PROXY", app.config.get("XJ_TRUST_PROXY",
                                                                          environ.get("XJ_TRUST_PROXY", "")))
    # the Redis of the sessions, under the same prefix (gateway.app reads both from the environment)
    redis_url = app.config.get("XJ_REDIS_URL") or DEFAULT_REDIS_URL
    prefix = f"{app.config.get('XJ_REDIS_KEY_PREFIX') or 'xj:'}limits"
    app.extensions[EXTENSION] = RateLimits(limits, redis_url, prefix)
    app.after_request(ensure_retry_after)
    return app.extensions[EXTENSION]


def _flag(name, value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be true or false, got {value!r}")
