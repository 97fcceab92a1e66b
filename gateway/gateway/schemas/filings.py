"""Schemas of the filings (进疆信息报送): submissions, cases, registrations, qualifications.

The shape of each business's ``data`` is the wire contract ``xjkit.filing_data``, the one filing-svc
checks too: the gateway checks it first, so a malformed submission is refused (422, field paths
such as ``data.basic.contact_phone``) and never reaches the service, and so never becomes a case.
"""
import datetime
from collections.abc import Mapping

from marshmallow import ValidationError, fields, post_dump, pre_load

from xjkit.contract import BUSINESSES, ENTERPRISE_TYPES
from xjkit.errors import ValidationFailed
from xjkit.filing_data import DATA_SCHEMAS, validated
from xjkit.masking import mask_phone

from gateway.schemas.base import (
    COMMON_MESSAGES, Bool, DateTime, Int, List, Nested, PageQuery, RequestSchema, ResponseSchema, Str, one_of,
    page_of,
)

CASE_STATUSES = ("approved", "rejected")
REGISTRATION_STATUSES = ("valid", "expired")


def _labelled(choices):
    return [f"{key}（{label}）" for key, label in choices.items()]


# what the OpenAPI document lists as the possible shapes of ``data`` (components of these names)
DATA_SCHEMA_DOCS = {cls.__name__: cls for cls in dict.fromkeys(DATA_SCHEMAS.values())}


class BusinessData(fields.Field):
    """``data``, checked as filing-svc checks it for the body's ``business`` (errors under
    ``data.<path>``)."""

    default_error_messages = {**COMMON_MESSAGES, "type": "应为JSON对象"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, Mapping):
            raise self.make_error("type")
        business = data.get("business") if isinstance(data, Mapping) else None
        if not isinstance(business, str) or business not in DATA_SCHEMAS:
            return dict(value)  # the business itself is wrong or missing: reported on its own field
        try:
            return validated(business, value)
        except ValidationFailed as refused:  # its paths nest under "data"
            raise ValidationError(refused.errors) from None


class FilingRequest(RequestSchema):
    business = Str(required=True, validate=one_of(list(BUSINESSES), _labelled(BUSINESSES)),
                   metadata={"enum": list(BUSINESSES), "description": "；".join(_labelled(BUSINESSES))})
    enterprise_type = Str(required=True, validate=one_of(list(ENTERPRISE_TYPES), _labelled(ENTERPRISE_TYPES)),
                          metadata={"enum": list(ENTERPRISE_TYPES),
                                    "description": "；".join(_labelled(ENTERPRISE_TYPES))})
    data = BusinessData(metadata={
        "type": "object",
        "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in DATA_SCHEMA_DOCS],
        "description": "随业务而定（见各 *Data 结构）；qualification_change 与 extension 为 {}，可省略。"
                       "格式不符返回422且不产生办件；业务规则不满足时产生被驳回（rejected）的办件"})

    @pre_load
    def empty_data_by_default(self, body, **kwargs):
        """``data`` may be left out when the business takes none; it is still checked (a first
        filing without it names every field it lacks)."""
        if isinstance(body, Mapping) and "data" not in body:
            return {**body, "data": {}}
        return body


def submission_of(body):
    """The validated body as plain JSON: what filing-svc's ``submit`` takes, and the fingerprint."""
    return {"business": body["business"], "enterprise_type": body["enterprise_type"], "data": body["data"]}


class CaseListQuery(PageQuery):
    business = Str(validate=one_of(list(BUSINESSES), _labelled(BUSINESSES)), metadata={"enum": list(BUSINESSES)})
    status = Str(validate=one_of(CASE_STATUSES), metadata={"enum": list(CASE_STATUSES)})


class QualificationQuery(RequestSchema):
    enterprise_type = Str(required=True, validate=one_of(list(ENTERPRISE_TYPES), _labelled(ENTERPRISE_TYPES)),
                          metadata={"enum": list(ENTERPRISE_TYPES)})


# --- responses -----------------------------------------------------------------------------------

class Instant(DateTime):
    """An instant from a service: a datetime, or its ISO text."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            try:
                value = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
        return super()._serialize(value, attr, obj, **kwargs)


class IsoDate(Str):
    """A date from a service (ISO text or a date) as ``YYYY-MM-DD``."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, metadata={"format": "date", **kwargs.pop("metadata", {})}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return super()._serialize(value, attr, obj, **kwargs)


class MaskedPhone(Str):
    """A phone number never leaves the gateway whole: ``138****8000``."""

    def _serialize(self, value, attr, obj, **kwargs):
        return mask_phone(value) if value not in (None, "") else None


def masked_basic(basic):
    """A copy of a basic-information dict with its contact phone masked (the input is not changed)."""
    if not isinstance(basic, Mapping):
        return basic
    copy = dict(basic)
    if copy.get("contact_phone") not in (None, ""):
        copy["contact_phone"] = mask_phone(copy["contact_phone"])
    return copy


class Reason(ResponseSchema):
    error = Str(metadata={"description": "稳定的原因代码，如 PERSON_NOT_EMPLOYED"})
    message = Str()
    field = Str(metadata={"description": "相关字段（data 内的路径，如 manager_person_id、certificate_ids.0）"})


