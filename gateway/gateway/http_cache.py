"""HTTP caching of the public API (API.md "Public": cacheable with ETag).

A view marked with ``@cacheable(max_age)`` answers 200 with

- a strong ``ETag``: the one the view set (the public cache's, from the read model's version:
  ``gateway.public_cache``), else the quoted SHA-256 of the body, so the same answer always has
  the same tag and any change of the answer gives another;
- ``Cache-Control: public, max-age=<max_age>`` and ``Vary: Accept-Encoding``;

and ``304 Not Modified`` without a body (but with the same ``ETag``, ``Cache-Control`` and
``Vary``) when the request's ``If-None-Match`` matches: a list of tags, ``*``, and weak tags
(``W/"…"``) are understood, compared weakly as RFC 9110 §13.1.2 requires for ``If-None-Match``.
Errors (4xx/5xx) are never cached: ``Cache-Control: no-store``.

``init_blueprint(blp)`` installs this as the blueprint's after-request hook.
"""
import functools
import hashlib

from flask import Response, g, request
from werkzeug.http import parse_etags

CACHEABLE_METHODS = ("GET", "HEAD")
NO_STORE = "no-store"
# headers a 304 keeps (RFC 9110 §15.4.5); everything describing the body goes
KEPT_ON_304 = frozenset(("etag", "cache-control", "vary", "expires", "content-location", "date"))


def cacheable(max_age):
    """Mark a view's successful answers as publicly cacheable for ``max_age`` seconds."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.xj_cache_max_age = max_age
            return view(*args, **kwargs)
        return wrapper
    return decorate


def strong_etag(body: bytes) -> str:
    return '"%s"' % hashlib.sha256(body).hexdigest()


def if_none_match_matches(header, etag) -> bool:
    """Does an ``If-None-Match`` header value match ``etag`` (weak comparison, ``*``, lists)?"""
    if not header:
        return False
    tags = parse_etags(header)
    return tags.contains_weak(etag.strip('"'))


def apply(response):
    """The after-request hook: ETag/304 and cache headers for marked views, no-store for errors."""
    if response.status_code >= 400:
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("ETag", None)
        return response
    max_age = g.get("xj_cache_max_age")
    if max_age is None or response.status_code != 200 or request.method not in CACHEABLE_METHODS \
            or response.is_streamed:
        return response
    etag = response.headers.get("ETag") or strong_etag(response.get_data())
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={int(max_age)}"
    response.vary.add("Accept-Encoding")
    if if_none_match_matches(request.headers.get("If-None-Match"), etag):
        return not_modified(response)
    return response


def not_modified(response):
    response.status_code = 304
    response.set_data(b"")
    for name in {name for name in response.headers.keys() if name.lower() not in KEPT_ON_304}:
        del response.headers[name]
    return response


def cached_response(body, etag, max_age):
    """A 200 of ready JSON bytes with its ETag (``apply`` adds the cache headers, or 304)."""
    response = Response(body, status=200, mimetype="application/json")
    response.headers["ETag"] = etag
    return response


def not_modified_response(etag, max_age):
    """304 for a client that holds ``etag``, decided before any answer was built."""
    response = Response(status=304)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={int(max_age)}"
    response.vary.add("Accept-Encoding")
    return response


def init_blueprint(blp):
    blp.after_request(apply)
    return blp
