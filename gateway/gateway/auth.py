"""Session tokens: signed JWTs that say who the caller is, in which role, and which server-side
session (``sid``, kept by identity-svc) they belong to.

A request's token must verify (signature, issuer, expiry), and its session must still run
(``gateway.sessions``: logout, idle timeout, absolute lifetime, revoked certificate all end it,
401 SESSION_ENDED). Person tokens work only on ``/mp``, enterprise tokens only on ``/ent`` (403
otherwise). The token expires with its session's absolute lifetime.
"""
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


class TokenMissing(Unauthorized, code="TOKEN_MISSING", message="请先登录"): ...


class TokenInvalid(Unauthorized, code="TOKEN_INVALID", message="登录凭证无效或已过期，请重新登录"): ...


class WrongRole(Forbidden, code="WRONG_ROLE", message="当前登录身份无权访问此接口"): ...


def issue_token(role, subject, session, extra=None, now=None):
    """The token of a session identity-svc started (``session``: its ``session_id`` and absolute
    ``expires_at``). Tokens live in real time, never on the business clock (XJ_FAKE_NOW must not
    mint or expire them)."""
    now = now or SystemClock().now()
    expires_at = session["expires_at"]
    claims = {**(extra or {}), "iss": ISSUER, "role": role, "sub": subject, "sid": session["session_id"],
              "iat": int(now.timestamp()), "exp": int(expires_at.timestamp())}
    token = jwt.encode(claims, current_app.config["XJ_TOKEN_KEY"], algorithm=ALGORITHM)
    return token, expires_at


def _claims_from_request():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenMissing()
    try:
        # expiry is checked against real time: tokens are not part of the business clock
        claims = jwt.decode(token.strip(), current_app.config["XJ_TOKEN_KEY"], algorithms=[ALGORITHM],
                            issuer=ISSUER, options={"require": ["exp", "sub", "role", "sid"]})
    except jwt.PyJWTError:
        raise TokenInvalid()
    if not isinstance(claims.get("sid"), str) or not isinstance(claims.get("sub"), str):
        raise TokenInvalid()
    return claims


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
            # the session first: a token whose session ended is dead, whatever the route
            current_app.extensions["xj_sessions"].check(claims, current_app.extensions["xj_rpc"])
            if claims.get("role") != role:
                raise WrongRole()
            g.claims = claims
            g.subject = claims["sub"]
            return view(*args, **kwargs)
        return wrapper
    return decorator


person_required = role_required(PERSON)
enterprise_required = role_required(ENTERPRISE)
