"""What an RPC entrypoint sends back when its worker failed: refusals as the plain DomainError every
caller can rebuild, and a store that cannot be reached as 503 SERVICE_UNAVAILABLE, never a 500."""
from types import SimpleNamespace

import pytest
from nameko.rpc import Rpc
from pymongo.errors import ServerSelectionTimeoutError

from xjkit.errors import DomainError, NotFound
from xjkit.nameko.rpc import DomainRpc


@pytest.fixture
def sent(monkeypatch):
    """The exc_info the entrypoint hands to nameko's reply."""
    replies = []
    monkeypatch.setattr(Rpc, "handle_result",
                        lambda self, message, worker_ctx, result, exc_info: replies.append(exc_info) or (result, exc_info))
    return replies


def entrypoint(service_name="filing"):
    rpc = DomainRpc()
    rpc.container = SimpleNamespace(service_name=service_name)
    return rpc


def test_a_refusal_travels_as_the_plain_base_class_with_its_body(sent):
    class CaseNotFound(NotFound):
        code = "CASE_NOT_FOUND"
        message = "报送记录不存在"

    entrypoint().handle_result(None, None, None, (CaseNotFound, CaseNotFound(errors={"case_id": ["x"]}), None))
    kind, error, _ = sent[0]
    assert kind is DomainError and type(error) is DomainError
    assert (error.code, error.status, error.message, error.errors) == ("CASE_NOT_FOUND", 404, "报送记录不存在", {"case_id": ["x"]})


def test_a_store_that_cannot_be_reached_travels_as_503_naming_the_service(sent):
    entrypoint("publicity").handle_result(None, None, None,
                                          (ServerSelectionTimeoutError, ServerSelectionTimeoutError("no servers"), None))
    kind, error, _ = sent[0]
    assert kind is DomainError and type(error) is DomainError
    assert (error.code, error.status, error.errors) == ("SERVICE_UNAVAILABLE", 503, {"service": ["publicity"]})


def test_any_other_failure_is_left_to_nameko(sent):
    failure = (RuntimeError, RuntimeError("bug"), None)
    entrypoint().handle_result(None, None, None, failure)
    assert sent[0] is failure


def test_a_reply_lost_because_the_broker_went_away_is_logged_and_does_not_kill_the_service(monkeypatch, caplog):
    import kombu.exceptions

    def broker_gone(self, message, worker_ctx, result, exc_info):
        raise kombu.exceptions.OperationalError("[Errno 111] ECONNREFUSED")
    monkeypatch.setattr(Rpc, "handle_result", broker_gone)
    rpc = entrypoint("identity")
    rpc.method_name = "check_session"
    assert rpc.handle_result(None, None, {"ok": True}, None) == ({"ok": True}, None)  # no exception
    assert "reply of identity.check_session lost" in caplog.text


def test_any_other_error_of_the_reply_still_propagates(monkeypatch):
    def broken(self, message, worker_ctx, result, exc_info):
        raise TypeError("not serializable")
    monkeypatch.setattr(Rpc, "handle_result", broken)
    with pytest.raises(TypeError):
        entrypoint().handle_result(None, None, object(), None)
