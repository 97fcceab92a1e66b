"""The wire contract of each filing business's ``data`` (进疆信息报送): its fields, their limits and
their Chinese messages, declared once.

filing-svc's review refuses a wrong shape with these (``validated``: 422, no case), the gateway
refuses it early with the same function (paths under ``data.``), and the gateway's OpenAPI
document describes each business's ``data`` from these schemas. Business rules (who is employed,
what the national platform says, whether a registration exists…) are the review's: they give a
kept, rejected case, never a 422.
"""
import datetime
import math
import re
from collections.abc import Mapping

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from xjkit.contract import (
    BASIC_CHANGE, COST_PROJECT, EXTENSION, FIRST_FILING, MANAGER_CHANGE, PERSONNEL_CHANGE, PERSONNEL_FILING,
    QUALIFICATION_CHANGE, TECH_MANAGER_CHANGE,
)
from xjkit.errors import ValidationFailed
from xjkit.fields import (
    COMMON_MESSAGES, Date, List, Mobile, Nested, RequestSchema, Str, Text, field_paths, length,
)

REQUIRED = COMMON_MESSAGES["required"]
NOT_AN_OBJECT = "应为JSON对象"
MAX_IDS = 500
MAX_ID_LENGTH = 64
BSON_INT_MAX = 2 ** 63 - 1  # the store keeps 64-bit integers: a larger amount could not be kept
TOO_LARGE = "数值过大"

SYNC_REQUIRED = "首次报送须同步全国平台资质（应为true）"
CAPITAL_INVALID = "注册资本（万元）应为大于0的数字"
AMOUNT_INVALID = "合同金额应为大于0的整数（单位：分）"
LOCATION_INVALID = "项目所在地应为新疆的6位行政区划代码（65或66开头）"
SERVICE_END_NOT_AFTER_START = "服务结束日期应晚于开始日期"
BASIC_CHANGE_EMPTY = "请提交要变更的基本信息"
PERSONNEL_CHANGE_EMPTY = "请提交要增加或移除的证书"
ADD_AND_REMOVE = "同一证书不能既增加又移除"
DUPLICATE_IDS = "不能有重复项"


# --- fields --------------------------------------------------------------------------------------

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

    error_messages = {**RequestSchema.error_messages, "type": NOT_AN_OBJECT}


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
    else:
        @post_load
        def every_field_named(self, data, **kwargs):
            """A registration's basic information names every field; the office address may be null."""
            return {**data, "xj_office_address": data.get("xj_office_address")}
        attributes["every_field_named"] = every_field_named
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


def plain(value):
    """Validated data as plain JSON: dates back to the ISO strings they were given as."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def validated(business, data):
    """``data`` of ``business`` (one of ``DATA_SCHEMAS``) checked, trimmed and as plain JSON, or
    ``ValidationFailed`` naming every wrong field by its path inside ``data`` (``basic.contact_phone``)."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"data": [NOT_AN_OBJECT]})
    try:
        return plain(DATA_SCHEMAS[business]().load(data))
    except ValidationError as error:
        raise ValidationFailed(field_paths(error.messages)) from None
