"""Server-side login sessions: start (at login), check (every authenticated request, through the
gateway's short cache), end (logout), and end every session of a revoked certificate.

Only the wall clock (``wall``) is read here: sessions are housekeeping, never business time.
"""
import logging
import re
import secrets

from xjkit.retry import retry_on_conflict
from xjkit.unit_of_work import change_each

from identity.domain.errors import SessionEnded
from identity.domain.session import ACTIVE, ENDED_MESSAGES, LOGOUT, REVOKED, UNKNOWN, Session

log = logging.getLogger(__name__)

SESSION_ID_BYTES = 32  # 256 random bits
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")


def new_session_id():
    return secrets.token_urlsafe(SESSION_ID_BYTES)


def start_session(uow, wall, limits, role, subject, certificate=None, revocation_keys=()):
    """A new session for ``role`` (``limits``: {role: SessionLimits}); returns what the token carries."""
    session = Session.start(new_session_id(), role, subject, limits[role], wall.now(),
                            certificate=certificate, revocation_keys=revocation_keys)
    with uow:
        uow.sessions.add(session)
        uow.commit()
    return session_view(session)


def check_session(uow, verifier, wall, session_id):
    """The live session ``session_id`` (its idle timeout restarts now), or SessionEnded (401) saying
    why it is over: logout, idle, expired, or its certificate revoked (checked against the current
    CRLs on every call, so revocation needs no timer)."""
    def attempt():  # another request touched or ended it meanwhile: judge the stored one again
        with uow:
            session = uow.sessions.get(session_id) if _plausible(session_id) else None
            if session is None:
                raise SessionEnded(message=ENDED_MESSAGES[UNKNOWN])
            now = wall.now()
            was_active = session.status == ACTIVE
            reason = session.close_if_over(now)
            if reason is None and _revoked(session, verifier):
                session.end(now, REVOKED)
                reason = REVOKED
            if reason is None:
                session.touch(now)
            if reason is not None and not was_active:
                raise SessionEnded(message=ENDED_MESSAGES.get(reason, ENDED_MESSAGES[UNKNOWN]))
            uow.commit()
        if reason is not None:
            log.info("session of %s %s ended: %s", session.role, _short(session.session_id), reason)
            raise SessionEnded(message=ENDED_MESSAGES[reason])
        return session_view(session)
    return retry_on_conflict(attempt)


def end_session(uow, wall, session_id, reason=LOGOUT):
    """End a session (logout). Ending one that is over or unknown does nothing."""
    def attempt():
        with uow:
            session = uow.sessions.get(session_id) if _plausible(session_id) else None
            if session is None or session.status != ACTIVE:
                return
            session.end(wall.now(), reason)
            uow.commit()
    retry_on_conflict(attempt)


def end_revoked_sessions(uow, verifier, wall):
    """End every running enterprise session whose certificate (or an intermediate CA certificate
    above it) a current CRL lists. Returns how many ended. Idempotent; safe on several instances:
    each is read again and written under its version check, and the loser skips."""
    now = wall.now()
    with uow:
        due = [session.session_id for session in uow.sessions.active_with_certificates(now)
               if _revoked(session, verifier)]

    def end(session):
        if session.status != ACTIVE:
            return False  # ended meanwhile
        session.end(now, REVOKED)
        return True
    ended = change_each(uow, uow.sessions.get, due, end)
    for session in ended:
        log.info("session of %s %s ended: its certificate is revoked", session.subject, _short(session.session_id))
    return len(ended)


def session_view(session):
    return {"session_id": session.session_id, "role": session.role, "subject": session.subject,
            "expires_at": session.expires_at, "idle_seconds": session.idle_seconds}


def _revoked(session, verifier):
    return bool(session.revocation_keys) and verifier is not None and verifier.revoked(session.revocation_keys)


def _plausible(session_id):
    return isinstance(session_id, str) and _SESSION_ID.fullmatch(session_id) is not None


def _short(session_id):
    return session_id[:6] + "…"  # never log a whole session id
