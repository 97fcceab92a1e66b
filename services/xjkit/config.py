"""Reading settings from the environment.

Every service and the gateway read ``XJ_*`` variables through these helpers so that a typo in a
deployment (``XJ_ENV=production``, ``XJ_PORT=80a``) stops the process at start-up with a message
naming the variable, instead of silently falling back to a default.
"""
import os

ENVIRONMENTS = ("dev", "test", "prod")
# unset means production: forgetting XJ_ENV can never switch on development keys, stubs or XJ_FAKE_NOW
DEFAULT_ENV = "prod"


def xj_env(environ=os.environ):
    """The deployment environment: ``dev``, ``test`` or ``prod`` (``XJ_ENV``; unset or empty means ``prod``)."""
    raw = environ.get("XJ_ENV", "")
    value = raw.strip().lower() or DEFAULT_ENV  # an empty XJ_ENV= line in compose means "unset"
    if value not in ENVIRONMENTS:
        # Refuse rather than guess: treating "production" as dev would switch on fake clocks,
        # development keys and stubs in a live system.
        raise ValueError(f"XJ_ENV must be one of {', '.join(ENVIRONMENTS)}, got {raw!r}")
    return value


def is_dev_or_test(environ=os.environ):
    """True where development conveniences (fake clock, dev keys, stubs) may be honoured."""
    return xj_env(environ) in ("dev", "test")


def env_str(name, default, environ=os.environ):
    """The variable's value, or ``default`` when it is unset or empty."""
    value = environ.get(name)
    return default if value is None or value == "" else value


def env_int(name, default, environ=os.environ):
    """The variable as an integer, or ``default`` when unset or empty; a bad value names the variable."""
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
