"""WeChat (https://api.weixin.qq.com) as the platform uses it: access tokens, code2session,
subscribe messages and face verification 2.0 (人脸核身).

WeChat's wire format: every answer is HTTP 200 with JSON; an error is `{"errcode": N, "errmsg": "..."}`.
Where WeChat's documentation names no error code (face verification), the stub uses the codes in
`FACE_*` below, documented in the README.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
import secrets
import threading

from flask import Blueprint, jsonify, request

from .masking import mask_id

log = logging.getLogger("xjstubs.wechat")

# Codes from WeChat's global error table
OK = 0
INVALID_CREDENTIAL = 40001      # access_token unknown
INVALID_GRANT_TYPE = 40002
INVALID_OPENID = 40003
INVALID_APPID = 40013
INVALID_CODE = 40029
INVALID_APPSECRET = 40125
CODE_BEEN_USED = 40163
ACCESS_TOKEN_MISSING = 41001
APPID_MISSING = 41002
APPSECRET_MISSING = 41004
CODE_MISSING = 41008
ACCESS_TOKEN_EXPIRED = 42001
USER_REFUSED = 43101
MINUTE_QUOTA = 45011
DATA_FORMAT_ERROR = 47001
ARGUMENT_INVALID = 47003

# Face verification: WeChat's documentation lists no error codes for queryverifyinfo, so the stub
# defines its own (7-digit, like WeChat's newer APIs; none triggers a client's token refresh).
FACE_VERIFY_ID_NOT_FOUND = 9430001
FACE_VERIFY_ID_EXPIRED = 9430002
FACE_OUT_SEQ_NO_MISMATCH = 9430003
FACE_CERT_HASH_MISMATCH = 9430004

VERIFY_RET_PASS = 10000

RATE_LIMITED_CODE = "dev-ratelimited"
_DEV_CODE_RE = re.compile(r"^dev-([A-Za-z0-9_-]{1,64})$")

# Subscribe-message value limits per keyword type (the key without its trailing number, e.g. thing1)
_VALUE_LIMITS = {
    "thing": 20, "number": 32, "letter": 32, "symbol": 5, "character_string": 32,
    "phone_number": 17, "car_number": 8, "phrase": 5,
}
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_MINIPROGRAM_STATES = ("developer", "trial", "formal")
_LANGS = ("zh_CN", "en_US", "zh_HK", "zh_TW")


def cert_hash(cert_info: dict) -> str:
    """WeChat's cert_hash: SHA-256 (lowercase hex) of
    `cert_type=<b64>&cert_name=<b64>&cert_no=<b64>`, each value standard base64 of its UTF-8 bytes."""
    def b64(field: str) -> str:
        return base64.b64encode(str(cert_info[field]).encode("utf-8")).decode("ascii")
    joined = f"cert_type={b64('cert_type')}&cert_name={b64('cert_name')}&cert_no={b64('cert_no')}"
    return hashlib.sha256(joined.encode("ascii")).hexdigest()


def _err(errcode: int, errmsg: str):
    return jsonify({"errcode": errcode, "errmsg": errmsg})


def _control_error(message: str):
    return jsonify({"code": "BAD_REQUEST", "message": message}), 400


def _json_object():
    """The request body as a JSON object, whatever its Content-Type (wechatpy sends none), or None."""
    body = request.get_json(force=True, silent=True)
    return body if isinstance(body, dict) else None


def _nonempty_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


class WeChatState:
    """Everything the WeChat stub remembers; every access under one lock."""

    def __init__(self, config: dict):
        self.clock = config["clock"]
        self.token_expires_in = int(config["token_expires_in"])
        self.face_expires_in = int(config["face_expires_in"])
        self.apps = config["wechat_apps"]
        self.lock = threading.Lock()
        # Issued access tokens survive a reset, so running services need not refresh theirs.
        self.tokens: dict[str, dict] = {}          # token -> {"appid", "expires_at"}
        self.stable_tokens: dict[str, str] = {}     # appid -> its current stable token
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.used_codes: set[str] = set()
            self.refused: set[str] = set()
            self.messages: list[dict] = []
            self.next_msgid = 1
            self.face_sessions: dict[str, dict] = {}
            self.face_presets: dict[str, int] = {}

    # --- credentials -------------------------------------------------------------------------
    def check_app(self, appid, secret):
        """None when the appid/secret pair is acceptable, else the WeChat error answer."""
        if not _nonempty_str(appid):
            return _err(APPID_MISSING, "appid missing")
        if not _nonempty_str(secret):
            return _err(APPSECRET_MISSING, "appsecret missing")
        if self.apps is not None:
            if appid not in self.apps:
                return _err(INVALID_APPID, "invalid appid")
            if self.apps[appid] != secret:
                return _err(INVALID_APPSECRET, "invalid appsecret")
        return None

    def _new_token_locked(self, appid: str) -> dict:
        token = secrets.token_urlsafe(48)
        self.tokens[token] = {"appid": appid, "expires_at": self.clock() + self.token_expires_in}
        return {"access_token": token, "expires_in": self.token_expires_in}

    def issue_token(self, appid: str) -> dict:
        """/cgi-bin/token: a new token on every call (earlier ones stay valid until they expire)."""
        with self.lock:
            return self._new_token_locked(appid)

    def stable_token(self, appid: str, force_refresh: bool) -> dict:
        """/cgi-bin/stable_token: the app's current token while it is valid, unless force_refresh."""
        now = self.clock()
        with self.lock:
            current = self.stable_tokens.get(appid)
            entry = self.tokens.get(current) if current else None
            if entry and not force_refresh and entry["expires_at"] > now:
                return {"access_token": current, "expires_in": int(entry["expires_at"] - now)}
            issued = self._new_token_locked(appid)
            self.stable_tokens[appid] = issued["access_token"]
            return issued

    def token_owner(self):
        """(appid, None) for a valid `access_token` query parameter, else (None, the WeChat error)."""
        token = request.args.get("access_token")
        if not token:
            return None, _err(ACCESS_TOKEN_MISSING, "access_token missing")
        with self.lock:
            entry = self.tokens.get(token)
        if entry is None:
            return None, _err(INVALID_CREDENTIAL, "invalid credential, access_token is invalid or not latest")
        if entry["expires_at"] <= self.clock():
            return None, _err(ACCESS_TOKEN_EXPIRED, "access_token expired")
        return entry["appid"], None

    def expire_tokens(self) -> int:
        now = self.clock()
        with self.lock:
            for entry in self.tokens.values():
                entry["expires_at"] = min(entry["expires_at"], now)
            return len(self.tokens)


