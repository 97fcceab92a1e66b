"""The clocks as nameko dependencies: the business clock from the service's config, the wall clock as is."""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from xjkit.clock import WALL_CLOCK, SystemClock, TravellingClock
from xjkit.nameko.clocks import BusinessClock, WallClock


def business_clock(config, monkeypatch, env="test"):
    monkeypatch.setenv("XJ_ENV", env)
    monkeypatch.delenv("XJ_FAKE_NOW", raising=False)
    provider = BusinessClock()
    provider.container = SimpleNamespace(config=config)
    provider.setup()
    return provider.get_dependency(worker_ctx=None)


def test_the_business_clock_starts_at_the_configured_fake_now_even_when_yaml_made_it_a_datetime(monkeypatch):
    clock = business_clock({"XJ_FAKE_NOW": datetime(2026, 12, 20, 9, 0),
                            "XJ_FAKE_NOW_SINCE": datetime.now(timezone.utc)}, monkeypatch)
    assert isinstance(clock, TravellingClock)
    assert clock.today() == date(2026, 12, 20)
    assert abs(clock.now() - datetime(2026, 12, 20, 1, 0, tzinfo=timezone.utc)) < timedelta(seconds=5)


def test_the_configured_fake_now_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("XJ_ENV", "test")
    provider = BusinessClock()
    provider.container = SimpleNamespace(config={"XJ_FAKE_NOW": "2030-01-02T10:00:00"})
    monkeypatch.setenv("XJ_FAKE_NOW", "2001-01-01T10:00:00")
    provider.setup()
    assert provider.get_dependency(None).today() == date(2030, 1, 2)


def test_without_fake_now_or_in_prod_the_business_clock_is_the_system_clock(monkeypatch):
    assert isinstance(business_clock({"XJ_FAKE_NOW": None}, monkeypatch), SystemClock)
    assert isinstance(business_clock({"XJ_FAKE_NOW": "2030-01-02T10:00:00"}, monkeypatch, env="prod"), SystemClock)


def test_a_malformed_fake_now_stops_the_service_at_setup(monkeypatch):
    with pytest.raises(ValueError, match="XJ_FAKE_NOW"):
        business_clock({"XJ_FAKE_NOW": "tomorrow-ish"}, monkeypatch)


def test_the_wall_clock_dependency_is_the_real_clock():
    assert WallClock().get_dependency(None) is WALL_CLOCK
