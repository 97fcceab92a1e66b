"""Session tokens: signed JWTs that say who the caller is and in which role.

Person tokens work only on ``/mp``, enterprise tokens only on ``/ent`` (403 otherwise).
"""
import datetime
import functools
import os

import jwt
from flask import current_app, g, request

from xjkit.clock import SystemClock
from xjkit.config import xj_env
from xjkit.errors import Forbidden, Unauthorized

PERSON = "person"
ENTERPRISE = "enterprise"
ALGORITHM = "HS256"
DEV_TOKEN_KEY = "xjcloud-dev-token-key-not-for-production-0001"
ISSUER = "xjcloud"


def token_key_from_env(environ=os.environ):
    key = environ.get("XJ_TOKEN_KEY")
    if xj_env(environ) == "prod" and (not key or key == DEV_TOKEN_KEY):
        raise RuntimeError("XJ_TOKEN_KEY must be set to a secret of at least 32 characters when XJ_ENV=prod")
    key = key or DEV_TOKEN_KEY
    if len(key) < 32:
        raise RuntimeError("XJ_TOKEN_KEY must be at least 32 characters")
    return key


class TokenMissing(Unauthorized):
    code = "TOKEN_MISSING"
    message = "请先登录"


class TokenInvalid(Unauthorized):
    code = "TOKEN_INVALID"
    message = "登录凭证无效或已过期，请重新登录"


class WrongRole(Forbidden):
    code = "WRONG_ROLE"
    message = "当前登录身份无权访问此接口"


def issue_token(role, subject, ttl_seconds, extra=None, now=None):
    """Tokens live in real time, never on the business clock (XJ_FAKE_NOW must not mint or expire them)."""
    now = now or SystemClock().now()
    expires_at = now + datetime.timedelta(seconds=ttl_seconds)
    claims = {"iss": ISSUER, "role": role, "sub": subject, "iat": int(now.timestamp()),
              "exp": int(expires_at.timestamp()), **(extra or {})}
    token = jwt.encode(claims, current_app.config["XJ_TOKEN_KEY"], algorithm=ALGORITHM)
    return token, expires_at


def _claims_from_request():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenMissing()
    try:
        # expiry is checked against real time: tokens are not part of the business clock
        return jwt.decode(token.strip(), current_app.config["XJ_TOKEN_KEY"], algorithms=[ALGORITHM],
                          issuer=ISSUER, options={"require": ["exp", "sub", "role"]})
    except jwt.PyJWTError:
        raise TokenInvalid()


def claims_or_none():
    """The verified claims of the request's bearer token, or None: for keys (rate limits) that
    must not refuse anything themselves."""
    try:
        return _claims_from_request()
    except (TokenMissing, TokenInvalid):
        return None


def role_required(role):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            claims = _claims_from_request()
            if claims.get("role") != role:
                raise WrongRole()
            g.claims = claims
            g.subject = claims["sub"]
            return view(*args, **kwargs)
        return wrapper
    return decorator


person_required = role_required(PERSON)
enterprise_required = role_required(ENTERPRISE)
