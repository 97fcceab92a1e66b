"""Domain errors carry code, status and Chinese message; events carry the envelope."""
import pytest

from xjkit.clock import FixedClock, SHANGHAI
from xjkit.errors import ConcurrencyConflict, DomainError, NotFound, ValidationFailed
from xjkit.events import Event, new_event

import datetime


class PersonEmployed(DomainError):
    code = "PERSON_EMPLOYED"
    status = 409
    message = "该人员已在其他企业在职"


def test_a_subclass_error_rebuilds_as_the_base_class_with_the_same_body():
    error = PersonEmployed(errors={"id_card_no": ["已在职"]})
    rebuilt = DomainError(*error.as_base().args)
    assert type(rebuilt) is DomainError
    assert rebuilt.to_dict() == error.to_dict() == {
        "code": 409, "error": "PERSON_EMPLOYED", "message": "该人员已在其他企业在职",
        "errors": {"id_card_no": ["已在职"]},
    }


def test_error_body_omits_errors_when_there_are_none():
    assert NotFound().to_dict() == {"code": 404, "error": "NOT_FOUND", "message": "对象不存在"}


def test_validation_failed_is_422_with_field_paths():
    error = ValidationFailed({"basic.name": ["必填"]})
    assert (error.status, error.code, error.errors) == (422, "VALIDATION_FAILED", {"basic.name": ["必填"]})


def test_concurrency_conflict_is_a_409():
    assert ConcurrencyConflict().status == 409


def test_new_event_has_id_time_in_shanghai_and_version():
    clock = FixedClock(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI))
    event = new_event("filing.registration_approved", {"uscc": "U"}, clock)
    assert event.occurred_at == "2026-12-20T09:00:00+08:00"
    assert len(event.event_id) == 32 and event.version == 1
    assert (event.source, event.name) == ("filing", "registration_approved")


def test_two_events_never_share_an_id():
    clock = FixedClock(datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI))
    assert new_event("a.b", {}, clock).event_id != new_event("a.b", {}, clock).event_id


def test_event_round_trips_through_its_dict():
    clock = FixedClock(datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI))
    event = new_event("identity.person_verified", {"person_id": "p"}, clock)
    assert Event.from_dict(event.to_dict()) == event


def test_an_envelope_without_event_id_is_refused():
    with pytest.raises(ValueError):
        Event.from_dict({"type": "a.b", "payload": {}, "occurred_at": "x"})


def test_event_type_needs_a_source():
    with pytest.raises(ValueError):
        new_event("nosource", {}, FixedClock(datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI)))


class FileMissing(NotFound, code="FILE_MISSING", message="文件不存在",
                  field_errors={"file": ["请重新上传"]}): ...


class PhotoMissing(FileMissing, message="照片不存在"): ...


def test_a_refusal_declared_by_class_keywords_inherits_what_it_does_not_name():
    assert PhotoMissing().to_dict() == {"code": 404, "error": "FILE_MISSING", "message": "照片不存在",
                                        "errors": {"file": ["请重新上传"]}}


def test_declared_field_errors_are_a_fresh_copy_per_instance_and_given_errors_replace_them():
    first = FileMissing()
    first.errors["file"].append("changed by one caller")
    assert FileMissing().errors == {"file": ["请重新上传"]}
    assert FileMissing(errors={"photo": ["另一处"]}).errors == {"photo": ["另一处"]}
