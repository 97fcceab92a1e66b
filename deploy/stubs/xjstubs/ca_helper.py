"""A stand-in for the user's local CA helper (新疆CA / BJCA 证书应用环境), for development and tests.

The real helper runs on the enterprise's PC and answers the portal's page on
``http://127.0.0.1:21051/synctl`` (``https://127.0.0.1:21061/synctl``). Its wire format, as BJCA's
``xtxsync.js`` speaks it::

    POST /synctl   Content-Type: application/json
    {"url": <the page's location.href>, "clsid": "<the XTXAppCOM class id>", "func": "SOF_…",
     "param": [<positional arguments>], "token": "<from a former SOF_Login, if any>"}
    → 200 {"retVal": <string | bool | number>, "token": "<the session token, or "">"}

Failures are not HTTP errors: the call answers ``""`` / ``false`` / ``-1`` and ``SOF_GetLastError``
then gives the GM/T 0020 (``SOR_*``) or GM/T 0016 (``SAR_*``) code. The GM/T 0020 ``SOF_*``
functions served here are what a login needs:

=========================  ===================================  =========================================
function                   param                                retVal
=========================  ===================================  =========================================
SOF_GetVersion             —                                    version text
SOF_GetUserList            —                                    ``"name||certId&&&name2||certId2&&&"``
SOF_ExportUserCert         certId                               the signing certificate, base64 DER
SOF_Login                  certId, pin                          true (and a new token) / false
SOF_Logout                 certId                               true; the token no longer signs
SOF_GetPinRetryCount       certId                               tries left (0: locked)
SOF_SetSignMethod          method (SGD_* number)                0
SOF_GetSignMethod          —                                    the method set, 0 when none
SOF_SignData               certId, text                         base64 signature over the UTF-8 text
SOF_SignDataBase64         certId, base64 data                  base64 signature over the decoded bytes
GetDeviceInfo              certId, 7                            ``"HARD"`` (a USB key)
SOF_GetLastError           —                                    the last error code (0: none)
SOF_GetLastErrMsg          —                                    its Chinese message
=========================  ===================================  =========================================

Signatures are those a USB key makes: RSA PKCS#1 v1.5 with SHA-256 (SHA-1 if ``SGD_SHA1_RSA`` was
set), ECDSA with SHA-256 (DER), SM2 with SM3 and the ID ``1234567812345678`` (DER). Signing needs
the token of a ``SOF_Login`` to that key. A wrong PIN takes one try off; at 0 the key is locked
and even the right PIN is refused; the right PIN before that restores every try.

The keys "plugged in" at start are the dev CA's sample certificates (``XJ_CA_HELPER_SAMPLES`` names
``<devca>/sample/index.json``), all with the development PIN ``XJ_CA_HELPER_PIN`` (``111111``).
Control endpoints (not part of the real helper) plug and unplug keys and reset the state; see
``deploy/stubs/README.md``. Every answer carries the CORS headers a local helper must send so that
a page of another origin may call it, also Chrome's Private Network Access preflight.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from .config import StubConfigError, _int_env, with_overrides

log = logging.getLogger("xjstubs.ca_helper")

DEFAULT_PORT = 21051
DEFAULT_PIN = "111111"
DEFAULT_PIN_TRIES = 10
VERSION = "2.18.0 (xjcloud development stub)"
# the class id of BJCA's XTXAppCOM, which xtxsync.js sends with every call
XTXAPP_CLSID = "3F367B74-92D9-4C5E-AB93-234F8A91D5E6"

# GM/T 0006 algorithm identifiers given to SOF_SetSignMethod
SGD_SM3_RSA = 0x00010001
SGD_SHA1_RSA = 0x00010002
SGD_SHA256_RSA = 0x00010004
SGD_SM3_SM2 = 0x00020201
SIGN_METHODS = {SGD_SM3_RSA, SGD_SHA1_RSA, SGD_SHA256_RSA, SGD_SM3_SM2}

# GM/T 0020 (SOR_*) and GM/T 0016 (SAR_*) error codes, as SOF_GetLastError gives them
SOR_OK = 0
SOR_NOT_SUPPORT_YET = 0x0B000002
SOR_ALGO_TYPE = 0x0B000007
SOR_INDATA = 0x0B000201
SOR_CERT_NOT_FOUND = 0x0B000310
SOR_SIGN_DATA = 0x0B000409
SAR_PIN_INCORRECT = 0x0A000024
SAR_PIN_LOCKED = 0x0A000025
SAR_USER_NOT_LOGGED_IN = 0x0A00002D
ERROR_MESSAGES = {
    SOR_OK: "成功",
    SOR_NOT_SUPPORT_YET: "不支持的接口",
    SOR_ALGO_TYPE: "签名算法与证书密钥不符",
    SOR_INDATA: "输入数据错误",
    SOR_CERT_NOT_FOUND: "未找到证书（USB Key 未插入或已拔出）",
    SOR_SIGN_DATA: "签名失败",
    SAR_PIN_INCORRECT: "用户口令错误",
    SAR_PIN_LOCKED: "用户口令已锁定",
    SAR_USER_NOT_LOGGED_IN: "尚未验证用户口令",
}

CORS_MAX_AGE_SECONDS = 600
FUNCTIONS = frozenset((
    "SOF_GetVersion", "SOF_GetUserList", "SOF_ExportUserCert", "SOF_ExportExChangeUserCert", "GetDeviceInfo",
    "SOF_Login", "SOF_Logout", "SOF_GetPinRetryCount", "SOF_SetSignMethod", "SOF_GetSignMethod",
    "SOF_SignData", "SOF_SignDataBase64", "SOF_GetLastError", "SOF_GetLastErrMsg",
))


@dataclass
class Key:
    """One certificate and its private key, as a USB key holds them."""

    cert_id: str
    name: str
    cert_der: bytes
    key_pem: bytes
    pin: str
    max_tries: int
    tries_left: int = field(default=-1)

    def __post_init__(self):
        if self.tries_left < 0:
            self.tries_left = self.max_tries

    def public(self) -> dict:
        return {"cert_id": self.cert_id, "name": self.name, "tries_left": self.tries_left,
                "max_tries": self.max_tries, "locked": self.tries_left == 0}


def _subject_name(cert_der: bytes) -> str:
    """The name a helper lists for a certificate: its subject's CN (else O)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(cert_der)
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        values = cert.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return cert.subject.rfc4514_string()


