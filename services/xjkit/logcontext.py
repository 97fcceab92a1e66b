"""What a log line knows about the request it belongs to: the request id and the ids of the case,
enterprise and person it concerns.

The gateway takes the id from ``X-Request-ID`` (or makes one), nameko carries it in its context
data (the ``nameko.request_id`` message header) into every RPC and, through the outbox
(``trace`` of each outbox entry, see ``outbox_entry``), into every event. Each worker — a
gateway request thread, a nameko worker greenthread — binds what it knows here, and
``xjkit.jsonlog.JsonFormatter`` writes it on every line.

Framework-free: a ``contextvars.ContextVar``, which is per thread and per greenlet (eventlet
gives every worker greenthread a context of its own).
"""
import contextvars
import datetime
import re
import uuid

from xjkit.masking import redact_text

REQUEST_ID = "request_id"
# the id fields a line may carry, in the order they are written
ID_FIELDS = ("request_id", "case", "enterprise", "person", "employment", "certificate")

# an incoming X-Request-ID is kept only when it is a harmless token (no spaces, quotes or
# newlines that could forge log lines), and never longer than this
MAX_REQUEST_ID_LENGTH = 128
_REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:\-]{1,%d}" % MAX_REQUEST_ID_LENGTH)

_context = contextvars.ContextVar("xj_log_context", default=None)


# generated ids hold no digits, so the log redaction (which masks digit runs that look like ID
# or mobile numbers) can never alter them: the id in the logs is the id the client was given
_NO_DIGITS = str.maketrans("0123456789", "ghijklmnop")


def new_request_id():
    return uuid.uuid4().hex.translate(_NO_DIGITS)


def accept_request_id(value):
    """The caller's request id when it is acceptable, else None (the caller makes a new one).

    Refused: anything but a short token of letters, digits and ``._:-``, and any value the log
    redaction would change (a client must not smuggle an ID or phone number into every line)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _REQUEST_ID_PATTERN.fullmatch(value) or redact_text(value) != value:
        return None
    return value


def current():
    """The fields bound in this thread / greenthread (a copy)."""
    return dict(_context.get() or {})


def request_id():
    return (_context.get() or {}).get(REQUEST_ID)


def bind(**fields):
    """Add fields (None values are skipped) to this context; returns a token for ``reset``."""
    merged = dict(_context.get() or {})
    merged.update({key: value for key, value in fields.items() if value is not None})
    return _context.set(merged)


def replace(fields):
    """Start this context afresh with ``fields``; returns a token for ``reset``."""
    return _context.set({key: value for key, value in fields.items() if value is not None})


def reset(token):
    try:
        _context.reset(token)
    except ValueError:  # a token of another context (a worker torn down elsewhere): just clear
        _context.set(None)


def clear():
    _context.set(None)


def wall_now():
    return datetime.datetime.now(datetime.timezone.utc)


def trace_stamp():
    """What an outbox entry keeps about its origin: the request id, and when (wall clock) it was
    written — the relay's lag is measured from here, never from the business clock."""
    return {"request_id": request_id(), "written_at": wall_now().isoformat()}


def outbox_entry(event):
    """An event as stored in an outbox: its envelope plus ``trace`` (see ``trace_stamp``)."""
    return {**event.to_dict(), "trace": trace_stamp()}


def parse_instant(text):
    """An ISO 8601 instant as an aware datetime, or None."""
    if not isinstance(text, str):
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
