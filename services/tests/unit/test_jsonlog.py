"""One JSON object per log line, with the request context, and never a full ID or phone number."""
import json
import logging
import sys

import pytest

from xjkit import logcontext
from xjkit.jsonlog import JsonFormatter, dict_config

ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"


def format_line(message, *args, **extra):
    logger = logging.getLogger("xjtest.jsonlog")
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, message, args, None, extra=extra or None)
    return JsonFormatter("filing").format(record)


@pytest.fixture(autouse=True)
def fresh_context():
    logcontext.clear()
    yield
    logcontext.clear()


def test_a_line_is_one_json_object_with_service_level_logger_and_message():
    line = format_line("hello %s", "世界")
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["service"] == "filing" and parsed["level"] == "INFO" and parsed["logger"] == "xjtest.jsonlog"
    assert parsed["message"] == "hello 世界" and parsed["time"].endswith("+08:00")


def test_the_bound_request_id_and_ids_are_on_every_line():
    logcontext.replace({"request_id": "req-1", "enterprise": "9151010029141777XB", "case": "c-1"})
    parsed = json.loads(format_line("x"))
    assert (parsed["request_id"], parsed["enterprise"], parsed["case"]) == ("req-1", "9151010029141777XB", "c-1")


def test_a_record_keeps_the_context_it_was_made_in_even_when_formatted_later():
    logger = logging.getLogger("xjtest.jsonlog")
    logcontext.replace({"request_id": "req-made"})
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "x", (), None)
    logcontext.replace({"request_id": "req-other"})
    assert json.loads(JsonFormatter("x").format(record))["request_id"] == "req-made"


def test_event_and_fields_are_written_but_cannot_override_the_fixed_fields():
    parsed = json.loads(format_line("done", event="rpc.completed", fields={"duration_ms": 3.5, "service": "fake"}))
    assert parsed["event"] == "rpc.completed" and parsed["duration_ms"] == 3.5 and parsed["service"] == "filing"


@pytest.mark.parametrize("where", ["message", "args", "fields", "context"])
def test_no_full_id_or_phone_number_survives_anywhere_in_the_line(where):
    text = f"id {ID_NUMBER} phone {PHONE}"
    if where == "message":
        line = format_line(text)
    elif where == "args":
        line = format_line("%s", text)
    elif where == "fields":
        line = format_line("x", fields={"detail": text})
    else:
        logcontext.bind(person=text)
        line = format_line("x")
    assert ID_NUMBER not in line and PHONE not in line
    assert "110105********002X" in line and "138****8000" in line


def test_a_traceback_is_written_and_redacted():
    try:
        raise ValueError(f"bad {ID_NUMBER}")
    except ValueError:
        logger = logging.getLogger("xjtest.jsonlog")
        record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    parsed = json.loads(JsonFormatter("x").format(record))
    assert "ValueError" in parsed["exc"] and ID_NUMBER not in parsed["exc"]


def test_dict_config_is_accepted_by_logging():
    import logging.config
    config = dict_config("publicity", loggers=("xjtest.dictconfig",))
    logging.config.dictConfig({**config, "root": {"level": "WARNING", "handlers": []}})
    handler = logging.getLogger("xjtest.dictconfig").handlers[0]
    assert isinstance(handler.formatter, JsonFormatter) and handler.formatter.service == "publicity"
    logging.getLogger("xjtest.dictconfig").handlers.clear()


@pytest.mark.parametrize("value", ["abc-123", "6f1c2d3e-aaaa-bbbb-cccc-000000000000", "req.1:2_x"])
def test_a_harmless_incoming_request_id_is_kept(value):
    assert logcontext.accept_request_id(value) == value


@pytest.mark.parametrize("value", [None, "", "has space", "quote\"", "new\nline", "x" * 129, PHONE,
                                   f"req-{ID_NUMBER}", "中文"])
def test_an_unsafe_incoming_request_id_is_refused(value):
    assert logcontext.accept_request_id(value) is None


def test_generated_request_ids_are_unique_and_hold_no_digits():
    ids = {logcontext.new_request_id() for _ in range(500)}
    assert len(ids) == 500
    assert not any(char.isdigit() for value in ids for char in value)
    assert all(logcontext.accept_request_id(value) == value for value in ids)


def test_an_outbox_entry_is_the_envelope_plus_its_trace():
    from xjkit.clock import SystemClock
    from xjkit.events import Event, new_event
    logcontext.replace({"request_id": "req-outbox"})
    event = new_event("filing.registration_changed", {"uscc": "x"}, SystemClock())
    entry = logcontext.outbox_entry(event)
    assert entry["trace"]["request_id"] == "req-outbox"
    assert logcontext.parse_instant(entry["trace"]["written_at"]) is not None
    assert Event.from_dict(entry) == event  # consumers read it as before
