"""gunicorn settings for the gateway. Threads, not eventlet: the gateway is not monkey-patched."""
import os

from prometheus_client import multiprocess

bind = os.environ.get("XJ_GATEWAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("XJ_GATEWAY_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("XJ_GATEWAY_THREADS", "8"))
timeout = 60
graceful_timeout = 20
accesslog = "-"
# no query strings in the access log: they may carry ID numbers (persons/lookup?id_card_no=)
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
