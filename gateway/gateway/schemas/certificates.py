"""Schemas of personnel certificates (人员证书): entries by the enterprise, titles by the person.

The gateway checks what each kind requires (as cert-svc's ``entries.py`` does) so a bad entry is
refused with field paths before any RPC; the service checks again and decides everything that
needs the clock or the store (issued_on not after today, duplicates, employment).
"""

from marshmallow import ValidationError, validates_schema

from xjkit.contract import (  # noqa: F401  (schemas name the kinds from here)
    CERTIFICATE_KIND_LABELS, CERTIFICATE_KINDS, ENTERED_KINDS, POST, REGISTERED, SAFETY, SPECIAL_OPERATION,
    TECH_WORKER, TITLE,
)

from gateway.schemas.base import (
    COMMON_MESSAGES, Bool, Date, DateTime, Int, List, Nested, PageQuery, RequestSchema, ResponseSchema, Str, length,
    one_of, page_of,
)

KINDS = CERTIFICATE_KINDS
KIND_LABELS = CERTIFICATE_KIND_LABELS

STATUSES = ("valid", "expired", "detached", "pending_confirmation", "confirmed", "revoked")
SOURCES = ("national", "enterprise", "person")

# the closed choices, as cert-svc's certs.domain.certificate has them
TECH_WORKER_LEVELS = ("初级工", "中级工", "高级工", "技师", "高级技师")
POSTS = ("施工员", "质量员", "安全员", "标准员", "材料员", "机械员", "劳务员", "资料员")
SAFETY_CATEGORIES = ("A", "B", "C")
TITLE_LEVELS = ("初级", "中级", "副高级", "正高级")

# kind → what it requires besides cert_no and issuer (cert-svc's ENTERED_RULES)
ENTERED_RULES = {
    TECH_WORKER: {"type": True, "type_choices": None, "levels": TECH_WORKER_LEVELS, "valid_until": False},
    SPECIAL_OPERATION: {"type": True, "type_choices": None, "levels": None, "valid_until": True},
    POST: {"type": True, "type_choices": POSTS, "levels": None, "valid_until": False},
    SAFETY: {"type": False, "type_choices": None, "levels": SAFETY_CATEGORIES, "valid_until": True},
}
ENTERED_FIELDS = ("type", "level", "cert_no", "issuer", "issued_on", "valid_until")

REQUIRED = COMMON_MESSAGES["required"]
SAFETY_TYPE_REFUSED = "安管人员证书的类型由类别（A/B/C）决定，不需提交"
NO_LEVEL = "此类证书没有等级"
VALID_UNTIL_NOT_AFTER_ISSUED = "有效期截止日期应晚于发证日期"
KIND_REFUSED = {
    REGISTERED: "注册证书由全国建筑市场监管公共服务平台同步获取（POST /api/v1/ent/certificates/sync），不能手工录入",
    TITLE: "职称证书由本人在小程序登记，再由单位确认（POST /api/v1/ent/certificates/{id}/confirm），不能由单位录入",
}


def _choices_text(choices):
    return "取值应为：" + "、".join(choices)


