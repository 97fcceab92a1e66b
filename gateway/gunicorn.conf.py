"""gunicorn settings for the gateway. Threads, not eventlet: the gateway is not monkey-patched."""
import os

from prometheus_client import multiprocess

bind = os.environ.get("XJ_GATEWAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("XJ_GATEWAY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("XJ_GATEWAY_THREADS", "8"))
timeout = 60
graceful_timeout = 20
# No access log of gunicorn's: the app writes one JSON line per request (gateway.request_log:
# method, route, path without the query string — it may carry ID numbers — status, duration,
# request id). Everything else gunicorn and the app log goes out as JSON too (xjkit.jsonlog).
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "xjkit.jsonlog.JsonFormatter", "service": "gateway"}},
    "filters": {"redact": {"()": "xjkit.masking.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"],
                             "stream": "ext://sys.stderr"}},
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
