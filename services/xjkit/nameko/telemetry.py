"""``Telemetry``: one dependency per service for metrics, request context and entrypoint logs.

    class FilingService:
        telemetry = Telemetry()

nameko calls its ``worker_setup`` / ``worker_result`` / ``worker_teardown`` around every worker,
whatever the entrypoint (@rpc, @event_handler, @timer), so it sees everything the service does:

- **request context**: the worker's ``request_id`` comes from its context data (the gateway's
  ``X-Request-ID``, an upstream RPC, or the stored event's trace); a worker without one (a timer)
  gets a new one. It is written back into the context data, so every RPC the worker makes carries
  it, and bound to ``xjkit.logcontext`` with the case / enterprise / person ids found in the
  call's arguments or the event's payload, so every log line of the worker has them;
- **metrics** (``xjkit.nameko.metrics``): calls, latency and errors per entrypoint, workers in use,
  event delivery lag, outbox backlog, dead letters; served with ``/healthz`` and ``/readyz`` on
  ``METRICS_HOST:METRICS_PORT`` (config; port 0 picks a free one, no port serves nothing);
- **one log line per worker** (``rpc.completed``, ``event.handled``, ``timer.completed``) with
  its outcome and duration (``ping`` only at DEBUG: health checks would drown the rest).

``Telemetry(collectors=(fn,))`` adds service-specific gauges: ``fn(container)`` returns metric
families at every scrape (identity-svc's CRL dates).
"""
import inspect
import logging
import time
import weakref

import eventlet
import eventlet.wsgi
from kombu import Connection
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from nameko.timer import Timer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from xjkit import logcontext
from xjkit.mongo.client import ping as store_ping
from xjkit.nameko.handlers import dead_letter_queue_name, policy_handlers
from xjkit.nameko.metrics import metrics_for

log = logging.getLogger(__name__)

DEFAULT_DLQ_POLL_SECONDS = 30
QUIET_ENTRYPOINTS = frozenset({"ping"})
# argument (or event payload) names → the log field they fill
ID_ARGUMENTS = {
    "enterprise_uscc": "enterprise", "uscc": "enterprise", "person_id": "person", "case_id": "case",
    "employment_id": "employment", "certificate_id": "certificate",
}
EVENTS = {Rpc: ("rpc", "rpc.completed"), EventHandler: ("event", "event.handled"), Timer: ("timer", "timer.completed")}


def entrypoint_kind(entrypoint):
    for cls, (kind, event) in EVENTS.items():
        if isinstance(entrypoint, cls):
            return kind, event
    name = type(entrypoint).__name__.lower()
    return name, f"{name}.completed"


def ids_of(arguments):
    found = {}
    for name, field in ID_ARGUMENTS.items():
        value = arguments.get(name)
        if isinstance(value, str) and value and field not in found:
            found[field] = value
    return found


def error_name(exc):
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) and code else type(exc).__name__


