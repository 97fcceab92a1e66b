"""One structured log format for every service and the gateway: one JSON object per line.

    {"time": "2026-11-25T12:00:00.123+08:00", "level": "INFO", "service": "filing",
     "logger": "xjkit.nameko.telemetry", "event": "rpc.completed", "message": "...",
     "request_id": "...", "enterprise": "9151...", "entrypoint": "submit", "duration_ms": 41.2}

- ``service`` names the process (given to the formatter), ``level`` and ``logger`` are logging's;
- ``message`` is the formatted message; ``event`` a stable name, when the caller gave one
  (``log.info("...", extra={"event": "rpc.completed", "fields": {...}})``);
- the request id and the case / enterprise / person ids bound in ``xjkit.logcontext``;
- ``fields`` given in ``extra`` are merged in (never overriding the fields above);
- ``exc`` holds the traceback, when there is one.

Redaction: the whole line passes through ``xjkit.masking.redact_text`` after it is built, so
no field — message, extra fields, traceback — can carry a full ID or mobile number, whatever
filters the handler has. Keep ``xjkit.masking.RedactingFilter`` on the handlers as well: it
also covers handlers that use another formatter.
"""
import datetime
import json
import logging
import os

from xjkit import logcontext
from xjkit.masking import RedactingFilter, redact_text

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
_RESERVED = ("time", "level", "service", "logger", "event", "message", "exc")
CONTEXT_ATTRIBUTE = "xj_context"


def _install_context_on_records():
    """Every LogRecord takes the log context of the thread that created it, so a handler that
    formats later or elsewhere (a queue, pytest's capture) still writes the right request id."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "xj_context_factory", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        setattr(record, CONTEXT_ATTRIBUTE, logcontext.current())
        return record

    factory.xj_context_factory = True
    logging.setLogRecordFactory(factory)


_install_context_on_records()


class JsonFormatter(logging.Formatter):
    def __init__(self, service=None, **kwargs):
        super().__init__()
        self.service = service or os.environ.get("XJ_SERVICE_NAME") or "xjcloud"

    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, SHANGHAI).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if event:
            line["event"] = str(event)
        try:
            line["message"] = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            line["message"] = f"{record.msg} {record.args!r}"
        context = getattr(record, CONTEXT_ATTRIBUTE, None)
        for key, value in (logcontext.current() if context is None else context).items():
            line.setdefault(key, value)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                if key not in _RESERVED:
                    line.setdefault(key, value)
        exc_text = record.exc_text
        if record.exc_info and not exc_text:
            exc_text = self.formatException(record.exc_info)
        if exc_text:
            line["exc"] = exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return redact_text(json.dumps(line, ensure_ascii=False, default=str))


def json_handler(service, stream=None, level=None):
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(RedactingFilter())
    if level is not None:
        handler.setLevel(level)
    return handler


def configure(service, level=None):
    """Root logging as one JSON handler, like ``logging.basicConfig``: nothing happens when the root
    logger has handlers already (gunicorn's logconfig_dict, nameko's LOGGING, pytest)."""
    root = logging.getLogger()
    if root.handlers:
        return root
    root.addHandler(json_handler(service))
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))
    return root


def dict_config(service, level="INFO", loggers=()):
    """A ``logging.config.dictConfig`` dict: JSON on stderr for the root and ``loggers``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "xjkit.jsonlog.JsonFormatter", "service": service}},
        "filters": {"redact": {"()": "xjkit.masking.RedactingFilter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                                 "filters": ["redact"], "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["console"]},
        "loggers": {name: {"level": level, "handlers": ["console"], "propagate": False} for name in loggers},
    }
