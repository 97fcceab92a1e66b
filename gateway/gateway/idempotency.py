"""The ``Idempotency-Key`` header of POSTs, checked here and honoured by the service that acts."""
import re

from flask import current_app, request

from xjkit.errors import DomainError
from xjkit.idempotency import fingerprint_key, request_fingerprint

EXTENSION = "xj_fingerprint_key"

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


class IdempotencyKeyInvalid(DomainError, code="IDEMPOTENCY_KEY_INVALID", status=400, message="Idempotency-Key 格式无效（1到128位字母、数字或 _ . : -）"): ...


def init_app(app):
    """The body-fingerprint key, derived once from the gateway's secret (XJ_TOKEN_KEY)."""
    app.extensions[EXTENSION] = fingerprint_key(app.config["XJ_TOKEN_KEY"])


def idempotency_of(body):
    """RPC keyword arguments: the client's key (or None) and the keyed fingerprint of the validated body."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not KEY_PATTERN.match(key):
        raise IdempotencyKeyInvalid()
    return {"idempotency_key": key,
            "request_fingerprint": request_fingerprint(body, current_app.extensions[EXTENSION])}
