"""Telemetry against the real broker and store: the request id across RPC, nested RPC, the
outbox and event handlers; metrics of every entrypoint, the store and the relay; /metrics,
/healthz, /readyz; dead-letter queues read from the broker."""
import datetime
import json
import logging
import time
import uuid

import eventlet
import pytest
import requests
from nameko.events import event_handler
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.rpc import RpcPool
from xjkit.errors import ServiceUnavailable
from xjkit import logcontext
from xjkit.clock import FixedClock
from xjkit.errors import DomainError
from xjkit.events import new_event
from xjkit.jsonlog import JsonFormatter
from xjkit.mongo.repository import VersionedRepository
from xjkit.nameko.metrics import metrics_for
from xjkit.nameko.rpc import rpc
from xjkit.nameko.rpc_proxy import TimedRpcProxy
from xjkit.nameko.store import Store
from xjkit.nameko.telemetry import Telemetry
from xjkit.polling import wait_until

pytestmark = pytest.mark.integration

CLOCK = FixedClock(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.timezone.utc))
SEEN = {}  # what the workers saw, by test key


class NotAllowed(DomainError):
    code = "NOT_ALLOWED"
    status = 409
    message = "不允许"


class Things(VersionedRepository):
    collection_name = "things"


class Downstream:
    name = "xjdown"
    telemetry = Telemetry()
    store = Store()

    @rpc
    def whoami(self):
        return logcontext.request_id()

    @rpc
    def refuse(self):
        raise NotAllowed()

    @rpc
    def crash(self):
        raise RuntimeError("boom")

    @event_handler("xjup", "made")
    def on_made(self, event_data):
        SEEN[event_data["payload"]["key"]] = {"request_id": logcontext.request_id(),
                                              "context": logcontext.current()}


class Upstream:
    name = "xjup"
    telemetry = Telemetry()
    store = Store(outbox_collections=("things",))
    down = TimedRpcProxy("xjdown")

    @rpc
    def make(self, key, enterprise_uscc=None):
        Things(self.store.db).insert({"_id": key}, events=[new_event("xjup.made", {"key": key}, CLOCK)])
        return {"id": key, "here": logcontext.request_id(), "nested": self.down.whoami()}


@pytest.fixture
def running(container_factory, service_config):
    containers = {}
    for cls in (Downstream, Upstream):
        container = container_factory(cls, {**service_config, "DEAD_LETTER_QUEUES": "xjdown.dead_letters"})
        container.start()
        containers[cls.name] = container
    return service_config, containers


def metrics_port(container):
    return next(ext for ext in container.extensions if isinstance(ext, Telemetry)).port


def scrape(container):
    response = requests.get(f"http://127.0.0.1:{metrics_port(container)}/metrics", timeout=5)
    assert response.status_code == 200
    return response.text


