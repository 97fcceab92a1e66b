"""The handler policy against the real broker: a conflict is retried in the same delivery, a
failure comes back after a delay through the retry queue, a poison message lands in the handler's
dead-letter queue (counted, shown, replayed by xj-dlq), and nothing is acked away."""
import os
import time
import uuid

import eventlet
import pytest
from nameko.standalone.events import event_dispatcher

from xjkit.errors import ConcurrencyConflict
from xjkit.nameko import dlq
from xjkit.nameko.handlers import dead_letter_queue_name, event_handler
from xjkit.nameko.telemetry import Telemetry
from xjkit.polling import wait_until

pytestmark = pytest.mark.integration

RABBIT_API = os.environ.get("RABBIT_API_URI", "http://127.0.0.1:15672")
CALLS = {}  # key -> [monotonic time of every call]
HEALED = set()


class Flaky:
    name = "xjpolicy"
    telemetry = Telemetry()

    @event_handler("xjsrc", "happened")
    def on_happened(self, payload):
        key = payload["key"]
        CALLS.setdefault(key, []).append(time.monotonic())
        tries = len(CALLS[key])
        if tries <= payload.get("conflicts", 0):
            raise ConcurrencyConflict()
        if payload.get("poison") and key not in HEALED:
            raise RuntimeError("poison")
        if tries <= payload.get("failures", 0):
            raise RuntimeError("transient")


@pytest.fixture
def running(container_factory, rabbit_config):
    config = {**rabbit_config, "EVENT_MAX_ATTEMPTS": 3, "EVENT_RETRY_BASE_SECONDS": 0.3,
              "DEAD_LETTER_POLL_SECONDS": 3600}
    container = container_factory(Flaky, config)
    container.start()
    dispatch = event_dispatcher(rabbit_config)
    return config, container, lambda payload: dispatch("xjsrc", "happened", payload)


def calls_of_one_event(running, calls, **behaviour):
    """Send one event with ``behaviour`` (conflicts, failures); the times of its first ``calls`` calls."""
    _, _, send = running
    key = uuid.uuid4().hex
    send({"key": key, **behaviour})
    assert wait_until(lambda: len(CALLS.get(key, [])) == calls)
    return CALLS[key]


def test_a_write_conflict_is_retried_at_once_in_the_same_delivery(running):
    calls = calls_of_one_event(running, 4, conflicts=3)
    assert calls[-1] - calls[0] < 0.25  # no broker round trip, no backoff


def test_a_failing_handler_gets_the_event_again_after_a_growing_delay(running):
    calls = calls_of_one_event(running, 3, failures=2)
    assert calls[1] - calls[0] >= 0.3 - 0.05  # first backoff: the base
    assert calls[2] - calls[1] >= 0.6 - 0.05  # then doubled
    eventlet.sleep(1.0)
    assert len(calls) == 3  # succeeded: no further delivery


def test_a_poison_message_is_dead_lettered_counted_and_replayed(running):
    config, container, send = running
    key = uuid.uuid4().hex
    send({"key": key, "poison": True})
    queue = dead_letter_queue_name("xjpolicy", "on_happened")
    telemetry = next(ext for ext in container.extensions if isinstance(ext, Telemetry))

    def dead_lettered():
        telemetry.read_dead_letters()
        return telemetry.dead_letter_counts.get(queue) == 1
    assert wait_until(dead_lettered)
    assert len(CALLS[key]) == 3  # EVENT_MAX_ATTEMPTS tries, then no more

    shown = dlq.show(config["AMQP_URI"], queue)
    assert [(item["payload"]["key"], item["attempts"]) for item in shown] == [(key, 3)]
    assert shown[0]["error"].startswith("RuntimeError: poison")
    assert shown[0]["queue"] == "evt-xjsrc-happened--xjpolicy.on_happened"
    telemetry.read_dead_letters()
    assert telemetry.dead_letter_counts[queue] == 1  # show left it there
    assert telemetry.metrics.dead_letters.labels("xjpolicy", queue)._value.get() == 1

    assert queue in [name for name, _ in dlq.list_queues(config["AMQP_URI"], RABBIT_API)]

    HEALED.add(key)  # the cause is fixed: replay
    assert dlq.replay(config["AMQP_URI"], queue) == 1
    assert wait_until(lambda: len(CALLS[key]) == 4)
    telemetry.read_dead_letters()
    assert telemetry.dead_letter_counts[queue] == 0
