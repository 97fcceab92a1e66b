"""The platform's two clocks, each with one job.

- The **business clock** decides business dates: registration validity, the 20 December window,
  contract and certificate validity, the date a record shows. In dev and test ``XJ_FAKE_NOW`` moves
  it: it starts at that instant and travels on with real time (as libfaketime's start-at mode
  does), so a platform started "on 20 December" still sees minutes pass.
- The **wall clock** (``WALL_CLOCK``) decides everything housekeeping enforces: TTL-indexed fields,
  retention, token, session and challenge expiry, face-check lifetime, settle and rate-limit
  windows. It is never moved by ``XJ_FAKE_NOW``, so those behave the same on any business date.

Every rule reads a ``Clock`` passed in, never ``datetime.now()``. All instants are timezone-aware
and expressed in Asia/Shanghai: the platform's dates are Chinese calendar dates, and 16:30 UTC on
19 December is already 20 December for the user.
"""
import logging
import os
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from xjkit.config import is_dev_or_test

SHANGHAI = ZoneInfo("Asia/Shanghai")

log = logging.getLogger(__name__)


class Clock:
    """Base class: subclasses provide ``now()``; ``today()`` is always the Shanghai date."""

    def now(self) -> datetime:
        raise NotImplementedError

    def today(self) -> date:
        return self.now().astimezone(SHANGHAI).date()


class SystemClock(Clock):
    """Real time. As the wall clock it is what every housekeeping expiry reads."""

    def now(self) -> datetime:
        return datetime.now(SHANGHAI)

    def __repr__(self):
        return "SystemClock()"


WALL_CLOCK = SystemClock()


class FixedClock(Clock):
    """A frozen clock for unit tests; moves only when told to."""

    def __init__(self, instant: datetime):
        self._instant = _aware_in_shanghai(instant)

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> datetime:
        self._instant = _aware_in_shanghai(instant)
        return self._instant

    def advance(self, **timedelta_kwargs) -> datetime:
        """Move on by ``timedelta(**timedelta_kwargs)``; returns the new now."""
        # Add in UTC so the step is exact elapsed time whatever the zone's rules.
        moved = self._instant.astimezone(timezone.utc) + timedelta(**timedelta_kwargs)
        self._instant = moved.astimezone(SHANGHAI)
        return self._instant

    def __repr__(self):
        return f"FixedClock({isoformat(self._instant)!r})"


class TravellingClock(Clock):
    """Reads ``start`` when the wall clock reads ``since`` (epoch seconds), and advances with real
    time from there. Processes given the same ``start`` and ``since`` agree on the business time."""

    def __init__(self, start: datetime, since: float | None = None, wall=time.time):
        self._start = _aware_in_shanghai(start)
        self._wall = wall
        self._since = wall() if since is None else float(since)

    @property
    def offset(self) -> timedelta:
        """Business time minus wall time."""
        return self._start - datetime.fromtimestamp(self._since, timezone.utc)

    def now(self) -> datetime:
        elapsed = timedelta(seconds=self._wall() - self._since)
        return (self._start.astimezone(timezone.utc) + elapsed).astimezone(SHANGHAI)

    def __repr__(self):
        return f"TravellingClock(start={isoformat(self._start)!r}, since={self._since!r})"


def _aware_in_shanghai(instant):
    if not isinstance(instant, datetime):
        raise TypeError(f"expected a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        # A naive datetime is ambiguous (pymongo hands back naive UTC): refuse to guess.
        raise ValueError("a clock needs a timezone-aware datetime")
    return instant.astimezone(SHANGHAI)


def parse_instant(text: str) -> datetime:
    """ISO 8601 text to an aware Shanghai datetime; without an offset it is Shanghai local time."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def business_clock_from_env(environ=os.environ) -> Clock:
    """The business clock: in dev/test with ``XJ_FAKE_NOW`` a ``TravellingClock`` that read that
    instant at ``XJ_FAKE_NOW_SINCE`` (an ISO 8601 wall-clock instant; default: now, when the
    process builds its clock); the system clock otherwise, and always in prod."""
    raw = environ.get("XJ_FAKE_NOW", "").strip()
    if not raw:
        return WALL_CLOCK
    if not is_dev_or_test(environ):
        # A leftover fake time in production must never move real deadlines.
        log.warning("XJ_FAKE_NOW=%s is ignored because XJ_ENV=prod; using the system clock", raw)
        return WALL_CLOCK
    try:
        start = parse_instant(raw)
    except ValueError:
        raise ValueError(f"XJ_FAKE_NOW must be an ISO 8601 date-time, got {raw!r}") from None
    since_raw = environ.get("XJ_FAKE_NOW_SINCE", "").strip()
    if not since_raw:
        return TravellingClock(start)
    try:
        since = parse_instant(since_raw).timestamp()
    except ValueError:
        raise ValueError(f"XJ_FAKE_NOW_SINCE must be an ISO 8601 date-time, got {since_raw!r}") from None
    return TravellingClock(start, since=since)


def isoformat(dt: datetime) -> str:
    """ISO 8601 in Shanghai time with seconds precision, e.g. ``2026-12-20T00:30:00+08:00``."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("isoformat needs a timezone-aware datetime")
    return dt.astimezone(SHANGHAI).isoformat(timespec="seconds")


def shanghai_date(value) -> date | None:
    """The Shanghai calendar date a person should see for ``value``: a ``date`` as it is, an instant
    (aware datetime or ISO 8601 text with an offset) converted to Asia/Shanghai first. A naive
    datetime is UTC (what pymongo hands back); ISO text without an offset is Shanghai local time.
    ``None`` for empty or unreadable values."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        instant = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return instant.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return parse_instant(text).date()
    except ValueError:
        return None