def _check_subscribe_data(data):
    """None when `data` is a valid subscribe-message payload, else the errmsg."""
    if not isinstance(data, dict) or not data:
        return "argument invalid! data is empty or not an object"
    for key, item in data.items():
        if not isinstance(item, dict) or "value" not in item:
            return f"argument invalid! data.{key}.value is missing"
        value = item["value"]
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return f"argument invalid! data.{key}.value must be a string"
        value = str(value)
        kind = key.rstrip("0123456789")
        limit = _VALUE_LIMITS.get(kind)
        if kind == "name":
            limit = 10 if _CJK_RE.search(value) else 20
        if value == "" or (limit is not None and len(value) > limit):
            return f"argument invalid! data.{key}.value invalid"
    return None


def make_blueprint(state: WeChatState) -> Blueprint:
    bp = Blueprint("wechat", __name__)

    def authenticated_post(rule: str):
        """A POST endpoint WeChat authenticates with the `access_token` query parameter: the view
        runs only with a valid one, as ``view(appid, body)`` (body: the JSON object or None)."""
        def register(view):
            @functools.wraps(view)
            def endpoint():
                appid, problem = state.token_owner()
                if problem:
                    return problem
                return view(appid, _json_object())
            return bp.post(rule)(endpoint)
        return register

    # --- access tokens -----------------------------------------------------------------------
    @bp.get("/cgi-bin/token")
    def token():
        if request.args.get("grant_type") != "client_credential":
            return _err(INVALID_GRANT_TYPE, "invalid grant_type")
        appid, secret = request.args.get("appid"), request.args.get("secret")
        problem = state.check_app(appid, secret)
        return problem or jsonify(state.issue_token(appid))

    @bp.post("/cgi-bin/stable_token")
    def stable_token():
        body = _json_object()
        if body is None:
            return _err(DATA_FORMAT_ERROR, "data format error")
        if body.get("grant_type") != "client_credential":
            return _err(INVALID_GRANT_TYPE, "invalid grant_type")
        problem = state.check_app(body.get("appid"), body.get("secret"))
        return problem or jsonify(state.stable_token(body["appid"], body.get("force_refresh") is True))

    # --- login -------------------------------------------------------------------------------
    @bp.get("/sns/jscode2session")
    def jscode2session():
        # WeChat authenticates this call with appid + secret, not with an access_token; one sent
        # anyway (wechatpy always adds it) is ignored, as WeChat does.
        problem = state.check_app(request.args.get("appid"), request.args.get("secret"))
        if problem:
            return problem
        if request.args.get("grant_type") != "authorization_code":
            return _err(INVALID_GRANT_TYPE, "invalid grant_type")
        code = request.args.get("js_code")
        if not code:
            return _err(CODE_MISSING, "missing code")
        if code == RATE_LIMITED_CODE:
            return _err(MINUTE_QUOTA, "api minute-quota reach limit")
        match = _DEV_CODE_RE.match(code)
        if not match:
            return _err(INVALID_CODE, "invalid code")
        with state.lock:
            if code in state.used_codes:
                return _err(CODE_BEEN_USED, "code been used")
            state.used_codes.add(code)
        session_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")
        return jsonify({"openid": match.group(1), "session_key": session_key})

    # --- subscribe messages ------------------------------------------------------------------
    @authenticated_post("/cgi-bin/message/subscribe/send")
    def subscribe_send(appid, body):
        if body is None:
            return _err(DATA_FORMAT_ERROR, "data format error")
        for field in ("touser", "template_id"):
            if not _nonempty_str(body.get(field)):
                return _err(ARGUMENT_INVALID, f"argument invalid! {field} is missing")
        bad_data = _check_subscribe_data(body.get("data"))
        if bad_data:
            return _err(ARGUMENT_INVALID, bad_data)
        if body.get("miniprogram_state") not in (None, *_MINIPROGRAM_STATES):
            return _err(ARGUMENT_INVALID, "argument invalid! miniprogram_state invalid")
        if body.get("lang") not in (None, *_LANGS):
            return _err(ARGUMENT_INVALID, "argument invalid! lang invalid")
        with state.lock:
            if body["touser"] in state.refused:
                return _err(USER_REFUSED, "user refuse to accept the msg")
            msgid = state.next_msgid
            state.next_msgid += 1
            state.messages.append({
                "msgid": msgid, "appid": appid, "touser": body["touser"],
                "template_id": body["template_id"], "page": body.get("page"), "data": body["data"],
                "miniprogram_state": body.get("miniprogram_state"), "lang": body.get("lang"),
                "sent_at": state.clock(),
            })
        return jsonify({"errcode": OK, "errmsg": "ok", "msgid": msgid})

    # --- face verification 2.0 ---------------------------------------------------------------
    @authenticated_post("/cityservice/face/identify/getverifyid")
    def getverifyid(_appid, body):
        cert_info = body.get("cert_info") if body else None
        if (body is None or not isinstance(cert_info, dict)
                or not all(_nonempty_str(body.get(f)) for f in ("out_seq_no", "openid"))
                or not all(_nonempty_str(cert_info.get(f)) for f in ("cert_type", "cert_name", "cert_no"))):
            return _err(DATA_FORMAT_ERROR, "data format error")
        if cert_info["cert_type"] != "IDENTITY_CARD":
            return _err(ARGUMENT_INVALID, "argument invalid! cert_type must be IDENTITY_CARD")
        verify_id = secrets.token_urlsafe(32)
        info = {f: cert_info[f] for f in ("cert_type", "cert_name", "cert_no")}
        with state.lock:
            state.face_sessions[verify_id] = {
                "out_seq_no": body["out_seq_no"], "openid": body["openid"], "cert_info": info,
                "cert_hash": cert_hash(info), "created_at": state.clock(),
            }
        log.info("face verify_id issued for cert_no=%s", mask_id(info["cert_no"]))
        return jsonify({"errcode": OK, "errmsg": "ok", "verify_id": verify_id,
                        "expires_in": state.face_expires_in})

    @authenticated_post("/cityservice/face/identify/queryverifyinfo")
    def queryverifyinfo(_appid, body):
        if body is None or not all(_nonempty_str(body.get(f))
                                   for f in ("verify_id", "out_seq_no", "cert_hash", "openid")):
            return _err(DATA_FORMAT_ERROR, "data format error")
        with state.lock:
            session = state.face_sessions.get(body["verify_id"])
            preset = state.face_presets.get(session["cert_info"]["cert_no"]) if session else None
        if session is None:
            return _err(FACE_VERIFY_ID_NOT_FOUND, "verify_id not exist")
        if state.clock() - session["created_at"] >= state.face_expires_in:
            return _err(FACE_VERIFY_ID_EXPIRED, "verify_id expired")
        if body["openid"] != session["openid"]:
            return _err(INVALID_OPENID, "invalid openid")
        if body["out_seq_no"] != session["out_seq_no"]:
            return _err(FACE_OUT_SEQ_NO_MISMATCH, "out_seq_no not match")
        if body["cert_hash"] != session["cert_hash"]:
            return _err(FACE_CERT_HASH_MISMATCH, "cert_hash not match")
        return jsonify({"errcode": OK, "errmsg": "ok",
                        "verify_ret": VERIFY_RET_PASS if preset is None else preset})

    # --- control (tests) ---------------------------------------------------------------------
    @bp.get("/stub/wechat/messages")
    def list_messages():
        touser = request.args.get("touser")
        with state.lock:
            items = [m for m in state.messages if touser is None or m["touser"] == touser]
        return jsonify({"items": items})

    @bp.post("/stub/wechat/refuse")
    def refuse():
        body = _json_object()
        if body is None or not _nonempty_str(body.get("openid")):
            return _control_error("body must be {\"openid\": \"...\"}")
        with state.lock:
            state.refused.add(body["openid"])
        return jsonify({"openid": body["openid"], "refused": True})

    @bp.delete("/stub/wechat/refuse/<openid>")
    def unrefuse(openid):
        with state.lock:
            state.refused.discard(openid)
        return jsonify({"openid": openid, "refused": False})

    @bp.post("/stub/wechat/tokens/expire")
    def expire_tokens():
        return jsonify({"expired": state.expire_tokens()})

    @bp.post("/stub/face/preset")
    def face_preset():
        body = _json_object()
        if (body is None or not _nonempty_str(body.get("cert_no"))
                or not isinstance(body.get("verify_ret"), int) or isinstance(body.get("verify_ret"), bool)):
            return _control_error("body must be {\"cert_no\": \"...\", \"verify_ret\": <integer>}")
        cert_no, verify_ret = body["cert_no"], body["verify_ret"]
        with state.lock:
            if verify_ret == VERIFY_RET_PASS:
                state.face_presets.pop(cert_no, None)
            else:
                state.face_presets[cert_no] = verify_ret
        log.info("face preset cert_no=%s verify_ret=%s", mask_id(cert_no), verify_ret)
        return jsonify({"cert_no": cert_no, "verify_ret": verify_ret})

    @bp.delete("/stub/face/preset/<cert_no>")
    def face_preset_clear(cert_no):
        with state.lock:
            state.face_presets.pop(cert_no, None)
        return jsonify({"cert_no": cert_no, "verify_ret": VERIFY_RET_PASS})

    return bp
