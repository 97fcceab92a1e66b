"""The handler policy's rules, without a broker: conflicts retry at once within a bound, other
errors back off exponentially up to a cap, and the N-th failure dead-letters."""
import pytest

from xjkit.errors import ConcurrencyConflict
from xjkit.nameko.handlers import (
    backoff_seconds, dead_letter_queue_name, next_step, retry_queue, retry_queue_name,
)
from xjkit.retry import CONFLICT_ATTEMPTS, retry_on_conflict


def test_a_conflict_is_retried_at_once_until_the_work_succeeds():
    calls = []

    def work():
        calls.append(1)
        if len(calls) < 4:
            raise ConcurrencyConflict()
        return "done"
    assert retry_on_conflict(work, sleep=lambda _: None) == "done"
    assert len(calls) == 4


def test_conflicts_beyond_the_bound_are_raised_to_the_caller():
    calls = []

    def work():
        calls.append(1)
        raise ConcurrencyConflict()
    with pytest.raises(ConcurrencyConflict):
        retry_on_conflict(work, sleep=lambda _: None)
    assert len(calls) == CONFLICT_ATTEMPTS


def test_any_other_error_is_not_retried_in_place():
    calls = []

    def work():
        calls.append(1)
        raise ValueError("broken")
    with pytest.raises(ValueError):
        retry_on_conflict(work, sleep=lambda _: None)
    assert len(calls) == 1


def test_backoff_doubles_from_the_base_up_to_the_cap():
    assert [backoff_seconds(n, base=1, cap=10) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 4, 8, 10, 10]


def test_the_last_allowed_failure_goes_to_the_dead_letter_queue():
    assert [next_step(n, 3) for n in (1, 2, 3, 4)] == ["retry", "retry", "dead_letter", "dead_letter"]


def test_the_retry_queue_dead_letters_back_into_the_handlers_own_queue():
    queue = retry_queue("publicity", "on_registration_changed", "evt-filing-x--publicity.on_registration_changed")
    assert queue.name == retry_queue_name("publicity", "on_registration_changed") == \
        "xj.retry.publicity.on_registration_changed"
    assert queue.queue_arguments == {"x-dead-letter-exchange": "",
                                     "x-dead-letter-routing-key": "evt-filing-x--publicity.on_registration_changed"}
    assert dead_letter_queue_name("publicity", "on_registration_changed") == "xj.dlq.publicity.on_registration_changed"


def test_a_forwarding_handler_is_named_by_its_attribute_and_hands_the_event_to_the_method():
    from nameko.containers import ServiceContainer
    from nameko.testing.services import worker_factory
    from xjkit.nameko.handlers import PolicyEventHandler, forward_event

    class Inbox:
        name = "inbox"
        received = []

        def _deliver(self, event_data):
            self.received.append(event_data)
            return "delivered"

        on_offered = forward_event("employment", "offered", to="_deliver")
        on_confirmed = forward_event("cert", "title_confirmed", to="_deliver")

    container = ServiceContainer(Inbox, {"AMQP_URI": "memory://"})
    handlers = {(e.source_service, e.event_type, e.method_name) for e in container.entrypoints
                if isinstance(e, PolicyEventHandler)}
    # the method name names each handler's queue (evt-<source>-<type>--inbox.<method>)
    assert handlers == {("employment", "offered", "on_offered"), ("cert", "title_confirmed", "on_confirmed")}
    inbox = worker_factory(Inbox)
    assert inbox.on_confirmed({"event_id": "e1"}) == "delivered"
    assert Inbox.received == [{"event_id": "e1"}]
