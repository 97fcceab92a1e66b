import pytest

from xjkit.config import env_int, env_str, is_dev_or_test, xj_env


def test_an_unset_or_empty_xj_env_means_prod():
    assert xj_env({}) == "prod"
    assert xj_env({"XJ_ENV": ""}) == "prod"


def test_xj_env_is_lowercased_and_trimmed():
    assert xj_env({"XJ_ENV": " PROD "}) == "prod"
    assert xj_env({"XJ_ENV": "Test"}) == "test"


@pytest.mark.parametrize("value", ["production", "staging", "develop"])
def test_xj_env_outside_dev_test_prod_is_refused(value):
    with pytest.raises(ValueError, match="XJ_ENV"):
        xj_env({"XJ_ENV": value})


def test_only_dev_and_test_count_as_dev_or_test():
    assert is_dev_or_test({}) is False
    assert is_dev_or_test({"XJ_ENV": "test"}) is True
    assert is_dev_or_test({"XJ_ENV": "prod"}) is False


def test_xj_env_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("XJ_ENV", "prod")
    assert xj_env() == "prod"


def test_env_str_falls_back_to_default_when_unset_or_empty():
    assert env_str("XJ_X", "fallback", {}) == "fallback"
    assert env_str("XJ_X", "fallback", {"XJ_X": ""}) == "fallback"
    assert env_str("XJ_X", "fallback", {"XJ_X": "value"}) == "value"


def test_env_int_parses_integers_and_defaults():
    assert env_int("XJ_PORT", 8000, {}) == 8000
    assert env_int("XJ_PORT", 8000, {"XJ_PORT": " 9000 "}) == 9000


def test_env_int_with_a_bad_value_names_the_variable():
    with pytest.raises(ValueError, match="XJ_PORT") as caught:
        env_int("XJ_PORT", 8000, {"XJ_PORT": "80a"})
    assert "80a" in str(caught.value)


def test_an_unset_xj_env_refuses_the_development_keys_and_ignores_fake_now():
    from xjkit.clock import SystemClock, business_clock_from_env
    from xjkit.idvault import vault_for_key
    with pytest.raises(Exception, match="XJ_ID_KEY"):
        vault_for_key("", {})
    assert isinstance(business_clock_from_env({"XJ_FAKE_NOW": "2030-01-01T00:00:00"}), SystemClock)
