"""Every error leaves the gateway as the API.md body:
``{"code": <status>, "error": "<STABLE_CODE>", "message": "<中文>", "errors": {<field path>: [<中文>]}}``.
"""
import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from xjkit.errors import DomainError
from xjkit.fields import field_paths
from xjkit.uploads import FileTooLarge

from gateway.bodies import UPLOAD_BODY_LIMIT, limit_of

log = logging.getLogger(__name__)

HTTP_ERRORS = {
    400: ("MALFORMED_REQUEST", "请求格式错误"),
    401: ("UNAUTHORIZED", "未登录或登录已失效"),
    403: ("FORBIDDEN", "无权进行此操作"),
    404: ("NOT_FOUND", "请求的资源不存在"),
    405: ("METHOD_NOT_ALLOWED", "不支持此请求方法"),
    409: ("CONFLICT", "当前状态不允许此操作"),
    413: ("PAYLOAD_TOO_LARGE", "提交的内容过大"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "不支持的内容类型"),
    422: ("VALIDATION_FAILED", "提交的数据有误"),
    429: ("RATE_LIMITED", "请求过于频繁，请稍后再试"),
    500: ("INTERNAL_ERROR", "系统内部错误，请稍后重试"),
    503: ("SERVICE_UNAVAILABLE", "服务暂时不可用，请稍后重试"),
}

# where webargs files the errors of each part of a request: not part of a field path
LOCATIONS = ("json", "query", "form", "files", "headers", "view_args")


def error_body(status, code=None, message=None, errors=None):
    default_code, default_message = HTTP_ERRORS.get(status, ("ERROR", "请求失败"))
    body = {"code": status, "error": code or default_code, "message": message or default_message}
    if errors:
        body["errors"] = errors
    return body


def flatten_field_errors(messages):
    """webargs/marshmallow nest errors by location and field; API.md wants flat field paths."""
    if not isinstance(messages, dict):
        return field_paths(messages)
    flat = {}
    for key, value in messages.items():
        nested = value if key in LOCATIONS else {key: value}
        for path, texts in field_paths(nested).items():
            flat.setdefault(path, []).extend(texts)
    return flat


def _respond(body, headers=None):
    response = jsonify(body)
    response.status_code = body["code"]
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register_error_handlers(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        return _respond(error_body(error.status, error.code, error.message, error.errors))

    @app.errorhandler(HTTPException)
    def http_error(error):
        status = error.code or 500
        errors = None
        code = None
        message = None
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            errors = flatten_field_errors(data["messages"])
        if status == 400 and data.get("messages"):
            message = "请求体不是有效的JSON"
        if status == 413 and limit_of(request.endpoint) == UPLOAD_BODY_LIMIT:  # an upload: FILE_TOO_LARGE (API.md)
            too_large = FileTooLarge()
            code, message, errors = too_large.code, too_large.message, too_large.errors
        elif status == 413:
            code, message = "REQUEST_TOO_LARGE", f"请求体过大（不能超过{limit_of(request.endpoint) // 1024} KiB）"
        headers = dict(getattr(error, "xj_headers", None) or {})
        return _respond(error_body(status, code, message, errors), headers)

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unhandled error")
        return _respond(error_body(500))
