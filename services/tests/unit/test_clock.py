import logging
from datetime import date, datetime, timedelta, timezone

import pytest

from xjkit.clock import (
    SHANGHAI, Clock, FixedClock, SystemClock, clock_from_env, isoformat, parse_instant,
)


def test_shanghai_is_utc_plus_eight():
    assert datetime(2026, 6, 1, tzinfo=SHANGHAI).utcoffset() == timedelta(hours=8)


def test_system_clock_is_aware_and_in_shanghai():
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(hours=8)
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_base_clock_has_no_time_of_its_own():
    with pytest.raises(NotImplementedError):
        Clock().now()


def test_today_is_the_shanghai_date_not_the_utc_date():
    clock = FixedClock(datetime(2026, 12, 19, 16, 30, tzinfo=timezone.utc))
    assert clock.today() == date(2026, 12, 20)
    assert clock.now().hour == 0 and clock.now().minute == 30


def test_just_before_shanghai_midnight_is_still_the_earlier_date():
    clock = FixedClock(datetime(2026, 12, 19, 15, 59, 59, tzinfo=timezone.utc))
    assert clock.today() == date(2026, 12, 19)


def test_fixed_clock_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 12, 20, 9, 0))


def test_fixed_clock_stays_frozen_until_advanced():
    clock = FixedClock(datetime(2026, 12, 31, 23, 0, tzinfo=SHANGHAI))
    assert clock.now() == clock.now()
    moved = clock.advance(hours=2)
    assert moved == clock.now() == datetime(2027, 1, 1, 1, 0, tzinfo=SHANGHAI)
    assert clock.today() == date(2027, 1, 1)


def test_fake_now_freezes_the_clock_in_dev_and_test():
    for env in ("dev", "test"):
        clock = clock_from_env({"XJ_ENV": env, "XJ_FAKE_NOW": "2026-12-19T16:30:00Z"})
        assert isinstance(clock, FixedClock)
        assert clock.today() == date(2026, 12, 20)


def test_fake_now_without_offset_is_shanghai_local_time():
    clock = clock_from_env({"XJ_ENV": "test", "XJ_FAKE_NOW": "2026-12-20T00:30:00"})
    assert clock.now() == datetime(2026, 12, 19, 16, 30, tzinfo=timezone.utc)


def test_fake_now_is_ignored_in_prod_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="xjkit.clock"):
        clock = clock_from_env({"XJ_ENV": "prod", "XJ_FAKE_NOW": "2000-01-01T00:00:00+08:00"})
    assert isinstance(clock, SystemClock)
    assert clock.today() != date(2000, 1, 1)
    assert "XJ_FAKE_NOW" in caplog.text


def test_no_fake_now_gives_the_system_clock():
    assert isinstance(clock_from_env({"XJ_ENV": "dev"}), SystemClock)


def test_unparsable_fake_now_names_the_variable():
    with pytest.raises(ValueError, match="XJ_FAKE_NOW"):
        clock_from_env({"XJ_ENV": "dev", "XJ_FAKE_NOW": "next tuesday"})


def test_parse_instant_converts_offsets_to_shanghai():
    assert parse_instant("2026-12-19T16:30:00+00:00") == datetime(2026, 12, 20, 0, 30, tzinfo=SHANGHAI)
    assert parse_instant("2026-12-19T16:30:00+00:00").utcoffset() == timedelta(hours=8)


def test_isoformat_gives_shanghai_offset_and_whole_seconds():
    instant = datetime(2026, 12, 19, 16, 30, 5, 123456, tzinfo=timezone.utc)
    assert isoformat(instant) == "2026-12-20T00:30:05+08:00"


def test_isoformat_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        isoformat(datetime(2026, 12, 20, 0, 30))
