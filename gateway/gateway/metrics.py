"""Request count and latency per endpoint for Prometheus.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (the launcher does) so
/metrics adds up every worker, not just the one that answered.
"""
import os
import time

from flask import g, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client import multiprocess


class Metrics:
    def __init__(self):
        multiprocess_mode = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        # multiprocess: samples go to files through the default registry; /metrics reads them all
        target = {} if multiprocess_mode else {"registry": CollectorRegistry()}
        self.requests = Counter("xj_http_requests_total", "HTTP requests", ["method", "endpoint", "status"], **target)
        self.latency = Histogram("xj_http_request_seconds", "HTTP request latency", ["method", "endpoint"], **target)
        if multiprocess_mode:
            self.registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(self.registry)
        else:
            self.registry = target["registry"]

    def init_app(self, app):
        app.extensions["xj_metrics"] = self

        @app.before_request
        def start_timer():
            g.xj_started = time.perf_counter()

        @app.after_request
        def record(response):
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            self.requests.labels(request.method, endpoint, response.status_code).inc()
            started = getattr(g, "xj_started", None)
            if started is not None:
                self.latency.labels(request.method, endpoint).observe(time.perf_counter() - started)
            return response
