"""Operations: liveness, readiness (every service answers ping), Prometheus metrics."""
from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway.rpc import ServiceUnavailable

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
    ready = all(state == "ok" for state in report.values())
    response = jsonify({"status": "ok" if ready else "unavailable", "services": report})
    response.status_code = 200 if ready else 503
    return response


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