class Telemetry(DependencyProvider):
    def __init__(self, collectors=()):
        self.collectors = tuple(collectors)
        self._workers = weakref.WeakKeyDictionary()  # worker_ctx -> (started, context token)
        self._signatures = {}
        self.server_socket = None
        self.port = None
        self.running = False

    # --- lifecycle ------------------------------------------------------------------------------

    def setup(self):
        config = self.container.config
        self.metrics = metrics_for(self.container)
        self.metrics.workers_max.labels(self.metrics.service).set(self.container.max_workers)
        for collect in self.collectors:
            self.metrics.add_collector(lambda collect=collect: collect(self.container))
        port = config.get("METRICS_PORT")
        if port not in (None, ""):
            host = config.get("METRICS_HOST") or "127.0.0.1"
            # bound here, so a port that is taken stops the service at start-up, saying why
            self.server_socket = eventlet.listen((host, int(port)))
            self.port = self.server_socket.getsockname()[1]
            port_file = config.get("METRICS_PORT_FILE")
            if port_file:  # port 0: the system chose one; tell whoever started us which
                with open(port_file, "w", encoding="ascii") as handle:
                    handle.write(str(self.port))
            log.info("metrics on http://%s:%s/metrics", host, self.port,
                     extra={"event": "metrics.listening", "fields": {"metrics_port": self.port}})
        queues = config.get("DEAD_LETTER_QUEUES")
        if queues is None:  # one per event handler (xjkit.nameko.handlers)
            self.dead_letter_queues = [
                dead_letter_queue_name(self.container.service_name, entrypoint.method_name)
                for entrypoint in policy_handlers(self.container)]
        else:
            self.dead_letter_queues = [name.strip() for name in str(queues).split(",") if name.strip()]
        self.dead_letter_counts = {}
        self.dlq_poll_seconds = float(config.get("DEAD_LETTER_POLL_SECONDS") or DEFAULT_DLQ_POLL_SECONDS)

    def start(self):
        self.running = True
        store = self._store()
        if store is not None and getattr(store, "outbox_collections", None):
            self.metrics.watch_outboxes(store.database, store.outbox_collections, stuck=store.relay.stuck)
        if self.server_socket is not None:
            self._server_thread = self.container.spawn_managed_thread(self._serve, identifier="metrics-server")
        if self.dead_letter_queues:
            self.container.spawn_managed_thread(self._poll_dead_letters, identifier="dead-letter-poll")

    def stop(self):
        self.running = False
        thread = getattr(self, "_server_thread", None)
        if thread is not None:
            thread.kill()
        if self.server_socket is not None:
            self.server_socket.close()

    def kill(self):
        self.stop()

    def _store(self):
        for extension in self.container.dependencies:
            if hasattr(extension, "database") and hasattr(extension, "outbox_collections"):
                return extension
        return None

    # --- workers --------------------------------------------------------------------------------

    def _arguments(self, worker_ctx):
        method_name = worker_ctx.entrypoint.method_name
        signature = self._signatures.get(method_name)
        if signature is None:
            signature = inspect.signature(getattr(self.container.service_cls, method_name))
            self._signatures[method_name] = signature
        try:
            bound = signature.bind_partial(None, *worker_ctx.args, **worker_ctx.kwargs).arguments
        except TypeError:
            bound = dict(worker_ctx.kwargs)
        arguments = {name: value for name, value in bound.items() if name != "self"}
        for value in arguments.values():  # an event handler's payload names who it concerns
            if isinstance(value, dict) and isinstance(value.get("payload"), dict):
                arguments = {**value["payload"], **arguments}
        return arguments

    def get_dependency(self, worker_ctx):
        data = worker_ctx.data
        request_id = logcontext.accept_request_id(data.get(logcontext.REQUEST_ID)) or logcontext.new_request_id()
        data[logcontext.REQUEST_ID] = request_id  # every RPC this worker makes carries it
        try:
            ids = ids_of(self._arguments(worker_ctx))
        except Exception:  # never let logging context break a worker
            ids = {}
        token = logcontext.replace({logcontext.REQUEST_ID: request_id, **ids})
        self._workers[worker_ctx] = [None, token]
        return TelemetrySession(self)

    def worker_setup(self, worker_ctx):
        entry = self._workers.setdefault(worker_ctx, [None, None])
        entry[0] = time.perf_counter()
        self.metrics.workers_active.labels(self.metrics.service).inc()
        kind, _ = entrypoint_kind(worker_ctx.entrypoint)
        if kind == "event":
            for value in worker_ctx.args:
                written = logcontext.parse_instant(((value or {}).get("trace") or {}).get("written_at")
                                                   if isinstance(value, dict) else None)
                if written is not None:
                    lag = (logcontext.wall_now() - written).total_seconds()
                    self.metrics.event_lag.labels(self.metrics.service, worker_ctx.entrypoint.method_name).observe(
                        max(0.0, lag))

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        entry = self._workers.get(worker_ctx) or [None, None]
        started = entry[0]
        seconds = time.perf_counter() - started if started is not None else 0.0
        entrypoint = worker_ctx.entrypoint
        kind, event = entrypoint_kind(entrypoint)
        error = None
        if exc_info is None:
            outcome = "ok"
        else:
            exc = exc_info[1]
            outcome = "refused" if isinstance(exc, entrypoint.expected_exceptions) else "error"
            error = error_name(exc)
        self.metrics.observe_worker(entrypoint.method_name, kind, outcome, seconds, error)
        fields = {"entrypoint": entrypoint.method_name, "kind": kind, "outcome": outcome,
                  "duration_ms": round(seconds * 1000, 1)}
        if error:
            fields["error"] = error
        if isinstance(result, dict) and isinstance(result.get("id"), str):
            fields["result_id"] = result["id"]
        if entrypoint.method_name in QUIET_ENTRYPOINTS and outcome == "ok":
            level = logging.DEBUG
        else:
            level = logging.WARNING if outcome == "error" else logging.INFO
        log.log(level, "%s %s.%s %s in %.1f ms", kind, self.container.service_name, entrypoint.method_name, outcome,
                seconds * 1000, extra={"event": event, "fields": fields})

    def worker_teardown(self, worker_ctx):
        entry = self._workers.pop(worker_ctx, None)
        if entry and entry[0] is not None:
            self.metrics.workers_active.labels(self.metrics.service).dec()
        if entry and entry[1] is not None:
            logcontext.reset(entry[1])

    # --- HTTP: /metrics, /healthz, /readyz ------------------------------------------------------

    def _serve(self):
        eventlet.wsgi.server(self.server_socket, self._application, log_output=False, debug=False,
                             max_size=16)

    def _application(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            body, status, content_type = generate_latest(self.metrics.registry), "200 OK", CONTENT_TYPE_LATEST
        elif path == "/healthz":
            body, status, content_type = b'{"status": "ok"}', "200 OK", "application/json"
        elif path == "/readyz":
            store = self._store()
            ready = self.running and (store is None or store_ping(store.database))
            body = b'{"status": "ok"}' if ready else b'{"status": "unavailable"}'
            status, content_type = ("200 OK" if ready else "503 Service Unavailable"), "application/json"
        else:
            body, status, content_type = b"not found", "404 Not Found", "text/plain"
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    # --- dead letters ---------------------------------------------------------------------------

    def _poll_dead_letters(self):
        while self.running:
            try:
                self.read_dead_letters()
            except Exception as error:  # the broker is away: keep the last values, try again
                log.warning("dead-letter queues not read: %s", error)
            eventlet.sleep(self.dlq_poll_seconds)

    def read_dead_letters(self):
        """Message counts of the dead-letter queues (a passive declare: nothing is created)."""
        service = self.metrics.service
        with Connection(self.container.config["AMQP_URI"], connect_timeout=5) as connection:
            for queue in self.dead_letter_queues:
                channel = connection.channel()
                try:
                    _, messages, _ = channel.queue_declare(queue=queue, passive=True)
                    present = 1
                except Exception as error:
                    if getattr(error, "code", None) != 404:
                        raise
                    messages, present = 0, 0  # not declared (yet): nothing dead-lettered
                finally:
                    try:
                        channel.close()
                    except Exception:  # a 404 closed it already
                        pass
                self.metrics.dead_letters.labels(service, queue).set(messages)
                self.dead_letter_counts[queue] = messages
                self.metrics.dead_letter_queue_up.labels(service, queue).set(present)
        self.metrics.dead_letters_checked.labels(service).set(time.time())


class TelemetrySession:
    """What a worker sees: it may add ids it learns (``self.telemetry.bind(case=case_id)``), and
    the health figures ``ping`` reports (dead letters as last read from the broker)."""

    def __init__(self, provider=None):
        self._provider = provider

    def dead_letters(self):
        """{dead-letter queue: messages} as last read (``DEAD_LETTER_POLL_SECONDS``)."""
        return dict(getattr(self._provider, "dead_letter_counts", None) or {})

    @staticmethod
    def bind(**fields):
        logcontext.bind(**fields)