def _cert_der(cert_pem: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    return x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)


def _cert_id(cert_der: bytes) -> str:
    """A stable container id per certificate (a real helper shows its device's container names)."""
    return "XJDEV-" + hashlib.sha256(cert_der).hexdigest()[:16].upper()


class HelperState:
    """The plugged-in keys, the login tokens and the last error: one user's PC."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.lock = threading.RLock()
        self.keys: dict[str, Key] = {}
        self.tokens: dict[str, str] = {}  # token -> cert_id it logged in to
        self.sign_method = 0
        self.last_error = SOR_OK
        self.reset()

    # --- keys -----------------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.keys.clear()
            self.tokens.clear()
            self.sign_method = 0
            self.last_error = SOR_OK
            for entry in self._samples():
                self.plug(Path(entry["cert"]).read_bytes(), Path(entry["key"]).read_bytes())

    def _samples(self) -> list[dict]:
        path = self.cfg["samples"]
        if not path:
            return []
        try:
            return json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            log.warning("XJ_CA_HELPER_SAMPLES %s does not exist: no key is plugged in", path)
            return []

    def plug(self, cert_pem: bytes, key_pem: bytes, name: str | None = None, pin: str | None = None,
             max_tries: int | None = None) -> Key:
        from xjdevca import load_private_key  # the dev CA package signs as the USB key would

        cert_der = _cert_der(cert_pem)
        load_private_key(key_pem)  # refuse what could never sign
        tries = max_tries or self.cfg["pin_tries"]
        key = Key(cert_id=_cert_id(cert_der), name=name or _subject_name(cert_der), cert_der=cert_der,
                  key_pem=key_pem, pin=pin or self.cfg["pin"], max_tries=tries)
        with self.lock:
            self.keys[key.cert_id] = key
        return key

    def unplug(self, cert_id: str | None = None) -> int:
        with self.lock:
            gone = [cert_id] if cert_id else list(self.keys)
            removed = 0
            for name in gone:
                if self.keys.pop(name, None) is not None:
                    removed += 1
            self.tokens = {token: owner for token, owner in self.tokens.items() if owner in self.keys}
            return removed

    # --- the SOF_* functions --------------------------------------------------------------

    def call(self, func: str, param: list, token: str | None) -> tuple[object, str]:
        """(retVal, token) of one /synctl call."""
        with self.lock:
            handler = getattr(self, f"_{func}", None) if func in FUNCTIONS else None
            if handler is None:
                return self._fail(SOR_NOT_SUPPORT_YET, ""), token or ""
            if func not in ("SOF_GetLastError", "SOF_GetLastErrMsg"):
                self.last_error = SOR_OK
            return handler(list(param or []), token or "")

    def _fail(self, code: int, value):
        self.last_error = code
        return value

    def _key(self, param: list, index: int = 0) -> Key | None:
        cert_id = param[index] if len(param) > index else None
        return self.keys.get(cert_id) if isinstance(cert_id, str) else None

    def _SOF_GetVersion(self, param, token):
        return VERSION, token

    def _SOF_GetUserList(self, param, token):
        return "".join(f"{key.name}||{key.cert_id}&&&" for key in self.keys.values()), token

    def _SOF_ExportUserCert(self, param, token):
        key = self._key(param)
        if key is None:
            return self._fail(SOR_CERT_NOT_FOUND, ""), token
        return base64.b64encode(key.cert_der).decode("ascii"), token

    def _SOF_ExportExChangeUserCert(self, param, token):
        # a development key holds one (signing) certificate; there is no encryption certificate
        return self._fail(SOR_CERT_NOT_FOUND, ""), token

    def _GetDeviceInfo(self, param, token):
        key = self._key(param)
        if key is None:
            return self._fail(SOR_CERT_NOT_FOUND, ""), token
        return "HARD", token

    def _SOF_Login(self, param, token):
        key = self._key(param)
        if key is None:
            return self._fail(SOR_CERT_NOT_FOUND, False), ""
        pin = param[1] if len(param) > 1 else None
        if key.tries_left == 0:
            return self._fail(SAR_PIN_LOCKED, False), ""
        if not isinstance(pin, str) or not secrets.compare_digest(pin.encode(), key.pin.encode()):
            key.tries_left -= 1
            return self._fail(SAR_PIN_LOCKED if key.tries_left == 0 else SAR_PIN_INCORRECT, False), ""
        key.tries_left = key.max_tries
        new_token = secrets.token_hex(16)
        self.tokens[new_token] = key.cert_id
        return True, new_token

    def _SOF_Logout(self, param, token):
        self.tokens.pop(token, None)
        return True, ""

    def _SOF_GetPinRetryCount(self, param, token):
        key = self._key(param)
        if key is None:
            return self._fail(SOR_CERT_NOT_FOUND, -1), token
        return key.tries_left, token

    def _SOF_SetSignMethod(self, param, token):
        method = param[0] if param else None
        if isinstance(method, str) and method.strip().isdigit():
            method = int(method)
        if method not in SIGN_METHODS:
            return self._fail(SOR_ALGO_TYPE, SOR_ALGO_TYPE), token
        self.sign_method = method
        return SOR_OK, token

    def _SOF_GetSignMethod(self, param, token):
        return self.sign_method, token

    def _SOF_SignData(self, param, token):
        data = param[1] if len(param) > 1 else None
        if not isinstance(data, str):
            return self._fail(SOR_INDATA, ""), token
        return self._sign(param, token, data.encode("utf-8"))

    def _SOF_SignDataBase64(self, param, token):
        data = param[1] if len(param) > 1 else None
        try:
            raw = base64.b64decode(data, validate=True) if isinstance(data, str) else None
        except (binascii.Error, ValueError):
            raw = None
        if not raw:
            return self._fail(SOR_INDATA, ""), token
        return self._sign(param, token, raw)

    def _sign(self, param, token, data: bytes):
        key = self._key(param)
        if key is None:
            return self._fail(SOR_CERT_NOT_FOUND, ""), token
        if self.tokens.get(token) != key.cert_id:
            return self._fail(SAR_USER_NOT_LOGGED_IN, ""), token
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from xjdevca import load_private_key, sign_nonce

        algorithm, private_key = load_private_key(key.key_pem)
        method = self.sign_method
        if (algorithm == "sm2" and method not in (0, SGD_SM3_SM2)) or (
                algorithm == "rsa" and method not in (0, SGD_SHA1_RSA, SGD_SHA256_RSA)):
            return self._fail(SOR_ALGO_TYPE, ""), token
        if algorithm == "rsa" and method == SGD_SHA1_RSA:
            signature = private_key.sign(data, padding.PKCS1v15(), hashes.SHA1())
        else:
            signature = sign_nonce(key.key_pem, data)
        return base64.b64encode(signature).decode("ascii"), token

    def _SOF_GetLastError(self, param, token):
        return self.last_error, token

    def _SOF_GetLastErrMsg(self, param, token):
        return ERROR_MESSAGES.get(self.last_error, f"错误码 0x{self.last_error:08X}"), token


def load_helper_config(overrides: dict | None = None) -> dict:
    env = os.environ
    config = {
        "env": env.get("XJ_ENV") or "dev",
        "host": env.get("XJ_CA_HELPER_HOST") or "127.0.0.1",
        "port": _int_env("XJ_CA_HELPER_PORT", DEFAULT_PORT),
        "samples": env.get("XJ_CA_HELPER_SAMPLES") or None,
        "pin": env.get("XJ_CA_HELPER_PIN") or DEFAULT_PIN,
        "pin_tries": _int_env("XJ_CA_HELPER_PIN_TRIES", DEFAULT_PIN_TRIES),
    }
    with_overrides(config, overrides, "CA helper", (
        "the CA helper stub refuses to start with XJ_ENV={env}: it signs with development "
        "keys and runs only when XJ_ENV is one of {allowed}"))
    if config["pin_tries"] < 1:
        raise StubConfigError("XJ_CA_HELPER_PIN_TRIES must be at least 1")
    return config


def _cors(response):
    """What a helper on 127.0.0.1 must answer so that a page of any origin may call it: CORS, and
    Chrome's Private Network Access preflight (a public page calling a loopback address)."""
    origin = request.headers.get("Origin")
    response.headers["Access-Control-Allow-Origin"] = origin or "*"
    response.headers["Vary"] = "Origin, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            request.headers.get("Access-Control-Request-Headers") or "Content-Type")
        response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
        if request.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
            response.headers["Access-Control-Allow-Private-Network"] = "true"
    response.headers["Cache-Control"] = "no-store"
    return response


