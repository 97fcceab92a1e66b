"""The one injectable clock. Every date rule (validity, the 20 December extension window, contract
expiry) reads a ``Clock`` passed in, never ``datetime.now()``, so tests and demos can freeze time.

All instants are timezone-aware and expressed in Asia/Shanghai: the platform's dates are Chinese
calendar dates, and 16:30 UTC on 19 December is already 20 December for the user.
"""
import logging
import os
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
    def now(self) -> datetime:
        return datetime.now(SHANGHAI)

    def __repr__(self):
        return "SystemClock()"


class FixedClock(Clock):
    """A frozen clock for tests and demos; moves only when told to."""

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


def _aware_in_shanghai(instant):
    if not isinstance(instant, datetime):
        raise TypeError(f"expected a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        # A naive datetime is ambiguous (pymongo hands back naive UTC): refuse to guess.
        raise ValueError("FixedClock needs a timezone-aware datetime")
    return instant.astimezone(SHANGHAI)


def parse_instant(text: str) -> datetime:
    """ISO 8601 text to an aware Shanghai datetime; without an offset it is Shanghai local time."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def clock_from_env(environ=os.environ) -> Clock:
    """``FixedClock`` at ``XJ_FAKE_NOW`` in dev/test; the system clock otherwise (always in prod)."""
    raw = environ.get("XJ_FAKE_NOW", "").strip()
    if not raw:
        return SystemClock()
    if not is_dev_or_test(environ):
        # A leftover fake time in production must never move real deadlines.
        log.warning("XJ_FAKE_NOW=%s is ignored because XJ_ENV=prod; using the system clock", raw)
        return SystemClock()
    try:
        instant = parse_instant(raw)
    except ValueError:
        raise ValueError(f"XJ_FAKE_NOW must be an ISO 8601 date-time, got {raw!r}") from None
    return FixedClock(instant)


def isoformat(dt: datetime) -> str:
    """ISO 8601 in Shanghai time with seconds precision, e.g. ``2026-12-20T00:30:00+08:00``."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("isoformat needs a timezone-aware datetime")
    return dt.astimezone(SHANGHAI).isoformat(timespec="seconds")
