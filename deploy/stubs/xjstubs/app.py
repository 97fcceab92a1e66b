"""The Flask application: every outside system's stand-in on one server."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request, send_file
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join

from . import national, wechat
from .config import load_config
from .masking import mask_sensitive

log = logging.getLogger("xjstubs")

_REDACTED_PARAMS = ("secret", "access_token")


def _loggable_target() -> str:
    """The request path and query, decoded, with secrets redacted and personal numbers masked."""
    parts = [f"{k}={'***' if k in _REDACTED_PARAMS else v}" for k, v in request.args.items(multi=True)]
    target = request.path + ("?" + "&".join(parts) if parts else "")
    return mask_sensitive(target)


def create_app(config: dict | None = None) -> Flask:
    """The stub application. `config` overrides the environment (keys: see config.load_config).

    Raises StubConfigError when XJ_ENV is not dev/test or the national dataset is unusable.
    """
    cfg = load_config(config)
    app = Flask("xjstubs")
    app.config["XJ_STUBS"] = cfg
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    wechat_state = wechat.WeChatState(cfg)
    national_state = national.NationalState(cfg)
    app.register_blueprint(wechat.make_blueprint(wechat_state))
    app.register_blueprint(national.make_blueprint(national_state))

    @app.after_request
    def log_request(response):
        log.info("%s %s -> %s", request.method, _loggable_target(), response.status_code)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").upper().replace(" ", "_")
        return jsonify({"code": code, "message": exc.description}), exc.code

    @app.get("/stub/health")
    def health():
        return jsonify({"status": "ok"})

    @app.post("/stub/reset")
    def reset():
        wechat_state.reset()
        national_state.reset()
        return jsonify({"status": "ok"})

    @app.get("/ca/crl/<name>")
    def crl(name):
        directory = cfg["ca_crl_dir"]
        path = safe_join(directory, name) if directory else None
        if path is None:
            return jsonify({"code": "NOT_FOUND", "message": "no such CRL"}), 404
        try:
            return send_file(path, mimetype="application/pkix-crl")
        except FileNotFoundError:
            return jsonify({"code": "NOT_FOUND", "message": "no such CRL"}), 404

    return app
