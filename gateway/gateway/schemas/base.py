"""Schemas and fields with Chinese messages; unknown fields are refused (422).

Every request schema derives from ``RequestSchema`` so nobody can set fields such as
``status`` or ``uscc`` themselves.
"""
import datetime
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from xjkit.clock import SHANGHAI
from xjkit.validators import (
    check_id_card, check_mobile, check_uscc, normalize_id_card, normalize_uscc,
)

COMMON_MESSAGES = {
    "required": "此字段为必填项",
    "null": "此字段不能为空",
    "validator_failed": "取值无效",
}


class RequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {
        "unknown": "不允许提交此字段",
        "type": "请求体应为JSON对象",
    }


class ResponseSchema(Schema):
    """Responses only dump what they declare."""


class ErrorBody(Schema):
    """The body of every error (API.md "Conventions"); documents the OpenAPI ``Error`` component,
    so a client (or schemathesis) can check every error response against it."""

    class Meta:
        unknown = RAISE

    code = fields.Integer(required=True, metadata={"description": "HTTP 状态码"})
    error = fields.String(required=True, metadata={"description": "稳定的错误代码，如 VALIDATION_FAILED"})
    message = fields.String(required=True, metadata={"description": "中文说明"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "按字段路径列出的中文错误"})


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


class DateTime(fields.DateTime):
    """Instants leave the API in Asia/Shanghai with the offset (+08:00), to the second."""

    default_error_messages = _messages(invalid="时间格式应为ISO 8601", format="时间格式应为ISO 8601")

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(SHANGHAI).replace(microsecond=0)
        return super()._serialize(value, attr, obj, **kwargs)


class Nested(fields.Nested):
    default_error_messages = _messages(type="应为JSON对象")


class List(fields.List):
    default_error_messages = _messages(invalid="应为数组")


class Dict(fields.Dict):
    default_error_messages = _messages(invalid="应为JSON对象")


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


class Uscc(_CheckedString):
    """统一社会信用代码 (GB 32100, with the GB 11714 body check)."""

    normalize = staticmethod(normalize_uscc)
    check = staticmethod(check_uscc)


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


class PageQuery(RequestSchema):
    """?page=1&per_page=20 (at most 100), as API.md's list convention says."""

    page = Int(load_default=1, validate=value_range(1, 100000))
    per_page = Int(load_default=20, validate=value_range(1, 100))


def page_of(item_schema):
    """A response schema {"items": [...], "total", "page", "per_page"} for ``item_schema``."""
    return type(f"{item_schema.__name__}Page", (ResponseSchema,), {
        "items": List(Nested(item_schema)), "total": Int(), "page": Int(), "per_page": Int(),
    })
