"""Schemas of the filings (进疆信息报送): submissions, cases, registrations, qualifications.

The gateway checks the shape of each business's ``data`` as filing-svc's ``domain/submissions.py``
does, so a malformed submission is refused (422, field paths such as ``data.basic.contact_phone``)
and never reaches the service, and so never becomes a case. Business rules (who is employed, what
the national platform says, whether a registration exists…) are the service's review: they give a
kept, rejected case, never a 422.
"""
import datetime
import math
import re
from collections.abc import Mapping

from marshmallow import ValidationError, fields, post_dump, pre_load, validate, validates_schema

from xjkit.contract import (
    BASIC_CHANGE, BUSINESSES, COST_PROJECT, ENTERPRISE_TYPES, EXTENSION, FIRST_FILING, MANAGER_CHANGE,
    PERSONNEL_CHANGE, PERSONNEL_FILING, QUALIFICATION_CHANGE, TECH_MANAGER_CHANGE,
)
from xjkit.masking import mask_phone

from gateway.schemas.base import (
    COMMON_MESSAGES, Bool, Date, DateTime, Int, List, Mobile, Nested, PageQuery, RequestSchema, ResponseSchema, Str,
    length, one_of, page_of,
)

CASE_STATUSES = ("approved", "rejected")
REGISTRATION_STATUSES = ("valid", "expired")

REQUIRED = COMMON_MESSAGES["required"]
MAX_IDS = 500
MAX_ID_LENGTH = 64
BSON_INT_MAX = 2 ** 63 - 1  # the store keeps 64-bit integers: a larger amount could not be kept
TOO_LARGE = "数值过大"

# the service's own words for its shape rules
SYNC_REQUIRED = "首次报送须同步全国平台资质（应为true）"
CAPITAL_INVALID = "注册资本（万元）应为大于0的数字"
AMOUNT_INVALID = "合同金额应为大于0的整数（单位：分）"
LOCATION_INVALID = "项目所在地应为新疆的6位行政区划代码（65或66开头）"
SERVICE_END_NOT_AFTER_START = "服务结束日期应晚于开始日期"
BASIC_CHANGE_EMPTY = "请提交要变更的基本信息"
PERSONNEL_CHANGE_EMPTY = "请提交要增加或移除的证书"
ADD_AND_REMOVE = "同一证书不能既增加又移除"
DUPLICATE_IDS = "不能有重复项"


def _labelled(choices):
    return [f"{key}（{label}）" for key, label in choices.items()]


# --- fields --------------------------------------------------------------------------------------

