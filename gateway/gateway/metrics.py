"""Prometheus metrics of the gateway: per route (count by status, latency, requests in flight) and
per upstream service (the RPC time of every call, by outcome).

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (the launcher does) so
/metrics adds up every worker, not just the one that answered.
"""
import os
import time

from flask import g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    def __init__(self):
        multiprocess_mode = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        # multiprocess: samples go to files through the default registry; /metrics reads them all
        target = {} if multiprocess_mode else {"registry": CollectorRegistry()}
        self.requests = Counter("xj_http_requests_total", "HTTP requests", ["method", "endpoint", "status"], **target)
        self.latency = Histogram("xj_http_request_seconds", "HTTP request latency", ["method", "endpoint"],
                                 buckets=LATENCY_BUCKETS, **target)
        self.in_flight = Gauge("xj_http_requests_in_flight", "HTTP requests being handled now",
                               multiprocess_mode="livesum", **target)
        self.rpc_latency = Histogram("xj_gateway_rpc_seconds", "RPC time per upstream service and method",
                                     ["service", "method", "outcome"], buckets=LATENCY_BUCKETS, **target)
        if multiprocess_mode:
            self.registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(self.registry)
        else:
            self.registry = target["registry"]

    def observe_rpc(self, service, method, outcome, seconds):
        """RpcPool's observer: ``outcome`` is ok, refused, unavailable or error."""
        self.rpc_latency.labels(service, method, outcome).observe(seconds)

    def init_app(self, app):
        app.extensions["xj_metrics"] = self

        @app.before_request
        def start_timer():
            g.xj_started = time.perf_counter()
            g.xj_in_flight = True
            self.in_flight.inc()

        @app.after_request
        def record(response):
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            self.requests.labels(request.method, endpoint, response.status_code).inc()
            started = getattr(g, "xj_started", None)
            if started is not None:
                self.latency.labels(request.method, endpoint).observe(time.perf_counter() - started)
            return response

        @app.teardown_request
        def leave(error=None):
            if g.pop("xj_in_flight", False):
                self.in_flight.dec()