def create_helper_app(config: dict | None = None) -> Flask:
    """The helper stub. ``config`` overrides the environment: env, host, port, samples, pin, pin_tries."""
    cfg = load_helper_config(config)
    app = Flask("xjstubs.ca_helper")
    app.config["XJ_CA_HELPER"] = cfg
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    state = HelperState(cfg)
    app.extensions["xj_ca_helper"] = state
    app.after_request(_cors)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify({"code": (exc.name or "error").upper().replace(" ", "_"), "message": exc.description}), exc.code

    @app.route("/synctl", methods=["POST", "OPTIONS"])
    def synctl():
        if request.method == "OPTIONS":
            return "", 204
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("func"), str):
            return jsonify({"retVal": "", "token": ""}), 400
        param = body.get("param") or []
        if not isinstance(param, list):
            param = [param]
        value, token = state.call(body["func"], param, body.get("token") if isinstance(body.get("token"), str) else None)
        # the PIN never reaches a log line
        log.info("synctl %s -> %s", body["func"], "error 0x%08X" % state.last_error if state.last_error else "ok")
        return jsonify({"retVal": value, "token": token})

    @app.get("/stub/health")
    def health():
        return jsonify({"status": "ok", "keys": len(state.keys)})

    @app.get("/stub/keys")
    def keys():
        with state.lock:
            return jsonify({"items": [key.public() for key in state.keys.values()]})

    @app.post("/stub/keys")
    def plug():
        """Plug a key in: {"cert": PEM or path, "key": PEM or path, "name"?, "pin"?, "max_tries"?}."""
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict) or not body.get("cert") or not body.get("key"):
            return jsonify({"code": "BAD_REQUEST", "message": "cert and key (PEM text or file path) are required"}), 400
        try:
            key = state.plug(_pem_or_file(body["cert"]), _pem_or_file(body["key"]), name=body.get("name"),
                             pin=body.get("pin"), max_tries=body.get("max_tries"))
        except Exception as exc:  # noqa: BLE001 - whatever cannot be read or signed with is the caller's mistake
            return jsonify({"code": "BAD_REQUEST", "message": f"cannot use that certificate and key: {exc}"}), 400
        return jsonify(key.public()), 201

    @app.delete("/stub/keys/<cert_id>")
    def unplug_one(cert_id):
        if not state.unplug(cert_id):
            return jsonify({"code": "NOT_FOUND", "message": "no such key"}), 404
        return jsonify({"status": "ok"})

    @app.delete("/stub/keys")
    def unplug_all():
        return jsonify({"status": "ok", "removed": state.unplug()})

    @app.post("/stub/reset")
    def reset():
        state.reset()
        return jsonify({"status": "ok", "keys": len(state.keys)})

    return app


def _pem_or_file(value) -> bytes:
    if not isinstance(value, str):
        raise ValueError("expected PEM text or a file path")
    if "-----BEGIN" in value:
        return value.encode("ascii")
    return Path(value).read_bytes()


def serve_helper_in_thread(port: int = 0, **config):
    """Start the helper stub on ``port`` (0: any free one) in a daemon thread; (server, base_url)."""
    from .server import serve_app_in_thread

    return serve_app_in_thread(create_helper_app({**config, "port": port}), port, "XJ_CA_HELPER", "xj-ca-helper")


def main() -> int:
    """``xj-ca-helper`` / ``python -m xjstubs.ca_helper``: serve until SIGTERM or Ctrl-C."""
    from .server import run_until_stopped

    return run_until_stopped(
        "xj-ca-helper", create_helper_app, "XJ_CA_HELPER", (StubConfigError, OSError, ValueError), log,
        lambda app, cfg, server: ("xj-ca-helper listening on http://%s:%s/synctl (XJ_ENV=%s, %d keys plugged in)",
                                  cfg["host"], server.server_port, cfg["env"],
                                  len(app.extensions["xj_ca_helper"].keys)))


if __name__ == "__main__":
    raise SystemExit(main())
