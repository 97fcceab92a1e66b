import io
import logging

import pytest

from xjkit.masking import (
    RedactingFilter, install_log_redaction, mask_id_card, mask_phone, redact_public, redact_text,
)

ID = "510104199001011234"
PHONE = "13800138000"


def test_id_card_keeps_region_and_last_four():
    assert mask_id_card(ID) == "510104********1234"
    assert mask_id_card("11010519491231002X") == "110105********002X"


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone(PHONE) == "138****8000"


def test_masking_none_gives_empty_text():
    assert mask_id_card(None) == ""
    assert mask_phone(None) == ""


@pytest.mark.parametrize("value", ["1", "12", "123", "1234567", "13800138", "5101041990",
                                   "51010419900101123"])
@pytest.mark.parametrize("mask", [mask_id_card, mask_phone])
def test_short_or_odd_values_are_never_shown_whole(mask, value):
    masked = mask(value)
    assert masked != value
    assert len(masked) == len(value)
    assert "*" in masked
    hidden = masked.count("*")
    assert hidden >= 4 or hidden * 2 >= len(value)


def test_redact_text_masks_id_numbers_and_mobiles_in_free_text():
    text = f"person {ID} phone {PHONE}, backup 11010519491231002x."
    redacted = redact_text(text)
    assert ID not in redacted and PHONE not in redacted and "11010519491231002x" not in redacted
    assert redacted == "person 510104********1234 phone 138****8000, backup 110105********002x."


@pytest.mark.parametrize("phone", ["+8613800138000", "008613800138000", "138-0013-8000", "138 0013 8000",
                                   "tel:13800138000;"])
def test_redact_text_masks_mobiles_written_with_prefix_or_separators(phone):
    redacted = redact_text(f"call {phone} now")
    digits = "".join(ch for ch in redacted if ch.isdigit())
    assert "13800138000" not in digits
    assert "8000" in redacted


def test_redact_text_leaves_other_numbers_alone():
    text = "order 2026122000001 at 1718000000000 ms, 12345678901, count 42"
    assert redact_text(text) == text


def test_redact_text_masks_ids_inside_query_strings():
    line = '"GET /api/v1/ent/persons/lookup?id_card_no=510104199001011234 HTTP/1.1" 200'
    assert redact_text(line) == '"GET /api/v1/ent/persons/lookup?id_card_no=510104********1234 HTTP/1.1" 200'


def make_logger(name, stream):
    logger = logging.getLogger(name)
    logger.handlers[:] = []
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, handler


def test_log_filter_redacts_id_and_phone_in_message_and_args():
    stream = io.StringIO()
    logger, handler = make_logger("xjtest.redaction.args", stream)
    handler.addFilter(RedactingFilter())
    logger.info("verified %s with phone %s", ID, PHONE)
    logger.info(f"inline {ID}/{PHONE}")
    logger.info("dict %(id)s", {"id": ID})
    output = stream.getvalue()
    assert ID not in output and PHONE not in output
    assert output.splitlines() == [
        "INFO verified 510104********1234 with phone 138****8000",
        "INFO inline 510104********1234/138****8000",
        "INFO dict 510104********1234",
    ]


def test_log_filter_redacts_exception_text():
    stream = io.StringIO()
    logger, handler = make_logger("xjtest.redaction.exc", stream)
    handler.addFilter(RedactingFilter())
    try:
        raise ValueError(f"duplicate id {ID}")
    except ValueError:
        logger.exception("failed for %s", PHONE)
    output = stream.getvalue()
    assert ID not in output and PHONE not in output
    assert "ValueError: duplicate id 510104********1234" in output


def test_log_filter_survives_a_bad_format_string_without_leaking():
    stream = io.StringIO()
    logger, handler = make_logger("xjtest.redaction.bad", stream)
    handler.addFilter(RedactingFilter())
    logger.info("two %s %s", ID)  # one arg missing
    assert ID not in stream.getvalue()
    assert "510104********1234" in stream.getvalue()


def test_install_log_redaction_covers_existing_handlers_once():
    stream = io.StringIO()
    logger, handler = make_logger("xjtest.redaction.install", stream)  # non-propagating, like gunicorn's
    install_log_redaction()
    install_log_redaction()
    try:
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        assert any(isinstance(f, RedactingFilter) for f in logging.lastResort.filters)
        logger.warning("lookup %s phone %s", ID, PHONE)
        assert stream.getvalue() == "WARNING lookup 510104********1234 phone 138****8000\n"
    finally:  # leave no global logging state behind for other tests
        loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        handlers = [h for lg in loggers if isinstance(lg, logging.Logger) for h in lg.handlers]
        for target in [*handlers, logging.lastResort]:
            for f in [f for f in target.filters if isinstance(f, RedactingFilter)]:
                target.removeFilter(f)


# --- the one redaction of every public answer ------------------------------------------------

def test_every_string_of_a_public_answer_is_redacted_at_any_depth():
    leaked_id, leaked_phone = "510104199001011234", "13912345678"
    answer = {
        "uscc": "911101054728576191",  # an all-digit credit code: public, kept whole
        "name": f"四川某公司（联系电话{leaked_phone}）",
        "registrations": [{"basic": {"xj_office_address": f"乌鲁木齐市天山区88号 手机 {leaked_phone}"},
                           "personnel": [{"kind": "special_operation", "cert_no": leaked_id,
                                          "specialties": [f"T{leaked_id}"]}]}],
        "total": 1, "valid": True, "at": None,
    }
    public = redact_public(answer)
    text = repr(public)
    assert leaked_id not in text and leaked_phone not in text
    assert public["uscc"] == "911101054728576191"
    assert public["registrations"][0]["personnel"][0]["cert_no"] == "510104********1234"
    assert public["registrations"][0]["personnel"][0]["specialties"] == ["T510104********1234"]
    assert public["registrations"][0]["basic"]["xj_office_address"].endswith("139****5678")
    assert (public["total"], public["valid"], public["at"]) == (1, True, None)


def test_an_id_number_under_a_uscc_key_that_is_no_credit_code_is_still_masked():
    assert redact_public({"uscc": "510104199001011234"}) == {"uscc": "510104********1234"}
