"""Operations: liveness, readiness (every service answers ping, the session cache answers), the
state of the CA revocation lists, Prometheus metrics.

The CRLs are reported, not required: a stale or missing CRL refuses logins under that one CA
(503 CA_CRL_UNAVAILABLE) while everything else — other CAs, persons, the public list — keeps
working, so taking the gateway out of the load balancer would only make it worse."""
import datetime
from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from xjkit.clock import SHANGHAI

from xjkit.errors import ServiceUnavailable

SERVICES = ("identity", "employment", "cert", "filing", "publicity")
PING_TIMEOUT_SECONDS = 3

blp = Blueprint("ops", __name__)


@blp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@blp.get("/readyz")
def readyz():
    pool = current_app.extensions["xj_rpc"]
    with ThreadPoolExecutor(max_workers=len(SERVICES)) as executor:
        answers = dict(zip(SERVICES, executor.map(
            lambda name: pool.ping(name, PING_TIMEOUT_SECONDS), SERVICES)))
    report = {name: (answer or {}).get("status", "down") for name, answer in answers.items()}
    redis_state = "ok" if current_app.extensions["xj_sessions"].ping() else "down"
    ready = all(state == "ok" for state in report.values()) and redis_state == "ok"
    crls = _instants_in_shanghai((answers["identity"] or {}).get("crls") or {"state": "unknown", "cas": [], "files": []})
    # reported, not required (like the CRLs): messages a handler gave up on, events a relay could
    # not publish yet — an operator's work, which taking the gateway out of service would not do
    backlog = {field: {name: (answer or {}).get(field) for name, answer in answers.items()
                       if isinstance((answer or {}).get(field), int)}
               for field in ("dead_letters", "outbox_stuck")}
    response = jsonify({"status": "ok" if ready else "unavailable", "services": report, "redis": redis_state,
                        "crls": crls, **backlog})
    response.status_code = 200 if ready else 503
    return response


def _instants_in_shanghai(value):
    """API.md instants: ISO 8601 with +08:00 (Flask would write HTTP dates)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(SHANGHAI).isoformat()
    if isinstance(value, dict):
        return {key: _instants_in_shanghai(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_instants_in_shanghai(item) for item in value]
    return value


@blp.get("/readyz/<string:service>")
def readyz_one(service):
    """One service's readiness through the pooled RPC path (a no-op round trip: ping)."""
    if service not in SERVICES:
        return jsonify({"code": 404, "error": "NOT_FOUND", "message": "没有该服务"}), 404
    try:
        answer = current_app.extensions["xj_rpc"].call(service, "ping")
    except ServiceUnavailable:
        answer = None
    state = (answer or {}).get("status", "down")
    response = jsonify({"service": service, "status": state})
    response.status_code = 200 if state == "ok" else 503
    return response


@blp.get("/metrics")
def metrics():
    return Response(generate_latest(current_app.extensions["xj_metrics"].registry),
                    mimetype=CONTENT_TYPE_LATEST)
