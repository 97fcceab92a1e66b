"""marshmallow fields and the request schema base with Chinese messages; unknown fields are refused.

The gateway's request schemas and the wire contracts the kit declares (``xjkit.filing_data``) are
built from these, so a field refuses a value with the same words wherever it is checked.
"""
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from xjkit.validators import check_id_card, check_mobile, normalize_id_card

COMMON_MESSAGES = {
    "required": "此字段为必填项",
    "null": "此字段不能为空",
    "validator_failed": "取值无效",
}


class RequestSchema(Schema):
    """What a client sends: every field declared, any other refused (nobody sets ``status`` or
    ``uscc`` themselves)."""

    class Meta:
        unknown = RAISE

    error_messages = {
        "unknown": "不允许提交此字段",
        "type": "请求体应为JSON对象",
    }


def _messages(**specific):
    return {**COMMON_MESSAGES, **specific}


class Str(fields.String):
    default_error_messages = _messages(invalid="应为字符串", invalid_utf8="不是有效的UTF-8字符串")


class Int(fields.Integer):
    default_error_messages = _messages(invalid="应为整数", too_large="数值过大")


class Bool(fields.Boolean):
    default_error_messages = _messages(invalid="应为true或false")


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Date(fields.Date):
    """Exactly YYYY-MM-DD (fromisoformat alone would also take 20240105 or 2024-W01-1)."""

    default_error_messages = _messages(invalid="日期格式应为YYYY-MM-DD", format="日期格式应为YYYY-MM-DD")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Nested(fields.Nested):
    default_error_messages = _messages(type="应为JSON对象")


class List(fields.List):
    default_error_messages = _messages(invalid="应为数组")


class Dict(fields.Dict):
    default_error_messages = _messages(invalid="应为JSON对象")


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
            raise ValidationError(COMMON_MESSAGES["required"])
        if len(text) > self.maximum:
            raise ValidationError(f"长度不能超过{self.maximum}个字符")
        return text


class _CheckedString(Str):
    """A string normalised, then checked by one of the kit's validators."""

    normalize = staticmethod(lambda value: value)
    check = staticmethod(lambda value: None)

    def _deserialize(self, value, attr, data, **kwargs):
        text = self.normalize(super()._deserialize(value, attr, data, **kwargs))
        problem = self.check(text)
        if problem:
            raise ValidationError(problem)
        return text


class IdCardNo(_CheckedString):
    """居民身份证号码 (GB 11643)."""

    normalize = staticmethod(normalize_id_card)
    check = staticmethod(check_id_card)


class Mobile(_CheckedString):
    normalize = staticmethod(lambda value: value.strip())
    check = staticmethod(check_mobile)


def length(minimum=None, maximum=None):
    if minimum and maximum:
        text = f"长度应为{minimum}到{maximum}个字符"
    elif maximum:
        text = f"长度不能超过{maximum}个字符"
    else:
        text = f"长度不能少于{minimum}个字符"
    return validate.Length(min=minimum, max=maximum, error=text)


def one_of(choices, labels=None):
    shown = "、".join(labels or choices)
    return validate.OneOf(choices, error=f"取值应为：{shown}")


def value_range(minimum=None, maximum=None):
    if minimum is not None and maximum is not None:
        text = f"取值应在{minimum}到{maximum}之间"
    elif minimum is not None:
        text = f"取值不能小于{minimum}"
    else:
        text = f"取值不能大于{maximum}"
    return validate.Range(min=minimum, max=maximum, error=text)


def field_paths(messages, prefix=""):
    """marshmallow's nested messages as flat field paths (``basic.contact_phone``,
    ``attachments.1``; a schema-level message takes the path of its schema), as API.md reports them."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for name, texts in field_paths(value, path).items():
                flat.setdefault(name, []).extend(texts)
    elif isinstance(messages, (list, tuple)) and not all(isinstance(item, str) for item in messages):
        for item in messages:
            for name, texts in field_paths(item, prefix).items():
                flat.setdefault(name, []).extend(texts)
    else:
        texts = list(messages) if isinstance(messages, (list, tuple)) else [str(messages)]
        flat.setdefault(prefix or "_schema", []).extend(texts)
    return flat
