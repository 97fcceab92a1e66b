"""What an enterprise (entered kinds) or a person (titles) must give for a certificate, checked
field by field with Chinese messages."""
import datetime

from xjkit.errors import ValidationFailed

from certs.domain.certificate import (
    POST, POSTS, SAFETY, SAFETY_CATEGORIES, SPECIAL_OPERATION, TECH_WORKER, TECH_WORKER_LEVELS, TITLE_LEVELS,
)

MAX_TEXT = 100
REQUIRED = "此字段为必填项"


def _text(fields, name, errors, required=True, choices=None, maximum=MAX_TEXT):
    value = fields.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = [REQUIRED]
        return None
    if not isinstance(value, str):
        errors[name] = ["应为字符串"]
        return None
    value = value.strip()
    if choices and value not in choices:
        errors[name] = ["取值应为：" + "、".join(choices)]
    elif len(value) > maximum:
        errors[name] = [f"长度不能超过{maximum}个字符"]
    return value


def _date(fields, name, errors, required=True):
    value = fields.get(name)
    if value in (None, ""):
        if required:
            errors[name] = [REQUIRED]
        return None
    try:
        parsed = datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        errors[name] = ["日期格式应为YYYY-MM-DD"]
        return None
    return parsed.isoformat()


# kind → (the type field's choices or None for free text, level choices, is valid_until required)
ENTERED_RULES = {
    TECH_WORKER: {"type_label": "工种", "type_choices": None, "levels": TECH_WORKER_LEVELS, "valid_until": False},
    SPECIAL_OPERATION: {"type_label": "作业类别", "type_choices": None, "levels": None, "valid_until": True},
    POST: {"type_label": "岗位", "type_choices": POSTS, "levels": None, "valid_until": False},
    SAFETY: {"type_label": "类别", "type_choices": None, "levels": SAFETY_CATEGORIES, "valid_until": True},
}
ALLOWED_ENTERED_FIELDS = {"type", "level", "cert_no", "issuer", "issued_on", "valid_until"}


def validated_entry(kind, fields, today):
    """The checked fields of a certificate the enterprise enters (kind is one of ENTERED_RULES)."""
    rules = ENTERED_RULES[kind]
    errors = {}
    unknown = set(fields) - ALLOWED_ENTERED_FIELDS
    for name in sorted(unknown):
        errors[name] = ["不允许提交此字段"]
    entry = {
        "cert_no": _text(fields, "cert_no", errors, maximum=50),
        "issuer": _text(fields, "issuer", errors),
        "issued_on": _date(fields, "issued_on", errors, required=False),
        "valid_until": _date(fields, "valid_until", errors, required=rules["valid_until"]),
        "level": _text(fields, "level", errors, required=rules["levels"] is not None, choices=rules["levels"])
        if rules["levels"] else None,
    }
    if kind == SAFETY:
        entry["type"] = f"安全生产考核合格证书（{entry['level']}类）" if entry["level"] else None
        if "type" in fields:
            errors["type"] = ["安管人员证书的类型由类别（A/B/C）决定，不需提交"]
    else:
        entry["type"] = _text(fields, "type", errors, choices=rules["type_choices"], maximum=50)
    if rules["levels"] is None and fields.get("level") is not None:
        errors["level"] = ["此类证书没有等级"]
    _check_dates(entry, today, errors)
    if errors:
        raise ValidationFailed(errors)
    return entry


TITLE_FIELDS = {"name", "level", "specialty", "cert_no", "issued_on", "issuer", "file_id"}


def validated_title(fields, today):
    errors = {}
    for name in sorted(set(fields) - TITLE_FIELDS):
        errors[name] = ["不允许提交此字段"]
    entry = {
        "type": _text(fields, "name", errors, maximum=50),
        "level": _text(fields, "level", errors, choices=TITLE_LEVELS),
        "specialties": [],
        "cert_no": _text(fields, "cert_no", errors, maximum=50),
        "issued_on": _date(fields, "issued_on", errors),
        "issuer": _text(fields, "issuer", errors),
        "file_id": _text(fields, "file_id", errors, required=False, maximum=64),
    }
    specialty = _text(fields, "specialty", errors, maximum=50)
    if specialty:
        entry["specialties"] = [specialty]
    _check_dates(entry, today, errors)
    if errors:
        raise ValidationFailed(errors)
    return entry


def _check_dates(entry, today, errors):
    issued, until = entry.get("issued_on"), entry.get("valid_until")
    if issued and issued > today.isoformat():
        errors.setdefault("issued_on", []).append("发证日期不能晚于今天")
    if issued and until and until <= issued:
        errors.setdefault("valid_until", []).append("有效期截止日期应晚于发证日期")
