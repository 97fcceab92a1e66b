"""The request id and one structured log line per request.

``X-Request-ID``: a client's id is kept when it is a harmless token (``xjkit.logcontext``),
otherwise the gateway makes one; either way it is echoed in the response. It is bound to the
thread's log context for the request, so every line the request causes — here, and in every
service through nameko's context data (``gateway.rpc``) — carries it.

The line (``http.request``) replaces gunicorn's access log: method, route, path (never the query
string: it may hold an ID number), status, duration, and who asked (the enterprise's USCC or the
person's id, from the verified token).
"""
import logging
import time

from flask import g, request

from xjkit import logcontext

HEADER = "X-Request-ID"
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

log = logging.getLogger("gateway.request")


def init_app(app):
    @app.before_request
    def bind_request_id():
        request_id = logcontext.accept_request_id(request.headers.get(HEADER)) or logcontext.new_request_id()
        g.request_id = request_id
        g.xj_log_token = logcontext.replace({logcontext.REQUEST_ID: request_id})
        g.xj_request_started = time.perf_counter()

    @app.after_request
    def echo_and_log(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[HEADER] = request_id
        started = g.get("xj_request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        fields = {"method": request.method, "route": request.url_rule.rule if request.url_rule else None,
                  "path": request.path, "status": response.status_code, "duration_ms": duration_ms}
        claims = g.get("claims") or {}
        if claims.get("role") == "enterprise":
            fields["enterprise"] = claims.get("sub")
        elif claims.get("role") == "person":
            fields["person"] = claims.get("sub")
        level = logging.DEBUG if request.path in QUIET_PATHS and response.status_code < 500 else logging.INFO
        log.log(level, "%s %s %s %.1f ms", request.method, request.path, response.status_code, duration_ms or 0,
                extra={"event": "http.request", "fields": fields})
        return response

    @app.teardown_request
    def unbind(error=None):
        token = g.pop("xj_log_token", None)
        if token is not None:
            logcontext.reset(token)
