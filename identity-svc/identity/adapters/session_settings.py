"""Session timeouts from the service config, checked against their hard upper bounds.

  SESSION_IDLE_SECONDS         XJ_SESSION_IDLE_SECONDS         enterprise idle timeout (30 min; ≤ 2 h)
  SESSION_MAX_SECONDS          XJ_SESSION_MAX_SECONDS          enterprise absolute lifetime (8 h; ≤ 12 h)
  PERSON_SESSION_IDLE_SECONDS  XJ_PERSON_SESSION_IDLE_SECONDS  person idle timeout (2 h; ≤ 24 h)
  PERSON_SESSION_MAX_SECONDS   XJ_PERSON_SESSION_MAX_SECONDS   person absolute lifetime (24 h; ≤ 7 d)

A value that is not a positive whole number, or an idle timeout longer than the lifetime, stops
the service everywhere. A value over its bound stops it in prod (the message names the variable);
dev and test allow it with a warning.
"""
import logging

from identity.domain.session import DEFAULT_LIMITS, ENTERPRISE, PERSON, UPPER_BOUNDS, SessionLimits

log = logging.getLogger(__name__)

SETTINGS = {
    ENTERPRISE: (("SESSION_IDLE_SECONDS", "XJ_SESSION_IDLE_SECONDS"), ("SESSION_MAX_SECONDS", "XJ_SESSION_MAX_SECONDS")),
    PERSON: (("PERSON_SESSION_IDLE_SECONDS", "XJ_PERSON_SESSION_IDLE_SECONDS"),
             ("PERSON_SESSION_MAX_SECONDS", "XJ_PERSON_SESSION_MAX_SECONDS")),
}


def session_limits_from_config(config, env):
    """{role: SessionLimits}; RuntimeError naming the variable when a value is refused."""
    limits = {}
    for role, ((idle_key, idle_variable), (max_key, max_variable)) in SETTINGS.items():
        default, bound = DEFAULT_LIMITS[role], UPPER_BOUNDS[role]
        idle = _seconds(config.get(idle_key), default.idle_seconds, idle_variable, bound.idle_seconds, env)
        lifetime = _seconds(config.get(max_key), default.max_seconds, max_variable, bound.max_seconds, env)
        if idle > lifetime:
            raise RuntimeError(f"{idle_variable}={idle} is longer than {max_variable}={lifetime}: the idle timeout "
                               "must not exceed the absolute lifetime")
        limits[role] = SessionLimits(idle_seconds=idle, max_seconds=lifetime)
    return limits


def whole_seconds(value, default, variable):
    """A config value as whole seconds, ``default`` when empty; RuntimeError naming ``variable``."""
    if value is None or str(value).strip() == "":
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        raise RuntimeError(f"{variable} must be a whole number of seconds, got {value!r}") from None


def _seconds(value, default, variable, bound, env):
    seconds = whole_seconds(value, default, variable)  # the defaults are within their bounds
    if seconds < 1:
        raise RuntimeError(f"{variable} must be at least 1 second, got {seconds}")
    if seconds > bound:
        message = f"{variable}={seconds} exceeds its upper bound of {bound} seconds"
        if env == "prod":
            raise RuntimeError(message)
        log.warning("%s; allowed because XJ_ENV=%s", message, env)
    return seconds
