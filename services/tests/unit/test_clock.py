import logging
from datetime import date, datetime, timedelta, timezone

import pytest

from xjkit.clock import (
    SHANGHAI, WALL_CLOCK, Clock, FixedClock, SystemClock, TravellingClock, business_clock_from_env, isoformat,
    parse_instant, shanghai_date,
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


class FakeWall:
    """Epoch seconds that move only when told to, standing in for time.time."""

    def __init__(self, epoch):
        self.epoch = epoch

    def __call__(self):
        return self.epoch


def test_fake_now_starts_the_business_clock_there_in_dev_and_test():
    for env in ("dev", "test"):
        clock = business_clock_from_env({"XJ_ENV": env, "XJ_FAKE_NOW": "2026-12-19T16:30:00Z"})
        assert isinstance(clock, TravellingClock)
        assert clock.today() == date(2026, 12, 20)
        assert abs(clock.now() - datetime(2026, 12, 19, 16, 30, tzinfo=timezone.utc)) < timedelta(seconds=5)


def test_the_business_clock_travels_on_with_real_time_from_fake_now():
    wall = FakeWall(1_000_000.0)
    clock = TravellingClock(datetime(2026, 12, 19, 23, 59, 30, tzinfo=SHANGHAI), wall=wall)
    assert clock.today() == date(2026, 12, 19)
    wall.epoch += 45  # three quarters of a minute of real time later it is 20 December
    assert clock.now() == datetime(2026, 12, 20, 0, 0, 15, tzinfo=SHANGHAI)
    assert clock.today() == date(2026, 12, 20)


def test_processes_given_the_same_anchor_agree_on_the_business_time():
    since = parse_instant("2030-01-01T08:00:00+08:00").timestamp()
    environ = {"XJ_ENV": "test", "XJ_FAKE_NOW": "2026-11-25T12:00:00",
               "XJ_FAKE_NOW_SINCE": "2030-01-01T08:00:00+08:00"}
    first = business_clock_from_env(environ)
    second = business_clock_from_env(environ)
    assert first.offset == second.offset == datetime(2026, 11, 25, 12, tzinfo=SHANGHAI) - datetime(
        2030, 1, 1, 8, tzinfo=SHANGHAI)
    wall = FakeWall(since + 3600)
    assert TravellingClock(parse_instant("2026-11-25T12:00:00"), since=since, wall=wall).now() == datetime(
        2026, 11, 25, 13, 0, tzinfo=SHANGHAI)


def test_a_business_clock_years_away_from_the_wall_clock_leaves_the_wall_clock_alone():
    clock = business_clock_from_env({"XJ_ENV": "test", "XJ_FAKE_NOW": "2001-02-03T04:05:06+08:00"})
    assert clock.today() == date(2001, 2, 3)
    assert abs(WALL_CLOCK.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_fake_now_without_offset_is_shanghai_local_time():
    clock = business_clock_from_env({"XJ_ENV": "test", "XJ_FAKE_NOW": "2026-12-20T00:30:00"})
    assert abs(clock.now() - datetime(2026, 12, 19, 16, 30, tzinfo=timezone.utc)) < timedelta(seconds=5)


def test_fake_now_is_ignored_in_prod_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="xjkit.clock"):
        clock = business_clock_from_env({"XJ_ENV": "prod", "XJ_FAKE_NOW": "2000-01-01T00:00:00+08:00"})
    assert isinstance(clock, SystemClock)
    assert clock.today() != date(2000, 1, 1)
    assert "XJ_FAKE_NOW" in caplog.text


def test_no_fake_now_gives_the_system_clock():
    assert isinstance(business_clock_from_env({"XJ_ENV": "dev"}), SystemClock)


def test_unparsable_fake_now_names_the_variable():
    with pytest.raises(ValueError, match="XJ_FAKE_NOW"):
        business_clock_from_env({"XJ_ENV": "dev", "XJ_FAKE_NOW": "next tuesday"})


def test_unparsable_anchor_names_the_variable():
    with pytest.raises(ValueError, match="XJ_FAKE_NOW_SINCE"):
        business_clock_from_env({"XJ_ENV": "dev", "XJ_FAKE_NOW": "2026-11-25T12:00:00", "XJ_FAKE_NOW_SINCE": "soon"})


def test_a_person_sees_the_shanghai_date_of_an_instant():
    # 07:18 on 30 November in Shanghai is still 29 November in UTC
    assert shanghai_date("2026-11-29T23:18:38+00:00") == date(2026, 11, 30)
    assert shanghai_date(datetime(2026, 11, 29, 23, 18, 38, tzinfo=timezone.utc)) == date(2026, 11, 30)
    assert shanghai_date(datetime(2026, 11, 29, 23, 18, 38)) == date(2026, 11, 30)  # naive from pymongo: UTC
    assert shanghai_date("2026-11-30T07:18:38") == date(2026, 11, 30)  # text without offset: Shanghai
    assert shanghai_date("2026-11-29") == date(2026, 11, 29)
    assert shanghai_date(date(2026, 11, 29)) == date(2026, 11, 29)
    assert shanghai_date("") is None and shanghai_date(None) is None and shanghai_date("not a date") is None


def test_parse_instant_converts_offsets_to_shanghai():
    assert parse_instant("2026-12-19T16:30:00+00:00") == datetime(2026, 12, 20, 0, 30, tzinfo=SHANGHAI)
    assert parse_instant("2026-12-19T16:30:00+00:00").utcoffset() == timedelta(hours=8)


def test_isoformat_gives_shanghai_offset_and_whole_seconds():
    instant = datetime(2026, 12, 19, 16, 30, 5, 123456, tzinfo=timezone.utc)
    assert isoformat(instant) == "2026-12-20T00:30:05+08:00"


def test_isoformat_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        isoformat(datetime(2026, 12, 20, 0, 30))
