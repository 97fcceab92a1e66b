"""Session timeouts from the configuration: bounded, and prod refuses to start beyond the bounds."""
import logging

import pytest

from identity.adapters.session_settings import session_limits_from_config
from identity.domain.session import DEFAULT_LIMITS, ENTERPRISE, PERSON, UPPER_BOUNDS, SessionLimits

VARIABLES = {
    "SESSION_IDLE_SECONDS": "XJ_SESSION_IDLE_SECONDS",
    "SESSION_MAX_SECONDS": "XJ_SESSION_MAX_SECONDS",
    "PERSON_SESSION_IDLE_SECONDS": "XJ_PERSON_SESSION_IDLE_SECONDS",
    "PERSON_SESSION_MAX_SECONDS": "XJ_PERSON_SESSION_MAX_SECONDS",
}


def test_unset_values_take_the_defaults():
    assert session_limits_from_config({}, "prod") == DEFAULT_LIMITS
    assert DEFAULT_LIMITS[ENTERPRISE] == SessionLimits(idle_seconds=1800, max_seconds=8 * 3600)


def test_every_default_is_within_its_bound():
    for role in (ENTERPRISE, PERSON):
        assert DEFAULT_LIMITS[role].idle_seconds <= UPPER_BOUNDS[role].idle_seconds
        assert DEFAULT_LIMITS[role].max_seconds <= UPPER_BOUNDS[role].max_seconds


def test_values_within_the_bounds_are_used():
    limits = session_limits_from_config({"SESSION_IDLE_SECONDS": 600, "SESSION_MAX_SECONDS": "7200",
                                         "PERSON_SESSION_IDLE_SECONDS": 60, "PERSON_SESSION_MAX_SECONDS": 3600}, "prod")
    assert limits == {ENTERPRISE: SessionLimits(600, 7200), PERSON: SessionLimits(60, 3600)}


@pytest.mark.parametrize("key", sorted(VARIABLES))
def test_prod_refuses_to_start_with_a_value_over_its_bound_naming_the_variable(key):
    role = PERSON if key.startswith("PERSON") else ENTERPRISE
    bound = UPPER_BOUNDS[role]
    too_long = (bound.idle_seconds if "IDLE" in key else bound.max_seconds) + 1
    config = {key: too_long}
    if "IDLE" in key:  # keep idle ≤ lifetime so that the bound is what is refused
        config[key.replace("IDLE", "MAX")] = bound.max_seconds
    with pytest.raises(RuntimeError) as refused:
        session_limits_from_config(config, "prod")
    assert VARIABLES[key] in str(refused.value) and "upper bound" in str(refused.value)


def test_dev_and_test_allow_a_value_over_its_bound_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        limits = session_limits_from_config({"SESSION_MAX_SECONDS": 86400}, "test")
    assert limits[ENTERPRISE].max_seconds == 86400
    assert "XJ_SESSION_MAX_SECONDS" in caplog.text


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
@pytest.mark.parametrize("env", ["dev", "prod"])
def test_a_value_that_is_no_positive_whole_number_is_refused_everywhere(value, env):
    with pytest.raises(RuntimeError) as refused:
        session_limits_from_config({"SESSION_IDLE_SECONDS": value}, env)
    assert "XJ_SESSION_IDLE_SECONDS" in str(refused.value)


def test_an_idle_timeout_longer_than_the_lifetime_is_refused():
    with pytest.raises(RuntimeError) as refused:
        session_limits_from_config({"SESSION_IDLE_SECONDS": 3600, "SESSION_MAX_SECONDS": 1800}, "dev")
    assert "XJ_SESSION_IDLE_SECONDS" in str(refused.value) and "XJ_SESSION_MAX_SECONDS" in str(refused.value)