class Text(Str):
    """Free text, trimmed, at most ``maximum`` characters after trimming. Blank counts as missing;
    an ``optional`` text that is blank (or null) is simply absent (``None``)."""

    def __init__(self, maximum, optional=False, **kwargs):
        self.maximum, self.optional = maximum, optional
        metadata = {"maxLength": maximum, **kwargs.pop("metadata", {})}
        allow_none = kwargs.pop("allow_none", False) or optional
        super().__init__(allow_none=allow_none, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            if self.optional:
                return None
            raise ValidationError(REQUIRED)
        if len(text) > self.maximum:
            raise ValidationError(f"长度不能超过{self.maximum}个字符")
        return text


class PositiveNumber(fields.Field):
    """A JSON number above 0 (never a string or a boolean; ``integer`` refuses 1.5 and 1.0)."""

    default_error_messages = COMMON_MESSAGES

    def __init__(self, message, integer=False, **kwargs):
        self.message, self.integer = message, integer
        kind = {"type": "integer", "format": "int64"} if integer else {"type": "number"}
        metadata = {**kind, "minimum": 0, "exclusiveMinimum": True, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        allowed = (int,) if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed) or not math.isfinite(value) or value <= 0:
            raise ValidationError(self.message)
        if isinstance(value, int) and value > BSON_INT_MAX:
            raise ValidationError(TOO_LARGE)
        return value


class MustBeTrue(fields.Field):
    """A flag that must be the JSON ``true`` (missing, null, ``"true"`` or ``1`` are refused)."""

    def __init__(self, message, **kwargs):
        self.message = message
        super().__init__(required=True, error_messages={"required": message, "null": message},
                         metadata={"type": "boolean", "enum": [True], **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value is not True:
            raise ValidationError(self.message)
        return True


def _unique(values):
    if len(set(values)) != len(values):
        raise ValidationError(DUPLICATE_IDS)


def IdList(minimum=1, **kwargs):
    """An array of ids (file ids, certificate ids): 1 to 64 characters each, ``minimum`` to 500 of
    them, no id twice."""
    checks = [validate.Length(max=MAX_IDS, error=f"一次最多{MAX_IDS}项"), _unique]
    if minimum:
        checks.insert(0, validate.Length(min=minimum, error=f"至少需要{minimum}项"))
    metadata = {"uniqueItems": True, "maxItems": MAX_IDS, **({"minItems": minimum} if minimum else {}),
                **kwargs.pop("metadata", {})}
    return List(Str(validate=length(1, MAX_ID_LENGTH)), validate=checks, metadata=metadata, **kwargs)


def PersonId(**kwargs):
    return Text(MAX_ID_LENGTH, required=True, **kwargs)


# --- data of each business ----------------------------------------------------------------------

class DataSchema(RequestSchema):
    """A part of ``data``: not the request body, so a wrong type is "应为JSON对象"."""

    error_messages = {**RequestSchema.error_messages, "type": "应为JSON对象"}


def _basic_schema(name, partial):
    """The enterprise's basic information: every field for a first filing (all but the Xinjiang
    office address required), any of them for a change (at least one)."""
    required = not partial

    def text(maximum, description):
        return Text(maximum, required=required, metadata={"description": description})

    attributes = {
        "name": text(100, "企业名称（须与全国建筑市场监管公共服务平台一致）"),
        "legal_representative": text(30, "法定代表人"),
        "registered_address": text(200, "注册地址"),
        "registered_capital_wan": PositiveNumber(CAPITAL_INVALID, required=required,
                                                 metadata={"description": "注册资本（万元）"}),
        "established_on": Date(required=required, metadata={"description": "成立日期"}),
        "contact_name": text(30, "联系人"),
        "contact_phone": Mobile(required=required, metadata={"description": "联系人手机号码（对外显示时脱敏）"}),
        "xj_office_address": Text(200, optional=True, metadata={"description": "驻疆办公地址（可选）"}),
        "__doc__": "企业基本信息的变更（至少一项）" if partial else "企业基本信息",
    }
    if partial:
        @validates_schema
        def at_least_one(self, data, **kwargs):
            if not data:
                raise ValidationError(BASIC_CHANGE_EMPTY)
        attributes["at_least_one"] = at_least_one
    return type(name, (DataSchema,), attributes)


FilingBasic = _basic_schema("FilingBasic", partial=False)
FilingBasicChange = _basic_schema("FilingBasicChange", partial=True)


class FirstFilingData(DataSchema):
    """first_filing（首次信息报送）"""

    basic = Nested(FilingBasic, required=True)
    manager_person_id = PersonId(metadata={"description": "进疆负责人（本企业在职、已实名的人员）"})
    tech_manager_person_id = PersonId(metadata={"description": "进疆技术负责人（本企业在职、已实名的人员）"})
    attachments = IdList(required=True, metadata={"description": "附件的文件编号（先经 POST /api/v1/ent/files 上传）"})
    sync_qualifications = MustBeTrue(SYNC_REQUIRED, metadata={"description": "同步全国平台资质，须为true"})


class PersonnelFilingData(DataSchema):
    """personnel_filing（人员证书信息报送）"""

    certificate_ids = IdList(required=True, metadata={"description": "要报送的人员证书编号"})


class BasicChangeData(DataSchema):
    """basic_change（基本信息变更）"""

    basic = Nested(FilingBasicChange, required=True, error_messages={
        "required": BASIC_CHANGE_EMPTY, "null": BASIC_CHANGE_EMPTY})


class ManagerChangeData(DataSchema):
    """manager_change（进疆负责人变更）"""

    manager_person_id = PersonId()


class TechManagerChangeData(DataSchema):
    """tech_manager_change（进疆技术负责人变更）"""

    tech_manager_person_id = PersonId()


class NoData(DataSchema):
    """qualification_change（资质信息变更，重新同步全国平台）与 extension（延续）：data 为 {}"""


class PersonnelChangeData(DataSchema):
    """personnel_change（人员证书信息变更）：至少一项，同一证书不能既增加又移除"""

    add = IdList(minimum=0, load_default=list, metadata={"description": "要增加报送的证书编号"})
    remove = IdList(minimum=0, load_default=list, metadata={"description": "要移除的已报送证书编号"})

    @validates_schema
    def check_add_and_remove(self, data, **kwargs):
        add, remove = data.get("add") or [], data.get("remove") or []
        errors = {}
        if not add and not remove:
            errors["add"] = [PERSONNEL_CHANGE_EMPTY]
        if set(add) & set(remove):
            errors["remove"] = [ADD_AND_REMOVE]
        if errors:
            raise ValidationError(errors)


LOCATION_CODE = re.compile(r"^6[56][0-9]{4}$")


def _xinjiang_location(value):
    if not LOCATION_CODE.match(value):
        raise ValidationError(LOCATION_INVALID)


class CostProjectData(DataSchema):
    """cost_project（造价企业进疆承揽业务备案，enterprise_type 为 cost_consulting）"""

    project_name = Text(200, required=True)
    location_code = Text(6, required=True, validate=_xinjiang_location, metadata={
        "description": "项目所在地的6位行政区划代码（新疆65开头，兵团66开头）", "pattern": LOCATION_CODE.pattern})
    client_name = Text(100, required=True, metadata={"description": "委托方"})
    contract_amount_fen = PositiveNumber(AMOUNT_INVALID, integer=True, required=True,
                                         metadata={"description": "合同金额（分）"})
    contract_signed_on = Date(required=True)
    service_start = Date(required=True)
    service_end = Date(required=True, metadata={"description": "须晚于 service_start"})
    lead_person_id = PersonId(metadata={"description": "项目负责人（持有本企业有效的注册造价工程师证书）"})
    attachments = IdList(required=True)

    @validates_schema(skip_on_field_errors=False)
    def check_service_period(self, data, **kwargs):
        start, end = data.get("service_start"), data.get("service_end")
        if start and end and end <= start:
            raise ValidationError(SERVICE_END_NOT_AFTER_START, "service_end")


DATA_SCHEMAS = {
    FIRST_FILING: FirstFilingData,
    PERSONNEL_FILING: PersonnelFilingData,
    BASIC_CHANGE: BasicChangeData,
    MANAGER_CHANGE: ManagerChangeData,
    TECH_MANAGER_CHANGE: TechManagerChangeData,
    QUALIFICATION_CHANGE: NoData,
    PERSONNEL_CHANGE: PersonnelChangeData,
    EXTENSION: NoData,
    COST_PROJECT: CostProjectData,
}
# what the OpenAPI document lists as the possible shapes of ``data`` (components of these names)
DATA_SCHEMA_DOCS = {cls.__name__: cls for cls in dict.fromkeys(DATA_SCHEMAS.values())}


def plain(value):
    """Validated data as plain JSON: dates back to the ISO strings they were given as."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class BusinessData(fields.Field):
    """``data``, checked by the schema of the body's ``business`` (errors under ``data.<path>``)."""

    default_error_messages = {**COMMON_MESSAGES, "type": "应为JSON对象"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, Mapping):
            raise self.make_error("type")
        business = data.get("business") if isinstance(data, Mapping) else None
        schema = DATA_SCHEMAS.get(business) if isinstance(business, str) else None
        if schema is None:  # the business itself is wrong or missing: reported on its own field
            return dict(value)
        return plain(schema().load(value))  # a ValidationError's messages nest under "data"


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
    return {"business": body["business"], "enterprise_type": body["enterprise_type"], "data": plain(body["data"])}


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
