"""The gateway's Flask app: flask-smorest API, error mapping, RPC pool, docs, metrics."""
import os

import flask_swagger_ui
from flask import Flask, send_from_directory

from xjkit import jsonlog
from xjkit.clock import business_clock_from_env
from xjkit.config import env_int
from xjkit.masking import install_log_redaction

from gateway import bodies, idempotency, public_cache, ratelimit, request_log
from gateway.bodies import UPLOAD_BODY_LIMIT
from gateway.api import GatewayApi
from gateway.auth import token_key_from_env
from gateway.errors import register_error_handlers
from gateway.metrics import Metrics
from gateway.resources import (
    ent_auth, ent_certificates, ent_employments, ent_files, ent_filings, mp_certificates, mp_employments, mp_files,
    mp_persons, ops, portal, public_api, public_pages,
)
from gateway.rpc import RpcPool
from gateway.sessions import SessionGuard

SWAGGER_UI_DIR = os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")

# the modules whose blueprint is part of the OpenAPI document, in the document's order
API_RESOURCES = (
    mp_persons, ent_auth, ent_files, ent_employments, mp_employments, ent_certificates, mp_certificates, mp_files,
    ent_filings, public_api, portal,
)


def settings_from_env(environ=os.environ):
    return {
        "API_TITLE": "新疆区外进疆企业信息报送 API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": "/static/swagger-ui/",
        "MAX_CONTENT_LENGTH": UPLOAD_BODY_LIMIT,  # the largest any route takes; each route has its own (bodies)
        "JSON_AS_ASCII": False,
        "AMQP_URI": environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"),
        "XJ_RPC_TIMEOUT_SECONDS": env_int("XJ_RPC_TIMEOUT_SECONDS", 10, environ),
        "XJ_TOKEN_KEY": token_key_from_env(environ),
        # sessions (and whatever else every gateway worker must agree on) live in Redis
        "XJ_REDIS_URL": environ.get("XJ_REDIS_URL") or "redis://127.0.0.1:6379/0",
        "XJ_REDIS_KEY_PREFIX": environ.get("XJ_REDIS_KEY_PREFIX") or "xj:",
        # the public API's answers are cached in Redis per version of the public list; this bounds
        # how long an entry lives if a version bump was ever missed
        "XJ_PUBLIC_CACHE_SECONDS": env_int("XJ_PUBLIC_CACHE_SECONDS", public_cache.DEFAULT_TTL_SECONDS, environ),
        # the business date (XJ_FAKE_NOW moves it in dev and test), read by whatever shows a date
        "XJ_BUSINESS_CLOCK": business_clock_from_env(environ),
    }


def create_app(overrides=None):
    # one JSON object per line (xjkit.jsonlog); under gunicorn its logconfig_dict has done this
    jsonlog.configure("gateway", level=os.environ.get("LOG_LEVEL", "INFO"))
    install_log_redaction()
    app = Flask(__name__)
    app.config.update(settings_from_env())
    app.config.update(overrides or {})
    app.json.ensure_ascii = False

    metrics = Metrics()
    app.extensions["xj_rpc"] = RpcPool(app.config["AMQP_URI"], timeout=app.config["XJ_RPC_TIMEOUT_SECONDS"],
                                       observe=metrics.observe_rpc)
    app.extensions["xj_sessions"] = SessionGuard.from_url(app.config["XJ_REDIS_URL"], app.config["XJ_REDIS_KEY_PREFIX"])
    public_cache.init_app(app)
    request_log.init_app(app)  # X-Request-ID in, out, and into every RPC; one log line per request
    metrics.init_app(app)

    api = GatewayApi(app, spec_kwargs={"info": {"description": "区外进疆企业信息报送服务的 HTTP 接口，契约见 API.md。"}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for resource in API_RESOURCES:
        api.register_blueprint(resource.blp)
    app.register_blueprint(ops.blp)
    app.register_blueprint(public_pages.blp)
    app.register_blueprint(portal.web)  # the enterprise portal's build at /portal/

    @app.get("/static/swagger-ui/<path:filename>")
    def swagger_ui_files(filename):
        return send_from_directory(SWAGGER_UI_DIR, filename)

    bodies.init_app(app)
    idempotency.init_app(app)
    ratelimit.init_app(app)  # checks every rate-limit setting at start-up
    register_error_handlers(app)
    return app
