"""identity-svc in a real nameko container, against RabbitMQ, nx-27017 and the WeChat stub."""
import pytest
import requests
from nameko.events import event_handler
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import entrypoint_waiter

from xjkit.errors import DomainError
from xjkit.nameko.callers import SignedClusterRpcProxy
from xjkit.testdata import make_id_card

from identity.service import IdentityService

pytestmark = pytest.mark.integration

ID_CARD = make_id_card(region="510104", birth="19850612", seq="201")



@pytest.fixture
def identity_config(container_factory, service_config_of, stubs):
    config = service_config_of("identity-svc", WECHAT_API_BASE=stubs)
    container_factory(IdentityService, config).start()
    return config


@pytest.fixture
def identity(identity_config):
    with ServiceRpcProxy("identity", identity_config, timeout=10) as proxy:
        yield proxy


class PersonVerifiedListener:
    name = "listener"
    received = []

    @event_handler("identity", "person_verified")
    def on_verified(self, event):
        PersonVerifiedListener.received.append(event)


def test_ping_reports_store_and_broker_ok(identity):
    assert identity.ping() == {"service": "identity", "store": "ok", "broker": "ok", "status": "ok",
                               "crls": {"state": "not_configured", "cas": [], "files": []},
                               "dead_letters": 0, "outbox_stuck": 0}


def test_login_realname_and_complete_through_wechat_stub(identity, container_factory, service_config, stubs):
    listener = container_factory(PersonVerifiedListener, service_config)
    listener.start()
    login = identity.login_with_wechat(code="dev-alice")
    person_id = login["person"]["person_id"]
    assert login["openid"] == "alice" and login["person"]["realname_status"] == "unverified"

    started = identity.start_realname(person_id=person_id, name="李四", id_card_no=ID_CARD)
    assert started["expires_in"] == 3600
    with entrypoint_waiter(listener, "on_verified", timeout=10):
        verified = identity.complete_realname(person_id=person_id, verify_id=started["verify_id"])
    assert verified["realname_status"] == "verified"
    assert verified["id_card_masked"] == ID_CARD[:6] + "********" + ID_CARD[-4:]
    event = PersonVerifiedListener.received[-1]
    assert event["type"] == "identity.person_verified" and event["payload"]["person_id"] == person_id
    assert {"event_id", "occurred_at", "version"} <= set(event)
    assert identity.get_person(person_id=person_id)["realname_status"] == "verified"


def test_a_preset_failing_face_result_is_refused_and_stores_nothing(identity, stubs):
    requests.post(f"{stubs}/stub/face/preset", json={"cert_no": ID_CARD, "verify_ret": 90002}, timeout=5)
    try:
        person_id = identity.login_with_wechat(code="dev-bob")["person"]["person_id"]
        started = identity.start_realname(person_id=person_id, name="王五", id_card_no=ID_CARD)
        with pytest.raises(DomainError) as refused:
            identity.complete_realname(person_id=person_id, verify_id=started["verify_id"])
        assert refused.value.code == "FACE_NOT_PASSED" and refused.value.status == 422
        assert identity.get_person(person_id=person_id)["realname_status"] == "unverified"
    finally:
        requests.delete(f"{stubs}/stub/face/preset/{ID_CARD}", timeout=5)


def test_an_invalid_wechat_code_is_a_401_domain_error(identity):
    with pytest.raises(DomainError) as refused:
        identity.login_with_wechat(code="not-a-dev-code")
    assert (refused.value.code, refused.value.status) == ("WECHAT_CODE_INVALID", 401)


def test_a_rate_limited_code2session_is_a_503_asking_to_retry_later(identity):
    with pytest.raises(DomainError) as refused:
        identity.login_with_wechat(code="dev-ratelimited")
    assert (refused.value.code, refused.value.status) == ("WECHAT_RATE_LIMITED", 503)


def test_a_reused_wechat_code_is_refused(identity):
    identity.login_with_wechat(code="dev-once")
    with pytest.raises(DomainError) as refused:
        identity.login_with_wechat(code="dev-once")
    assert refused.value.code == "WECHAT_CODE_INVALID"