def sample(text, name, **labels):
    """The value of one sample in Prometheus text, or 0.0 when absent."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_the_request_id_travels_into_nested_rpcs_the_outbox_and_event_handlers(running):
    config, _ = running
    key = uuid.uuid4().hex
    with ClusterRpcProxy(config, context_data={"request_id": "req-travels-1"}, timeout=10) as proxy:
        answer = proxy.xjup.make(key=key)
    assert answer == {"id": key, "here": "req-travels-1", "nested": "req-travels-1"}
    assert wait_until(lambda: key in SEEN)
    assert SEEN[key]["request_id"] == "req-travels-1"


def test_a_worker_without_a_request_id_gets_a_fresh_one_that_no_log_redaction_can_alter(running):
    config, _ = running
    with ClusterRpcProxy(config, timeout=10) as proxy:
        first, second = proxy.xjdown.whoami(), proxy.xjdown.whoami()
    assert first and second and first != second
    assert not any(char.isdigit() for char in first + second)


def test_an_unacceptable_incoming_request_id_is_replaced(running):
    config, _ = running
    with ClusterRpcProxy(config, context_data={"request_id": "13800138000"}, timeout=10) as proxy:
        assert proxy.xjdown.whoami() != "13800138000"


def test_event_handlers_know_the_ids_in_the_events_payload(running):
    config, _ = running
    key = uuid.uuid4().hex
    with ClusterRpcProxy(config, timeout=10) as proxy:
        proxy.xjup.make(key=key, enterprise_uscc="9151010029141777XB")
    assert wait_until(lambda: key in SEEN)
    assert SEEN[key]["context"]["request_id"] == SEEN[key]["request_id"]


def test_every_entrypoint_is_counted_and_timed_by_outcome(running):
    config, containers = running
    with ClusterRpcProxy(config, timeout=10) as proxy:
        proxy.xjdown.whoami()
        with pytest.raises(DomainError):
            proxy.xjdown.refuse()
        with pytest.raises(Exception):
            proxy.xjdown.crash()
    text = scrape(containers["xjdown"])
    labels = {"service": "xjdown", "kind": "rpc"}
    assert sample(text, "xj_entrypoint_calls_total", entrypoint="whoami", outcome="ok", **labels) == 1
    assert sample(text, "xj_entrypoint_calls_total", entrypoint="refuse", outcome="refused", **labels) == 1
    assert sample(text, "xj_entrypoint_calls_total", entrypoint="crash", outcome="error", **labels) == 1
    assert sample(text, "xj_entrypoint_errors_total", entrypoint="refuse", error="NOT_ALLOWED", **labels) == 1
    assert sample(text, "xj_entrypoint_errors_total", entrypoint="crash", error="RuntimeError", **labels) == 1
    assert sample(text, "xj_entrypoint_seconds_count", entrypoint="whoami", **labels) == 1
    assert sample(text, "xj_workers_max", service="xjdown") == 10
    assert sample(text, "xj_workers_active", service="xjdown") == 0


def test_the_relay_store_and_event_handlers_are_measured(running):
    config, containers = running
    key = uuid.uuid4().hex
    with ClusterRpcProxy(config, timeout=10) as proxy:
        proxy.xjup.make(key=key)
    assert wait_until(lambda: key in SEEN)
    up = scrape(containers["xjup"])
    assert sample(up, "xj_outbox_relayed_events_total", service="xjup", event="made") >= 1
    assert sample(up, "xj_outbox_relay_lag_seconds_count", service="xjup") >= 1
    assert sample(up, "xj_store_operation_seconds_count", service="xjup", command="insert", collection="things") >= 1
    assert sample(up, "xj_outbox_pending_documents", service="xjup", collection="things") == 0
    assert "xj_outbox_oldest_pending_seconds" in up
    down = scrape(containers["xjdown"])
    assert sample(down, "xj_entrypoint_calls_total", service="xjdown", entrypoint="on_made", kind="event",
                  outcome="ok") >= 1
    assert sample(down, "xj_event_delivery_lag_seconds_count", service="xjdown", entrypoint="on_made") >= 1


def test_an_unpublished_event_shows_in_the_backlog(running):
    _, containers = running
    container = containers["xjup"]
    store = next(ext for ext in container.extensions if isinstance(ext, Store))
    store.running = False  # no background sweep: the event stays in the outbox
    Things(store.database).insert({"_id": "stuck"}, events=[new_event("xjup.made", {"key": "stuck"}, CLOCK)])
    metrics_for(container)._backlog_cache = (0.0, [])
    text = scrape(container)
    assert sample(text, "xj_outbox_pending_documents", service="xjup", collection="things") == 1


def test_health_and_readiness_answer_on_the_metrics_port(running):
    _, containers = running
    port = metrics_port(containers["xjup"])
    assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    assert requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
    assert requests.get(f"http://127.0.0.1:{port}/other", timeout=5).status_code == 404


def test_dead_letters_are_read_from_the_broker(running, rabbit_manager, rabbit_config):
    _, containers = running
    telemetry = next(ext for ext in containers["xjdown"].extensions if isinstance(ext, Telemetry))
    telemetry.read_dead_letters()
    text = scrape(containers["xjdown"])
    assert sample(text, "xj_dead_letter_queue_present", service="xjdown", queue="xjdown.dead_letters") == 0
    assert sample(text, "xj_dead_letters", service="xjdown", queue="xjdown.dead_letters") == 0
    vhost = rabbit_config["vhost"]
    rabbit_manager.create_queue(vhost, "xjdown.dead_letters", durable=True)
    for n in range(3):
        rabbit_manager.publish(vhost, "amq.default", "xjdown.dead_letters", f"dead {n}")
    telemetry.read_dead_letters()
    text = scrape(containers["xjdown"])
    assert sample(text, "xj_dead_letter_queue_present", service="xjdown", queue="xjdown.dead_letters") == 1
    assert sample(text, "xj_dead_letters", service="xjdown", queue="xjdown.dead_letters") == 3


def test_each_worker_writes_one_json_line_with_its_outcome_and_request_id(running, caplog):
    config, _ = running
    caplog.set_level(logging.INFO, logger="xjkit.nameko.telemetry")
    with ClusterRpcProxy(config, context_data={"request_id": "req-json-1"}, timeout=10) as proxy:
        with pytest.raises(DomainError):
            proxy.xjdown.refuse()
    formatter = JsonFormatter("xjdown")

    def lines_of_the_request():
        lines = [json.loads(formatter.format(record)) for record in caplog.records
                 if record.name == "xjkit.nameko.telemetry"]
        return [line for line in lines if line.get("request_id") == "req-json-1"]

    # the line is written when the worker is torn down, which may be just after the reply arrived
    deadline = time.monotonic() + 10
    while not lines_of_the_request() and time.monotonic() < deadline:
        eventlet.sleep(0.05)
    [line] = lines_of_the_request()
    assert (line["event"], line["entrypoint"], line["outcome"], line["error"]) == (
        "rpc.completed", "refuse", "refused", "NOT_ALLOWED")
    assert line["level"] == "INFO" and line["service"] == "xjdown" and line["duration_ms"] >= 0


def test_the_gateways_pool_sends_each_calls_request_id_and_no_other(running):
    config, _ = running
    observed = []
    pool = RpcPool(config["AMQP_URI"], timeout=5,
                   observe=lambda service, method, outcome, seconds: observed.append((service, method, outcome)))
    try:
        token = logcontext.replace({"request_id": "req-pool-1"})
        assert pool.call("xjdown", "whoami") == "req-pool-1"
        logcontext.reset(token)
        token = logcontext.replace({"request_id": "req-pool-2"})
        assert pool.call("xjdown", "whoami") == "req-pool-2"  # the same proxy, the new id
        logcontext.reset(token)
        assert pool.call("xjdown", "whoami") not in ("req-pool-1", "req-pool-2")  # none bound: none sent
        with pytest.raises(DomainError):
            pool.call("xjdown", "refuse")
        with pytest.raises(ServiceUnavailable):
            pool.call("nosuchservice", "anything")
    finally:
        pool.close()
    assert observed == [("xjdown", "whoami", "ok")] * 3 + [("xjdown", "refuse", "refused"),
                                                           ("nosuchservice", "anything", "unavailable")]
