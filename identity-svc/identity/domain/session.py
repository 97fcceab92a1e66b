"""Login sessions, kept server-side so that they can end before their token expires.

A session belongs to an enterprise (its USCC, and the certificate it logged in with) or to a
person (their person id). It ends on logout, after an idle timeout (no use for ``idle_seconds``),
at its absolute end (``expires_at``: ``max_seconds`` after login, however busy), and — for an
enterprise — as soon as a CRL lists its certificate or an intermediate CA certificate above it.
Every instant here is wall-clock time (housekeeping), never the business clock.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from xjkit.aggregate import StoredAggregate

ENTERPRISE = "enterprise"
PERSON = "person"
ROLES = (ENTERPRISE, PERSON)

ACTIVE = "active"
ENDED = "ended"

LOGOUT = "logout"
IDLE = "idle"
EXPIRED = "expired"
REVOKED = "revoked"
UNKNOWN = "unknown"

ENDED_MESSAGES = {
    LOGOUT: "您已退出登录，请重新登录",
    IDLE: "长时间未操作，登录已失效，请重新登录",
    EXPIRED: "登录时间已达上限，请重新登录",
    REVOKED: "登录所用的CA证书已被CA机构吊销，登录已失效；请联系CA机构办理新证书后重新登录",
    UNKNOWN: "登录已失效，请重新登录",
}


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int  # ends after this long without use
    max_seconds: int  # ends this long after login, however busy


# defaults and hard upper bounds per role: an enterprise session acts for a company (filings,
# hiring); a person's mini-program logs in again silently with wx.login
DEFAULT_LIMITS = {
    ENTERPRISE: SessionLimits(idle_seconds=30 * 60, max_seconds=8 * 3600),
    PERSON: SessionLimits(idle_seconds=2 * 3600, max_seconds=24 * 3600),
}
UPPER_BOUNDS = {
    ENTERPRISE: SessionLimits(idle_seconds=2 * 3600, max_seconds=12 * 3600),
    PERSON: SessionLimits(idle_seconds=24 * 3600, max_seconds=7 * 24 * 3600),
}


@dataclass
class Session(StoredAggregate):
    session_id: str
    role: str
    subject: str  # USCC or person id
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # absolute end; the store's TTL index forgets the record a week later
    idle_seconds: int
    certificate: dict = None  # enterprise: {"issuer", "serial_hex"} of the login certificate
    revocation_keys: list = field(default_factory=list)  # leaf and intermediates, as CRLs name them
    status: str = ACTIVE
    ended_at: datetime = None
    end_reason: str = None

    @classmethod
    def start(cls, session_id, role, subject, limits: SessionLimits, now, certificate=None, revocation_keys=()):
        if role not in ROLES:
            raise ValueError(f"unknown session role {role!r}")
        return cls(session_id=session_id, role=role, subject=subject, created_at=now, last_seen_at=now,
                   expires_at=now + timedelta(seconds=limits.max_seconds), idle_seconds=limits.idle_seconds,
                   certificate=certificate, revocation_keys=list(revocation_keys))

    @property
    def idle_until(self) -> datetime:
        return self.last_seen_at + timedelta(seconds=self.idle_seconds)

    def end_reason_at(self, now) -> str | None:
        """Why the session is over at ``now`` (its recorded reason, or a timeout), else None."""
        if self.status == ENDED:
            return self.end_reason or UNKNOWN
        if now >= self.expires_at:
            return EXPIRED
        if now >= self.idle_until:
            return IDLE
        return None

    def end(self, now, reason):
        if self.status == ENDED:
            return
        self.status, self.ended_at, self.end_reason = ENDED, now, reason

    def close_if_over(self, now) -> str | None:
        """End the session when a timeout has passed (recording when it passed); the reason it is
        over, or None while it runs."""
        reason = self.end_reason_at(now)
        if reason is not None and self.status == ACTIVE:
            self.end({EXPIRED: self.expires_at, IDLE: self.idle_until}.get(reason, now), reason)
        return reason

    def touch(self, now):
        """Used now: the idle timeout counts from here."""
        self.last_seen_at = max(self.last_seen_at, now)
