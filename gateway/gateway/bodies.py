"""What a request body may be: small JSON everywhere, 10 MiB only where a file is uploaded, and
never so deeply nested that parsing it costs the gateway its stack.

- ``body_limit(n)`` marks a view (a MethodView class or a function) with its own limit; every
  other route takes ``JSON_BODY_LIMIT``. ``init_app`` checks ``Content-Length`` before anything
  reads the body and sets ``request.max_content_length``, so a chunked body is cut off at the
  same limit while it is read. Over the limit: 413 with the API error body.
- ``StrictJSONParser`` is the arguments parser of every blueprint (``gateway.blueprint``): JSON
  that is malformed, not UTF-8, or nested deeper than ``MAX_JSON_DEPTH`` is 400
  ``MALFORMED_REQUEST``, never a 500 with a traceback.
"""
import json

from flask import current_app, request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import RequestEntityTooLarge

JSON_BODY_LIMIT = 64 * 1024
UPLOAD_BODY_LIMIT = 10 * 1024 * 1024 + 64 * 1024  # a 10 MiB file plus its multipart envelope
MAX_JSON_DEPTH = 32
LIMIT_ATTRIBUTE = "xj_body_limit"


def body_limit(max_bytes):
    """Decorate a view (class or function) with the largest body it accepts."""
    def mark(view):
        setattr(view, LIMIT_ATTRIBUTE, max_bytes)
        return view
    return mark


def limit_of(endpoint):
    view = current_app.view_functions.get(endpoint) if endpoint else None
    for owner in (getattr(view, "view_class", None), view):
        limit = getattr(owner, LIMIT_ATTRIBUTE, None)
        if limit is not None:
            return limit
    return JSON_BODY_LIMIT


def check_body_size():
    limit = limit_of(request.endpoint)
    request.max_content_length = limit  # also bounds a chunked body while it is read
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()  # the error handler writes the API body for this route's limit


def init_app(app):
    app.before_request(check_body_size)


def nesting_depth(value):
    """How deep lists and objects nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class StrictJSONParser(FlaskParser):
    """webargs' Flask parser, refusing JSON nested deeper than MAX_JSON_DEPTH (and JSON so deep
    that Python's own parser gives up) as malformed."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        if req.content_length is None and req.max_content_length and len(data) >= req.max_content_length:
            raise RequestEntityTooLarge()  # a chunked body the stream cut off at the limit
        # webargs reads a decode error of an empty document as "no body": name the body instead
        try:
            value = core.parse_json(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deep", "<body>", 0) from None
        if nesting_depth(value) > MAX_JSON_DEPTH:
            raise json.JSONDecodeError(f"nested deeper than {MAX_JSON_DEPTH}", "<body>", 0)
        return value
