"""Who is calling: RPC callers signed in nameko's context data, for RPCs only some may call.

Anything that can publish on the broker can address any RPC. Most RPCs are harmless to call
(they check their own arguments and the gateway decides who the user is), but a few return
plaintext ID numbers (``identity.id_cards_of``) or wipe data (``publicity.clear``). Those
declare the services allowed to call them (``@rpc(callers=("cert",))``), and a call counts
only when it carries the caller's name signed with the shared RPC key (``XJ_RPC_KEY``):

    xj_caller=cert  xj_caller_at=<unix seconds>  xj_caller_sig=HMAC-SHA256(key, "cert|identity.id_cards_of|<at>")

The signature binds the routing key and a timestamp (valid ``MAX_SKEW_SECONDS`` either way, by
the wall clock), so a captured header cannot be used for another RPC, or for long. Every
service's ``TimedRpcProxy`` signs as the service; operations tools sign as ``ops`` through
``SignedClusterRpcProxy``. The trust boundary is documented in docs/security.md.
"""
import hashlib
import hmac
import os
import time

from nameko.standalone.rpc import ClusterRpcProxy

from xjkit.config import is_dev_or_test

CALLER, CALLER_AT, CALLER_SIG = "xj_caller", "xj_caller_at", "xj_caller_sig"
MAX_SKEW_SECONDS = 60
MIN_KEY_CHARS = 32
# public on purpose: accepted only when XJ_ENV is dev or test
DEV_RPC_KEY = "xjcloud-DEVELOPMENT-ONLY-rpc-key-not-a-secret"


def rpc_key(value=None, environ=os.environ):
    """The RPC key from ``value`` (a service's config) or ``XJ_RPC_KEY``; the public development key
    only in dev/test. Raises ValueError (the service refuses to start) otherwise."""
    key = (value or environ.get("XJ_RPC_KEY") or "").strip()
    if not key:
        if is_dev_or_test(environ):
            return DEV_RPC_KEY
        raise ValueError("XJ_RPC_KEY must be set (at least 32 characters) when XJ_ENV=prod")
    if key == DEV_RPC_KEY and not is_dev_or_test(environ):
        raise ValueError("XJ_RPC_KEY is the public development key, which XJ_ENV=prod refuses")
    if len(key) < MIN_KEY_CHARS:
        raise ValueError(f"XJ_RPC_KEY must be at least {MIN_KEY_CHARS} characters")
    return key


def _signature(key, caller, routing_key, at):
    return hmac.new(key.encode(), f"{caller}|{routing_key}|{at}".encode(), hashlib.sha256).hexdigest()


def caller_headers(caller, routing_key, key, now=None):
    """The context data that says ``caller`` makes this call to ``routing_key`` (service.method)."""
    at = int(time.time() if now is None else now)
    return {CALLER: caller, CALLER_AT: at, CALLER_SIG: _signature(key, caller, routing_key, at)}


def verified_caller(context_data, routing_key, key, now=None):
    """The caller named in ``context_data`` when its signature holds for ``routing_key`` and is
    fresh; None otherwise."""
    caller, at, signature = (context_data.get(name) for name in (CALLER, CALLER_AT, CALLER_SIG))
    if not isinstance(caller, str) or not isinstance(signature, str):
        return None
    try:
        at = int(at)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    if abs(now - at) > MAX_SKEW_SECONDS:
        return None
    if not hmac.compare_digest(signature, _signature(key, caller, routing_key, at)):
        return None
    return caller


class _SignedService:
    def __init__(self, proxy, service_name, caller, key):
        self._proxy, self._service_name, self._caller, self._key = proxy, service_name, caller, key

    def __getattr__(self, method_name):
        method = getattr(getattr(self._proxy, self._service_name), method_name)

        def call(*args, **kwargs):
            # headers are read from the proxy's worker context when the call is published
            self._proxy._worker_ctx.data.update(
                caller_headers(self._caller, f"{self._service_name}.{method_name}", self._key))
            return method(*args, **kwargs)

        return call


class _SignedCalls:
    def __init__(self, proxy, caller, key):
        self._proxy, self._caller, self._key = proxy, caller, key

    def __getattr__(self, service_name):
        return _SignedService(self._proxy, service_name, self._caller, self._key)


class SignedClusterRpcProxy:
    """``with SignedClusterRpcProxy(config, caller="ops") as proxy: proxy.publicity.clear()``: a
    standalone proxy whose every call is signed as ``caller`` with ``XJ_RPC_KEY``."""

    def __init__(self, config, caller, key=None, **options):
        self._cluster = ClusterRpcProxy(config, **options)
        self._caller = caller
        self._key = key or rpc_key()

    def __enter__(self):
        return _SignedCalls(self._cluster.__enter__(), self._caller, self._key)

    def __exit__(self, *exc_info):
        return self._cluster.__exit__(*exc_info)
