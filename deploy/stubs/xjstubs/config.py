"""Configuration of the stub server: the environment, with explicit overrides on top.

The stubs stand in for outside systems (WeChat, the national construction-market platform, the CA),
so they refuse to run anywhere but in development and tests.
"""
from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

# the development dataset of the national platform ships inside this package (the image has it too)
DEFAULT_NATIONAL_DATA = (Path(__file__).resolve().parent / "data" / "national-platform.json")


def dataset_day(path=DEFAULT_NATIONAL_DATA) -> date:
    """The business date a dataset describes (its ``generated_for``): tests start the business
    clock there, so their dates agree with the dataset's certificates and qualifications."""
    return date.fromisoformat(json.loads(Path(path).read_text(encoding="utf-8"))["generated_for"])

ALLOWED_ENVS = ("dev", "test")


class StubConfigError(RuntimeError):
    """The stub cannot start with this configuration; the message says why and what to change."""


def _parse_apps(raw: str | None) -> dict[str, str] | None:
    """`XJ_STUBS_WECHAT_APPS="wxappid1:secret1,wxappid2:secret2"`; unset means any appid/secret is accepted."""
    if not raw or not raw.strip():
        return None
    apps = {}
    for pair in raw.split(","):
        appid, sep, secret = pair.strip().partition(":")
        if not sep or not appid or not secret:
            raise StubConfigError(
                f"XJ_STUBS_WECHAT_APPS: expected appid:secret pairs separated by commas, got {pair.strip()!r}")
        apps[appid] = secret
    return apps


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise StubConfigError(f"{name} must be an integer, got {raw!r}") from None


def load_config(overrides: dict | None = None) -> dict:
    """The effective configuration: environment variables, then `overrides` (keys as below)."""
    env = os.environ
    config = {
        "env": (env.get("XJ_ENV") or "prod").strip().lower(),  # unset means prod, which the stubs refuse
        "host": env.get("XJ_STUBS_HOST") or "127.0.0.1",
        "port": _int_env("XJ_STUBS_PORT", 8900),
        "national_data": env.get("XJ_NATIONAL_DATA") or str(DEFAULT_NATIONAL_DATA),
        "ca_crl_dir": env.get("XJ_CA_CRL_DIR") or None,
        "wechat_apps": _parse_apps(env.get("XJ_STUBS_WECHAT_APPS")),
        "token_expires_in": 7200,    # seconds, as WeChat's access_token
        "face_expires_in": 3600,     # seconds, as WeChat's verify_id
        "clock": time.time,          # epoch seconds; tests may inject their own
    }
    return with_overrides(config, overrides, "stub", (
        "xj-stubs refuses to start with XJ_ENV={env}: the stubs impersonate WeChat, "
        "the national platform and the CA, and run only when XJ_ENV is one of {allowed}"))


def with_overrides(config: dict, overrides: dict | None, keys_of: str, refusal: str) -> dict:
    """`config` updated with `overrides`, which may only name its keys (else "unknown <keys_of>
    configuration keys"); StubConfigError(`refusal`, with {env} and {allowed} filled in) unless
    the resulting env is one the stubs run in."""
    unknown = set(overrides or {}) - set(config)
    if unknown:
        raise StubConfigError(f"unknown {keys_of} configuration keys: {', '.join(sorted(unknown))}")
    config.update(overrides or {})
    if config["env"] not in ALLOWED_ENVS:
        raise StubConfigError(refusal.format(env=repr(config["env"]), allowed=", ".join(ALLOWED_ENVS)))
    return config
