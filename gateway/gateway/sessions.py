"""Server-side sessions as the gateway sees them: every authenticated request's token names a
session (``sid``) that identity-svc keeps; the gateway asks whether it still runs.

The answer is cached in Redis, shared by every gateway worker and replica, for ``CACHE_SECONDS``
(10 s): a session that ends (logout on another worker, idle timeout, the certificate revoked)
stops working within that bound. A cache miss asks identity (``identity.check_session``), which
also restarts the session's idle timeout, so a busy session is checked — and kept alive — at most
once per bound. An ended session is cached as ended until its token would have expired anyway;
an "active" entry never overwrites an "ended" one (SET NX), so a logout cannot be undone by a
check that was in flight. Redis down means 503, never an unchecked request.
"""
import hashlib
import json
import logging
import time

import redis

from xjkit.errors import DomainError, Unauthorized

from gateway.clients import IdentityClient
from xjkit.errors import ServiceUnavailable

log = logging.getLogger(__name__)

CACHE_SECONDS = 10
ENDED_CACHE_MAX_SECONDS = 24 * 3600
LOGOUT_MESSAGE = "您已退出登录，请重新登录"


class SessionEnded(Unauthorized, code="SESSION_ENDED", message="登录已失效，请重新登录"): ...


class SessionMismatch(Unauthorized, code="TOKEN_INVALID", message="登录凭证无效或已过期，请重新登录"): ...


class SessionGuard:
    def __init__(self, client, key_prefix="xj:", cache_seconds=CACHE_SECONDS):
        self.client = client
        self.key_prefix = key_prefix
        self.cache_seconds = cache_seconds

    @classmethod
    def from_url(cls, url, key_prefix="xj:"):
        client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30)
        return cls(client, key_prefix)

    def check(self, claims, services):
        """Raise unless the token's session runs: SESSION_ENDED (401) with identity's reason, or
        503 when Redis or identity cannot answer."""
        key = self._key(claims["sid"])
        cached = self._redis(self.client.get, key)
        if cached is not None:
            entry = json.loads(cached)
            if entry["state"] == "ended":
                raise SessionEnded(message=entry["message"])
            self._same_holder(entry, claims)
            return
        try:
            session = IdentityClient(services).check_session(session_id=claims["sid"])
        except DomainError as error:
            if error.status == 401:
                self._remember_ended(key, claims, error.message)
                raise SessionEnded(message=error.message) from None
            raise
        entry = {"state": "active", "role": session["role"], "subject": session["subject"]}
        self._same_holder(entry, claims)
        self._redis(self.client.set, key, json.dumps(entry), ex=self.cache_seconds, nx=True)

    def end(self, claims, services):
        """Logout: identity ends the session, and every gateway sees it ended at once."""
        IdentityClient(services).end_session(session_id=claims["sid"])
        self._remember_ended(self._key(claims["sid"]), claims, LOGOUT_MESSAGE)

    def ping(self):
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False

    # --- internals -----------------------------------------------------------------------------

    def _key(self, session_id):
        # the session id itself never sits in the shared cache: a digest names its entry
        return f"{self.key_prefix}session:{hashlib.sha256(session_id.encode()).hexdigest()[:40]}"

    def _remember_ended(self, key, claims, message):
        remaining = int(claims.get("exp", 0) - time.time())
        ttl = min(max(remaining, self.cache_seconds), ENDED_CACHE_MAX_SECONDS)
        self._redis(self.client.set, key, json.dumps({"state": "ended", "message": message}, ensure_ascii=False),
                    ex=ttl)

    @staticmethod
    def _same_holder(entry, claims):
        if entry["role"] != claims.get("role") or entry["subject"] != claims.get("sub"):
            log.warning("a token names a session of another holder: refused")
            raise SessionMismatch()

    @staticmethod
    def _redis(operation, *args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except redis.RedisError as error:
            log.warning("session cache (Redis) unavailable: %s", type(error).__name__)
            raise ServiceUnavailable(errors={"service": ["redis"]}) from None
