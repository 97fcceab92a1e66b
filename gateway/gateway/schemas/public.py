"""Schemas of the public API (API.md "Public"): 进疆企业信息公示 for anyone, no login.

Queries are checked here, so a bad one is a 422 with field paths and reaches no service.
Responses declare only public fields: a person shows as a name and a masked ID number
(``id_card_masked``), an enterprise's basic information has no contact phone at all. A field
that is not declared is never dumped, so whatever else a service hands over (a full ID number, a
phone) cannot leave the gateway; and a "masked" value that arrives unmasked is masked here.
"""
from marshmallow import fields

from xjkit.masking import MASK, mask_id_card

from gateway.schemas.base import (
    Bool, Int, List, Nested, PageQuery, RequestSchema, ResponseSchema, Str, Text, one_of, value_range,
)
from gateway.schemas.filings import ENTERPRISE_TYPES, Instant, IsoDate

MAX_Q = 100
MAX_QUALIFICATION = 100
MAX_CURSOR = 64
FEED_LIMIT_MAX = 500
FEED_LIMIT_DEFAULT = 100
CHANGES = ("upsert", "remove")
TYPE_LABELS = [f"{key}（{label}）" for key, label in ENTERPRISE_TYPES.items()]


# --- queries -------------------------------------------------------------------------------------

class EnterpriseSearchQuery(PageQuery):
    q = Text(MAX_Q, optional=True, metadata={"description": "企业名称（包含即可）或统一社会信用代码"})
    enterprise_type = Str(validate=one_of(list(ENTERPRISE_TYPES), TYPE_LABELS),
                          metadata={"enum": list(ENTERPRISE_TYPES), "description": "；".join(TYPE_LABELS)})
    qualification = Text(MAX_QUALIFICATION, optional=True, metadata={"description": "资质名称"})


class FeedQuery(RequestSchema):
    since = Text(MAX_CURSOR, optional=True, metadata={
        "description": "上次响应的 next（不透明的游标）；省略则从头开始"})
    limit = Int(load_default=FEED_LIMIT_DEFAULT, validate=value_range(1, FEED_LIMIT_MAX),
                metadata={"description": f"本次最多返回的变更数（1到{FEED_LIMIT_MAX}，默认{FEED_LIMIT_DEFAULT}）"})


# --- fields --------------------------------------------------------------------------------------

class MaskedIdCard(Str):
    """An ID number as the public sees it (``510104********1234``). The service already masks it;
    a value arriving with no mask at all is masked here rather than shown whole."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, metadata={"example": "510104********1234", "description": "已脱敏",
                                                    **kwargs.pop("metadata", {})}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value in (None, ""):
            return None
        text = str(value)
        return text if MASK in text else mask_id_card(text)


# --- responses -----------------------------------------------------------------------------------

class PublicRegistrationBrief(ResponseSchema):
    enterprise_type = Str(metadata={"enum": list(ENTERPRISE_TYPES)})
    enterprise_type_label = Str()
    valid_until = IsoDate()


class PublicEnterpriseSummary(ResponseSchema):
    uscc = Str()
    name = Str()
    enterprise_types = List(Str(metadata={"enum": list(ENTERPRISE_TYPES)}),
                            metadata={"description": "有效进疆登记的企业类型"})
    registrations = List(Nested(PublicRegistrationBrief), metadata={"description": "有效的进疆登记"})
    qualifications = List(Str(), metadata={"description": "资质名称"})
    personnel_count = Int(metadata={"description": "已报送人员数"})
    updated_at = Instant()


class PublicEnterprisePage(ResponseSchema):
    items = List(Nested(PublicEnterpriseSummary))
    total = Int()
    page = Int()
    per_page = Int()
    as_of = IsoDate(metadata={"description": "按哪一天判断登记是否有效"})


class PublicBasic(ResponseSchema):
    """Public basic information: no contact name or phone."""

    name = Str()
    legal_representative = Str(allow_none=True)
    registered_address = Str(allow_none=True)
    registered_capital_wan = fields.Raw(allow_none=True, metadata={"type": "number", "description": "注册资本（万元）"})
    established_on = IsoDate()
    xj_office_address = Str(allow_none=True, metadata={"description": "驻疆办公地址"})


class PublicPerson(ResponseSchema):
    name = Str()
    id_card_masked = MaskedIdCard()


class PublicQualification(ResponseSchema):
    cert_no = Str(allow_none=True)
    name = Str()
    grade = Str(allow_none=True)
    issuer = Str(allow_none=True)
    expires_on = IsoDate()


class PublicPersonnel(ResponseSchema):
    person_name = Str()
    id_card_masked = MaskedIdCard()
    kind = Str(allow_none=True)
    type = Str(allow_none=True)
    cert_no = Str(allow_none=True)
    specialties = List(Str(), allow_none=True)
    valid_until = IsoDate()


class PublicCostProject(ResponseSchema):
    project_name = Str()
    location_code = Str()
    client_name = Str()
    contract_amount_fen = Int(allow_none=True, metadata={"description": "合同金额（分）"})
    service_start = IsoDate()
    service_end = IsoDate()
    lead_person_name = Str(allow_none=True, metadata={"description": "项目负责人"})


class PublicRegistration(ResponseSchema):
    enterprise_type = Str(metadata={"enum": list(ENTERPRISE_TYPES)})
    enterprise_type_label = Str()
    valid_until = IsoDate()
    approved_at = Instant(allow_none=True)
    basic = Nested(PublicBasic)
    manager = Nested(PublicPerson, allow_none=True, metadata={"description": "进疆负责人"})
    tech_manager = Nested(PublicPerson, allow_none=True, metadata={"description": "进疆技术负责人"})
    qualifications = List(Nested(PublicQualification))
    personnel = List(Nested(PublicPersonnel), metadata={"description": "已报送人员（身份证号码脱敏）"})
    cost_projects = List(Nested(PublicCostProject), metadata={"description": "承揽业务备案（造价咨询）"})
    booklet_no = Str(allow_none=True, metadata={"description": "当前报送册编号"})


class PublicEnterpriseDetail(ResponseSchema):
    uscc = Str()
    name = Str()
    registrations = List(Nested(PublicRegistration), metadata={"description": "有效的进疆登记"})
    updated_at = Instant()


class FeedItem(ResponseSchema):
    uscc = Str()
    change = Str(metadata={"enum": list(CHANGES), "description": "upsert：新增或更新；remove：不再公示"})
    at = Instant()
    seq = Int()
    enterprise = Nested(PublicEnterpriseSummary, allow_none=True, metadata={"description": "remove 时为 null"})


class Feed(ResponseSchema):
    items = List(Nested(FeedItem))
    next = Str(metadata={"description": "下次请求的 since（不透明的游标）"})


class BookletVerification(ResponseSchema):
    booklet_no = Str()
    authentic = Bool(metadata={"description": "是否为本系统出具的报送册"})
    current = Bool(metadata={"description": "是否为该登记当前有效的报送册（登记变更后旧册不再当前）"})
    uscc = Str(allow_none=True)
    enterprise_name = Str(allow_none=True)
    enterprise_type = Str(allow_none=True, metadata={"enum": list(ENTERPRISE_TYPES)})
    valid_until = IsoDate()
    current_booklet_no = Str(allow_none=True)