class Text(Str):
    """Free text, trimmed; blank counts as missing (as in cert-svc)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError(REQUIRED)
        return text



def _entered_kind(value):
    if value in KIND_REFUSED:
        raise ValidationError(KIND_REFUSED[value])
    if value not in ENTERED_KINDS:
        raise ValidationError(_choices_text(f"{kind}（{KIND_LABELS[kind]}）" for kind in ENTERED_KINDS))


class EntryRequest(RequestSchema):
    """A certificate the enterprise enters for one of its staff; the body is flat."""

    person_id = Str(required=True, validate=length(1, 64))
    kind = Str(required=True, validate=_entered_kind, metadata={
        "enum": list(ENTERED_KINDS), "description": "tech_worker 技术工人 · special_operation 特种作业 · "
                                                    "post 岗位/现场管理人员 · safety 安管人员（A/B/C）"})
    type = Text(allow_none=True, validate=length(1, 50), metadata={
        "description": "技术工人：工种；特种作业：作业类别；岗位人员：岗位（" + "、".join(POSTS) + "）；安管人员不提交"})
    level = Text(allow_none=True, metadata={
        "description": "技术工人：" + "、".join(TECH_WORKER_LEVELS) + "；安管人员：A、B、C；其他类别不提交"})
    cert_no = Text(required=True, validate=length(1, 50))
    issuer = Text(required=True, validate=length(1, 100))
    issued_on = Date(allow_none=True)
    valid_until = Date(allow_none=True, metadata={"description": "特种作业、安管人员必填"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def check_kind_requirements(self, data, original_data, **kwargs):
        rules = ENTERED_RULES.get(data.get("kind"))
        if rules is None:  # the kind itself is wrong or missing: already reported
            return
        errors = {}

        def missing(name):
            # absent or null; a value that failed its own check is already reported
            return original_data.get(name) is None

        if rules["type"]:
            if missing("type"):
                errors["type"] = [REQUIRED]
            elif rules["type_choices"] and "type" in data and data["type"] not in rules["type_choices"]:
                errors["type"] = [_choices_text(rules["type_choices"])]
        elif "type" in original_data:
            errors["type"] = [SAFETY_TYPE_REFUSED]

        if rules["levels"]:
            if missing("level"):
                errors["level"] = [REQUIRED]
            elif "level" in data and data["level"] not in rules["levels"]:
                errors["level"] = [_choices_text(rules["levels"])]
        elif original_data.get("level") is not None:
            errors["level"] = [NO_LEVEL]

        if rules["valid_until"] and missing("valid_until"):
            errors["valid_until"] = [REQUIRED]
        issued, until = data.get("issued_on"), data.get("valid_until")
        if issued and until and until <= issued:
            errors.setdefault("valid_until", []).append(VALID_UNTIL_NOT_AFTER_ISSUED)
        if errors:
            raise ValidationError(errors)


def entry_fields(body):
    """The kind's fields as cert-svc's ``add_certificate`` takes them (dates as ISO strings)."""
    fields = {}
    for name in ENTERED_FIELDS:
        value = body.get(name)
        if value is not None:
            fields[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return fields


class TitleRequest(RequestSchema):
    """A title certificate (职称) the person registers, or corrects after the employer revoked it."""

    name = Text(required=True, validate=length(1, 50), metadata={"description": "职称名称，如“工程师”"})
    level = Str(required=True, validate=one_of(TITLE_LEVELS))
    specialty = Text(required=True, validate=length(1, 50))
    cert_no = Text(required=True, validate=length(1, 50))
    issued_on = Date(required=True, metadata={"description": "不能晚于今天"})
    issuer = Text(required=True, validate=length(1, 100))
    file_id = Str(allow_none=True, validate=length(1, 64), metadata={"description": "证书扫描件的文件编号（可选）"})


def title_fields(body):
    """The validated title body as cert-svc's ``register_title``/``reregister_title`` take it."""
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in body.items() if value is not None}


class CertificateListQuery(PageQuery):
    kind = Str(validate=one_of(KINDS))
    person_id = Str(validate=length(1, 64))


class CertificateSchema(ResponseSchema):
    id = Str()
    kind = Str(metadata={"enum": list(KINDS)})
    enterprise_uscc = Str()
    person_id = Str()
    person_name = Str()
    id_card_masked = Str(metadata={"example": "510104********1234"})
    cert_no = Str()
    type = Str(allow_none=True)
    specialties = List(Str())
    level = Str(allow_none=True)
    issuer = Str(allow_none=True)
    issued_on = Str(allow_none=True, metadata={"format": "date"})
    valid_until = Str(allow_none=True, metadata={"format": "date"})
    status = Str(metadata={"enum": list(STATUSES)})
    filed = Bool()
    source = Str(metadata={"enum": list(SOURCES)})
    synced_at = DateTime(allow_none=True)
    file_id = Str(allow_none=True)


CertificatePage = page_of(CertificateSchema)


class PersonCertificateList(ResponseSchema):
    items = List(Nested(CertificateSchema))


class SyncRefusal(ResponseSchema):
    cert_no = Str()
    person_id = Str(allow_none=True)
    person_name = Str(allow_none=True)
    type = Str(allow_none=True)
    reason = Str()


class SyncMissing(ResponseSchema):
    cert_no = Str()
    person_id = Str(allow_none=True)


class SyncResult(ResponseSchema):
    added = List(Nested(CertificateSchema))
    updated = List(Nested(CertificateSchema))
    unchanged = Int()
    refused = List(Nested(SyncRefusal))
    missing = List(Nested(SyncMissing))
    synced_at = DateTime()
