"""identity's nameko service is a thin adapter: worker_factory tests with its dependencies replaced."""
import os
from unittest import mock

import pytest
import yaml
from nameko.cli.main import setup_yaml_parser
from nameko.testing.services import worker_factory

from xjkit.errors import DomainError
from xjkit.idvault import DEV_ID_KEY, IdVault

from identity.adapters.providers import IdNumberVault, parse_templates
from identity.domain.errors import WeChatCodeInvalid
from identity.service import IdentityService


def test_ping_reports_the_store_state_from_the_store_dependency():
    service = worker_factory(IdentityService, ca_verifier=None)
    service.store.ping.return_value = False
    assert service.ping() == {"service": "identity", "store": "down", "broker": "ok", "status": "degraded",
                              "crls": {"state": "not_configured", "cas": [], "files": []}}


def test_ping_reports_the_state_of_the_crls_at_the_wall_clock():
    service = worker_factory(IdentityService)
    service.store.ping.return_value = True
    service.ca_verifier.crl_report.return_value = {"state": "degraded", "cas": [{"ca": "CN=A", "state": "stale"}]}
    report = service.ping()
    assert report["status"] == "ok"  # a stale CRL refuses that CA's logins; it does not make identity unready
    assert report["crls"]["cas"] == [{"ca": "CN=A", "state": "stale"}]
    service.ca_verifier.crl_report.assert_called_once_with(service.wall.now.return_value)


def test_the_revocation_sweep_runs_only_after_the_crls_were_reloaded():
    service = worker_factory(IdentityService)
    service.ca_verifier.current_generation.return_value = 3
    service.ca_verifier.swept_generation = 2
    with mock.patch("identity.service.sessions.end_revoked_sessions", return_value=1) as sweep:
        service.end_sessions_of_revoked_certificates()
        assert sweep.call_count == 1 and service.ca_verifier.swept_generation == 3
        service.end_sessions_of_revoked_certificates()
        assert sweep.call_count == 1  # nothing changed since


def test_login_passes_the_code_to_the_use_case_and_returns_its_answer():
    service = worker_factory(IdentityService)
    with mock.patch("identity.service.person_cases.login_with_wechat",
                    return_value={"openid": "o", "person": {"person_id": "p"}}) as use_case:
        assert service.login_with_wechat("dev-o") == {"openid": "o", "person": {"person_id": "p"}}
    assert use_case.call_args.args[-1] == "dev-o"


def test_a_domain_error_from_the_use_case_propagates_unchanged():
    service = worker_factory(IdentityService)
    with mock.patch("identity.service.person_cases.login_with_wechat", side_effect=WeChatCodeInvalid()):
        with pytest.raises(DomainError) as refused:
            service.login_with_wechat("bad")
    assert refused.value.code == "WECHAT_CODE_INVALID"


def test_completing_realname_is_one_call_of_its_use_case():
    # relaying its events needs no call: the store notices the write (test_relay_after_every_commit)
    service = worker_factory(IdentityService)
    with mock.patch("identity.service.person_cases.complete_realname", return_value={"person_id": "p"}) as use_case:
        assert service.complete_realname("p", "v") == {"person_id": "p"}
    use_case.assert_called_once()


def test_an_offer_event_is_delivered_to_the_inbox_use_case():
    service = worker_factory(IdentityService, templates={"employment_offer": "t1"})
    event = {"type": "employment.offered", "event_id": "e1", "occurred_at": "2026-11-25T10:00:00+08:00",
             "version": 1, "payload": {"person_id": "p1", "employment_id": "emp1", "enterprise_name": "甲"}}
    with mock.patch("identity.service.inbox.deliver") as deliver:
        service.on_employment_offered(event)
    notice = deliver.call_args.args[-1]
    assert (notice["event_id"], notice["person_id"], notice["kind"]) == ("e1", "p1", "employment_offer")
    assert deliver.call_args.args[-3] == {"employment_offer": "t1"}


def test_enterprise_login_without_configured_roots_is_503():
    service = worker_factory(IdentityService, ca_verifier=None)
    with pytest.raises(DomainError) as refused:
        service.login_with_certificate("c", "pem", "sig")
    assert (refused.value.status, refused.value.code) == (503, "CA_LOGIN_UNAVAILABLE")


def test_the_templates_setting_maps_each_notice_kind_to_its_template():
    assert parse_templates(" employment_offer = t1,cert_reviewed=t2,broken,=t3,kind= ") == {
        "employment_offer": "t1", "cert_reviewed": "t2"}


CONFIG_YML = os.path.join(os.path.dirname(__file__), "..", "..", "config.yml")
KEY = bytes(range(32))


def vault_of(config):
    provider = IdNumberVault()
    provider.container = mock.Mock(config=config)
    provider.setup()
    return provider.get_dependency(None)


def test_the_id_key_comes_from_xj_id_key_through_config_yml_as_text(monkeypatch):
    monkeypatch.setenv("XJ_ID_KEY", "12" * 32)  # digits only: YAML would read a number
    setup_yaml_parser()
    with open(CONFIG_YML, encoding="utf-8") as handle:
        assert yaml.safe_load(handle)["ID_KEY"] == "12" * 32


def test_the_vault_is_keyed_by_the_configured_id_key(monkeypatch):
    monkeypatch.setenv("XJ_ENV", "prod")
    assert vault_of({"ID_KEY": KEY.hex()}).lookup_hash("x") == IdVault(KEY).lookup_hash("x")


@pytest.mark.parametrize("key", [None, "", DEV_ID_KEY.hex()])
def test_prod_refuses_to_start_without_an_id_key_or_with_the_development_key(monkeypatch, key):
    monkeypatch.setenv("XJ_ENV", "prod")
    with pytest.raises(RuntimeError, match="XJ_ID_KEY"):
        vault_of({"ID_KEY": key})


def test_dev_and_test_without_an_id_key_use_the_development_key(monkeypatch):
    monkeypatch.setenv("XJ_ENV", "test")
    assert vault_of({}).lookup_hash("x") == IdVault(DEV_ID_KEY).lookup_hash("x")
