"""Container healthcheck for the xjcloud images (copied to /opt/xj/healthcheck.py in each image).

    python /opt/xj/healthcheck.py <service_name>     a nameko service: its RPC ``ping`` over RabbitMQ
    python /opt/xj/healthcheck.py http://HOST:PORT/PATH   an HTTP endpoint (gateway, stubs)

Exit status 0 only when the service answered ``{"status": "ok", ...}`` (a store that is down makes
``ping`` answer "degraded": unhealthy), or the URL answered 200. Anything else (no broker, no
answer in time, an unknown service, a refused connection) prints one line saying why and exits 1.

Uses ``AMQP_URI`` from the environment (as the service does). The whole check is bounded by
``XJ_HEALTHCHECK_TIMEOUT`` seconds (default 5) plus a short grace for connecting, so a broker that
accepts TCP but never answers cannot hang the check. Stdlib only in HTTP mode, so it also runs in
the stubs image, which has no nameko.

Note: nameko RPC goes to the service's queue, which every replica of that service consumes, so
with ``--scale filing=3`` a replica's ping may be answered by a sibling. The check proves that
the service is reachable and its store is up; a replica whose own process died exits anyway
(nameko is the container's main process).
"""
import json
import os
import signal
import sys
import urllib.error
import urllib.request
import warnings

TIMEOUT_SECONDS = float(os.environ.get("XJ_HEALTHCHECK_TIMEOUT", "5"))
CONNECT_GRACE_SECONDS = 5


def fail(message):
    print(f"unhealthy: {message}", flush=True)
    sys.exit(1)


def check_http(url):
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        fail(f"GET {url} answered {error.code}")
    except (urllib.error.URLError, OSError) as error:
        fail(f"GET {url}: {error}")
    if status != 200:
        fail(f"GET {url} answered {status}")
    print(f"healthy: GET {url} answered 200", flush=True)


def check_nameko(service):
    amqp_uri = os.environ.get("AMQP_URI")
    if not amqp_uri:
        fail("AMQP_URI is not set")
    warnings.filterwarnings("ignore")  # eventlet's deprecation notice on import is not our answer
    from nameko.standalone.rpc import ClusterRpcProxy

    try:
        with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=TIMEOUT_SECONDS) as proxy:
            report = getattr(proxy, service).ping()
    except Exception as error:  # no broker, RpcTimeout, UnknownService: all mean unhealthy
        fail(f"{service}.ping failed: {type(error).__name__}: {error}")
    if not isinstance(report, dict) or report.get("status") != "ok":
        fail(f"{service}.ping answered {json.dumps(report, ensure_ascii=False)}")
    print(f"healthy: {json.dumps(report, ensure_ascii=False)}", flush=True)


def main(argv):
    if len(argv) != 2 or not argv[1].strip():
        print("usage: healthcheck.py <nameko service name> | <http(s) URL>", file=sys.stderr)
        return 2
    target = argv[1].strip()
    # the answer names what was checked even when the alarm ends it (a slow import counts too)
    signal.signal(signal.SIGALRM, lambda signum, frame: fail(
        f"{target}: no answer within {TIMEOUT_SECONDS + CONNECT_GRACE_SECONDS:g} s"))
    signal.alarm(int(TIMEOUT_SECONDS + CONNECT_GRACE_SECONDS))
    if target.startswith(("http://", "https://")):
        check_http(target)
    else:
        check_nameko(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