class Change(ResponseSchema):
    field = Str(metadata={"description": "登记中变更的部分：basic、manager、tech_manager、personnel、"
                                         "qualifications、cost_projects、valid_until…"})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class CaseSchema(ResponseSchema):
    id = Str()
    business = Str(metadata={"enum": list(BUSINESSES)})
    enterprise_type = Str(metadata={"enum": list(ENTERPRISE_TYPES)})
    status = Str(metadata={"enum": list(CASE_STATUSES)})
    reasons = List(Nested(Reason), metadata={"description": "驳回的全部原因；通过时为空"})
    submitted_at = Instant()
    reviewed_at = Instant()
    changes = List(Nested(Change), metadata={"description": "通过时对登记所作的变更（变更前后）"})
    data = fields.Dict(metadata={"description": "提交并经校验的数据（联系人手机号码脱敏）"})

    @post_dump
    def mask_contact_phone(self, case, **kwargs):
        """The phone is masked in what was submitted and in the before/after of a basic change."""
        data = case.get("data")
        if isinstance(data, Mapping) and isinstance(data.get("basic"), Mapping):
            case["data"] = {**data, "basic": masked_basic(data["basic"])}
        if case.get("changes"):
            case["changes"] = [
                {**change, "before": masked_basic(change.get("before")), "after": masked_basic(change.get("after"))}
                if change.get("field") == "basic" else change
                for change in case["changes"]]
        return case


CasePage = page_of(CaseSchema)


class RegistrationBasic(ResponseSchema):
    name = Str()
    legal_representative = Str(allow_none=True)
    registered_address = Str(allow_none=True)
    registered_capital_wan = fields.Raw(allow_none=True, metadata={"type": "number", "description": "注册资本（万元）"})
    established_on = IsoDate()
    contact_name = Str(allow_none=True)
    contact_phone = MaskedPhone(allow_none=True, metadata={"example": "138****8000", "description": "已脱敏"})
    xj_office_address = Str(allow_none=True)


class FiledPerson(ResponseSchema):
    person_id = Str()
    name = Str()
    id_card_masked = Str(metadata={"example": "510104********1234"})


class Qualification(ResponseSchema):
    cert_no = Str()
    code = Str(allow_none=True)
    name = Str()
    grade = Str(allow_none=True)
    category = Str(metadata={"enum": list(ENTERPRISE_TYPES)})
    issuer = Str(allow_none=True)
    issued_on = IsoDate()
    expires_on = IsoDate()
    valid = Bool(metadata={"description": "今天是否仍在有效期内"})


class FiledCertificate(ResponseSchema):
    id = Str()
    kind = Str()
    person_id = Str()
    person_name = Str()
    id_card_masked = Str(metadata={"example": "510104********1234"})
    cert_no = Str()
    type = Str(allow_none=True)
    specialties = List(Str(), allow_none=True)
    level = Str(allow_none=True)
    valid_until = IsoDate()


class CostProject(ResponseSchema):
    id = Str()
    project_name = Str()
    location_code = Str()
    client_name = Str()
    contract_amount_fen = Int()
    contract_signed_on = IsoDate()
    service_start = IsoDate()
    service_end = IsoDate()
    lead_person_id = Str()
    lead_person_name = Str()
    attachments = List(Str())
    filed_at = Instant()


class Registration(ResponseSchema):
    uscc = Str()
    enterprise_type = Str(metadata={"enum": list(ENTERPRISE_TYPES)})
    enterprise_type_label = Str()
    enterprise_name = Str()
    status = Str(metadata={"enum": list(REGISTRATION_STATUSES)})
    approved_at = Instant()
    valid_until = IsoDate()
    basic = Nested(RegistrationBasic)
    manager = Nested(FiledPerson, allow_none=True)
    tech_manager = Nested(FiledPerson, allow_none=True)
    attachments = List(Str())
    qualifications = List(Nested(Qualification))
    personnel = List(Nested(FiledCertificate))
    cost_projects = List(Nested(CostProject))
    booklet_no = Str(metadata={"description": "当前报送册编号（登记每次变更后更新）"})
    updated_at = Instant()


class RegistrationList(ResponseSchema):
    items = List(Nested(Registration))


class QualificationList(ResponseSchema):
    items = List(Nested(Qualification))


# --- the enterprise's summary (GET /api/v1/ent/me) ------------------------------------------------

class RegistrationBrief(ResponseSchema):
    enterprise_type = Str(metadata={"enum": list(ENTERPRISE_TYPES)})
    enterprise_type_label = Str()
    status = Str(metadata={"enum": list(REGISTRATION_STATUSES)})
    valid_until = IsoDate()
    booklet_no = Str()


class RegistrationCounts(ResponseSchema):
    registrations = Int(metadata={"description": "进疆登记数（按企业类型）"})
    valid_registrations = Int(metadata={"description": "有效的进疆登记数"})
    personnel = Int(metadata={"description": "已报送人员数（按人计，跨企业类型不重复）"})
    cost_projects = Int(metadata={"description": "承揽业务备案数"})


def registration_summary(registrations):
    """``{"registrations": [...], "counts": {...}}`` of filing-svc's ``registrations`` answer."""
    registrations = list(registrations or [])
    persons = {entry.get("person_id") for r in registrations for entry in (r.get("personnel") or [])}
    return {
        "registrations": [{key: r.get(key) for key in (
            "enterprise_type", "enterprise_type_label", "status", "valid_until", "booklet_no")}
            for r in registrations],
        "counts": {
            "registrations": len(registrations),
            "valid_registrations": sum(1 for r in registrations if r.get("status") == "valid"),
            "personnel": len(persons - {None}),
            "cost_projects": sum(len(r.get("cost_projects") or []) for r in registrations),
        },
    }
