"""identity's nameko service is a thin adapter: worker_factory tests with its dependencies replaced."""
from unittest import mock

import pytest
from nameko.testing.services import worker_factory

from xjkit.errors import DomainError

from identity.domain.errors import WeChatCodeInvalid
from identity.service import IdentityService


def test_ping_reports_the_store_state_from_the_store_dependency():
    service = worker_factory(IdentityService)
    service.store.ping.return_value = False
    assert service.ping() == {"service": "identity", "store": "down", "broker": "ok", "status": "degraded"}


def test_login_passes_the_code_to_the_use_case_and_returns_its_answer():
    service = worker_factory(IdentityService)
    with mock.patch("identity.service.use_cases.login_with_wechat",
                    return_value={"openid": "o", "person": {"person_id": "p"}}) as use_case:
        assert service.login_with_wechat("dev-o") == {"openid": "o", "person": {"person_id": "p"}}
    assert use_case.call_args.args[-1] == "dev-o"


def test_a_domain_error_from_the_use_case_propagates_unchanged():
    service = worker_factory(IdentityService)
    with mock.patch("identity.service.use_cases.login_with_wechat", side_effect=WeChatCodeInvalid()):
        with pytest.raises(DomainError) as refused:
            service.login_with_wechat("bad")
    assert refused.value.code == "WECHAT_CODE_INVALID"


def test_completing_realname_tells_the_relay_that_events_were_written():
    service = worker_factory(IdentityService)
    with mock.patch("identity.service.use_cases.complete_realname", return_value={"person_id": "p"}):
        service.complete_realname("p", "v")
    service.store.events_written.assert_called_once_with()
