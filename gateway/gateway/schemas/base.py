"""Schemas and fields with Chinese messages; unknown fields are refused (422).

Every request schema derives from ``RequestSchema`` so nobody can set fields such as
``status`` or ``uscc`` themselves. The request fields are the kit's (``xjkit.fields``), shared
with the wire contracts the services check themselves (``xjkit.filing_data``).
"""
import datetime

from marshmallow import RAISE, Schema, fields

from xjkit.clock import SHANGHAI
from xjkit.fields import (  # noqa: F401  (the gateway's schemas name them from here)
    COMMON_MESSAGES, Bool, Date, Dict, IdCardNo, Int, List, Mobile, Nested, RequestSchema, Str, Text, length, one_of,
    value_range,
)


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


class DateTime(fields.DateTime):
    """Instants leave the API in Asia/Shanghai with the offset (+08:00), to the second."""

    default_error_messages = {**COMMON_MESSAGES, "invalid": "时间格式应为ISO 8601", "format": "时间格式应为ISO 8601"}

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(SHANGHAI).replace(microsecond=0)
        return super()._serialize(value, attr, obj, **kwargs)


class PageQuery(RequestSchema):
    """?page=1&per_page=20 (at most 100), as API.md's list convention says."""

    page = Int(load_default=1, validate=value_range(1, 100000))
    per_page = Int(load_default=20, validate=value_range(1, 100))


def page_of(item_schema):
    """A response schema {"items": [...], "total", "page", "per_page"} for ``item_schema``."""
    return type(f"{item_schema.__name__}Page", (ResponseSchema,), {
        "items": List(Nested(item_schema)), "total": Int(), "page": Int(), "per_page": Int(),
    })