def test_one_id_number_belongs_to_one_wechat_user(identity):
    other_id = make_id_card(region="110101", birth="19920304", seq="555")
    carol = identity.login_with_wechat(code="dev-carol")["person"]["person_id"]
    dave = identity.login_with_wechat(code="dev-dave")["person"]["person_id"]
    identity.complete_realname(person_id=carol, verify_id=identity.start_realname(
        person_id=carol, name="赵六", id_card_no=other_id)["verify_id"])
    with pytest.raises(DomainError) as refused:
        identity.start_realname(person_id=dave, name="赵六", id_card_no=other_id)
    assert (refused.value.code, refused.value.status) == ("IDCARD_BOUND", 409)


def test_an_offer_event_lands_in_the_inbox_and_sends_a_granted_subscribe_message(
        identity, container_factory, service_config, stubs):
    from nameko.standalone.events import event_dispatcher
    from xjkit.clock import SystemClock
    from xjkit.events import new_event

    person_id = identity.login_with_wechat(code="dev-erin")["person"]["person_id"]
    identity.grant_subscriptions(person_id=person_id, template_ids=["dev-tmpl-offer"])
    event = new_event("employment.offered", {
        "employment_id": "emp-77", "person_id": person_id, "enterprise_uscc": "9151010029141777XB",
        "enterprise_name": "四川黄河建设集团有限公司", "contract_start": "2026-12-01", "contract_end": "2027-11-30",
    }, SystemClock()).to_dict()
    dispatch = event_dispatcher(service_config)
    dispatch("employment", "offered", event)
    dispatch("employment", "offered", event)  # at-least-once: a redelivery

    import eventlet
    for _ in range(50):
        page = identity.list_messages(person_id=person_id)
        if page["total"]:
            break
        eventlet.sleep(0.1)
    eventlet.sleep(0.5)
    page = identity.list_messages(person_id=person_id)
    assert page["total"] == 1
    assert page["items"][0]["target_id"] == "emp-77"
    messages = requests.get(f"{stubs}/stub/wechat/messages", params={"touser": "erin"}, timeout=5).json()["items"]
    assert len(messages) == 1 and messages[0]["template_id"] == "dev-tmpl-offer"


def test_a_face_ticket_is_consumed_once_through_rpc_by_employment_only(identity, identity_config):
    id_card = make_id_card(region="120101", birth="19910909", seq="808")
    person_id = identity.login_with_wechat(code="dev-frank")["person"]["person_id"]
    identity.complete_realname(person_id=person_id, verify_id=identity.start_realname(
        person_id=person_id, name="孙八", id_card_no=id_card)["verify_id"])
    ticket = identity.start_face_ticket(person_id=person_id, purpose="employment.accept", target_id="emp-1")
    consume = {"person_id": person_id, "verify_id": ticket["verify_id"], "purpose": "employment.accept",
               "target_id": "emp-1"}
    with pytest.raises(DomainError) as stranger:
        identity.consume_face_ticket(**consume)  # an unsigned caller on the broker
    assert stranger.value.code == "RPC_CALLER_REFUSED"
    with SignedClusterRpcProxy(identity_config, caller="employment", timeout=10) as employment:
        assert employment.identity.consume_face_ticket(**consume)["passed"] is True
        with pytest.raises(DomainError) as refused:
            employment.identity.consume_face_ticket(**consume)
    assert refused.value.code == "FACE_CHECK_USED"


def test_plaintext_id_numbers_go_to_cert_svc_only(identity, identity_config):
    person_id = identity.login_with_wechat(code="dev-gina")["person"]["person_id"]
    id_card = make_id_card(region="120101", birth="19920101", seq="818")
    identity.complete_realname(person_id=person_id, verify_id=identity.start_realname(
        person_id=person_id, name="钱九", id_card_no=id_card)["verify_id"])
    for caller in (None, "gateway", "employment", "filing"):
        with pytest.raises(DomainError) as refused:
            if caller is None:
                identity.id_cards_of(person_ids=[person_id])
            else:
                with SignedClusterRpcProxy(identity_config, caller=caller, timeout=10) as other:
                    other.identity.id_cards_of(person_ids=[person_id])
        assert refused.value.code == "RPC_CALLER_REFUSED", caller
    with SignedClusterRpcProxy(identity_config, caller="cert", timeout=10) as cert:
        assert cert.identity.id_cards_of(person_ids=[person_id]) == {person_id: id_card}


