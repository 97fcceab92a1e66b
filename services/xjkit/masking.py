"""Masking of ID and phone numbers for public views, and redaction of both from logs.

Public data shows ``510104********1234`` and ``138****8000``; logs never hold either in full.
Every service calls ``install_log_redaction()`` once, after its logging is configured (nameko's
LOGGING dictConfig, gunicorn's log setup), because it attaches to the handlers that exist then.
"""
import logging
import re

from xjkit.validators import check_uscc

MASK = "*"
# keys whose text is a public registry code, shown whole when it is one: an all-digit credit code
# such as 911101054728576191 would otherwise look like an ID number
PUBLIC_CODE_KEYS = frozenset({"uscc"})


def _mask(value, head, tail):
    """Keep ``head`` and ``tail`` characters when at least 4 remain hidden, else hide at least half."""
    if value is None:
        return ""
    text = str(value).strip()
    if len(text) < head + tail + 4:
        # Too short to be the expected number: reveal at most a quarter at each end, so a
        # malformed or truncated value is never shown whole.
        head = tail = len(text) // 4
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail:]


def mask_id_card(value) -> str:
    """``510104199001011234`` → ``510104********1234`` (region and last four kept)."""
    return _mask(value, 6, 4)


def mask_phone(value) -> str:
    """``13800138000`` → ``138****8000``."""
    return _mask(value, 3, 4)


# 17 digits and a digit or X, not inside a longer run of digits. Check digits are not verified:
# a mistyped ID number is still somebody's personal data.
_ID_TOKEN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
# An 11-digit mobile, also with a +86/0086/86 prefix or written 138-0013-8000 / 138 0013 8000.
_MOBILE_TOKEN = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")


def redact_text(text) -> str:
    """Replace every ID-number-looking and mobile-looking token in free text by its masked form."""
    if text is None:
        return ""
    text = _ID_TOKEN.sub(lambda m: mask_id_card(m.group()), str(text))
    return _MOBILE_TOKEN.sub(lambda m: mask_phone(m.group()), text)


def redact_public(value, key=None):
    """A copy of a public answer (dicts, lists, strings, numbers) with every string redacted:
    certificate numbers that are ID numbers, phones typed into addresses or names, anything. Only a
    valid credit code under a ``uscc`` key is kept whole."""
    if isinstance(value, str):
        if key in PUBLIC_CODE_KEYS and check_uscc(value) is None:
            return value
        return redact_text(value)
    if isinstance(value, dict):
        return {name: redact_public(item, name) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_public(item, key) for item in value]
    return value


class RedactingFilter(logging.Filter):
    """Rewrites each record so no handler can write a full ID or phone number.

    The message is formatted once (``msg % args``), redacted and stored back with no args, so
    every later formatter sees the redacted text. Exception text and stack info are redacted too.
    """

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not break the caller or leak its args
            message = f"{record.msg} {record.args!r}"
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatter.format reuses exc_text when set, so the redacted traceback is what is written.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def install_log_redaction() -> RedactingFilter:
    """Attach one ``RedactingFilter`` to every handler configured now; idempotent.

    Filters on handlers (not loggers) see records propagated from child loggers too. Handlers of
    non-propagating loggers (gunicorn's access log, which holds query strings) and Python's
    last-resort handler are covered as well. Handlers added later are not: call this after logging
    is configured, and again after reconfiguring it.
    """
    redactor = RedactingFilter()
    loggers = [logging.getLogger()]
    loggers += [item for item in logging.Logger.manager.loggerDict.values()
                if isinstance(item, logging.Logger)]
    handlers = [handler for logger in loggers for handler in logger.handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(redactor)
    return redactor