# --- sessions (issue 11, item 4) ----------------------------------------------------------------


def test_a_person_session_is_checked_and_ended_over_rpc_by_the_gateway_only(identity, identity_config):
    session = identity.login_with_wechat(code="dev-grace")["session"]
    with pytest.raises(DomainError) as stranger:  # an unsigned caller on the broker could log people out
        identity.end_session(session_id=session["session_id"])
    assert stranger.value.code == "RPC_CALLER_REFUSED"
    with SignedClusterRpcProxy(identity_config, caller="gateway", timeout=10) as gateway:
        assert gateway.identity.check_session(session_id=session["session_id"])["role"] == "person"
        gateway.identity.end_session(session_id=session["session_id"])
        with pytest.raises(DomainError) as ended:
            gateway.identity.check_session(session_id=session["session_id"])
    assert (ended.value.status, ended.value.code) == (401, "SESSION_ENDED")


@pytest.fixture
def ca_identity(container_factory, service_config_of, stubs, tmp_path):
    """identity-svc trusting a dev CA of its own (its CRLs, its policies), and that CA."""
    import xjdevca

    ca = xjdevca.init_ca(tmp_path / "devca")
    environment = xjdevca.environment(ca.directory)
    config = service_config_of("identity-svc", WECHAT_API_BASE=stubs, CA_ROOTS=environment["XJ_CA_ROOTS"],
                               CA_CRLS=environment["XJ_CA_CRLS"], CA_POLICIES=environment["XJ_CA_POLICIES"],
                               CA_PERSON_POLICIES=environment["XJ_CA_PERSON_POLICIES"])
    container = container_factory(IdentityService, config)
    container.start()
    with ServiceRpcProxy("identity", config, timeout=10) as proxy:
        yield proxy, ca, config


def _certificate_login(identity, certificate):
    import base64
    import xjdevca

    challenge = identity.create_login_challenge()
    signature = xjdevca.sign_nonce(certificate.key_path.read_bytes(), base64.b64decode(challenge["nonce"]))
    return identity.login_with_certificate(challenge_id=challenge["challenge_id"],
                                           certificate=certificate.cert_path.read_text(),
                                           signature=base64.b64encode(signature).decode())


def test_revoking_the_certificate_ends_its_sessions_at_the_next_check_and_by_the_sweep(ca_identity, mongo_client):
    import time
    import xjdevca
    from xjstubs.config import dataset_day

    identity, ca, config = ca_identity
    business_noon = f"{dataset_day().isoformat()}T12:00:00+08:00"
    from datetime import datetime
    certificate = xjdevca.issue(ca.directory, name="四川黄河建设集团有限公司", uscc="9151010029141777XB",
                                algorithm="sm2", now=datetime.fromisoformat(business_noon))
    checked = _certificate_login(identity, certificate)["session"]
    swept = _certificate_login(identity, certificate)["session"]
    with SignedClusterRpcProxy(config, caller="gateway", timeout=10) as gateway:
        assert gateway.identity.check_session(session_id=checked["session_id"])["subject"] == "9151010029141777XB"
        assert identity.ping()["crls"]["state"] == "ok"

        xjdevca.revoke(ca.directory, certificate.cert_path)
        with pytest.raises(DomainError) as ended:
            gateway.identity.check_session(session_id=checked["session_id"])
    assert ended.value.code == "SESSION_ENDED" and "吊销" in ended.value.message

    sessions = mongo_client[config["MONGO_DATABASE"]]["sessions"]
    deadline = time.monotonic() + 40  # the sweep runs every 15 s after the CRL files changed
    while time.monotonic() < deadline and sessions.find_one({"_id": swept["session_id"]})["status"] != "ended":
        time.sleep(0.5)
    assert sessions.find_one({"_id": swept["session_id"]})["end_reason"] == "revoked"
