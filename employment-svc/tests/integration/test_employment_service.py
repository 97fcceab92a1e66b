"""employment-svc with identity-svc in real nameko containers, against RabbitMQ, nx-27017 and the
WeChat stub: offers, accepts under concurrency, events, expiry."""
import base64

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from xjkit.errors import DomainError
from xjkit.testdata import make_id_card, make_uscc

from employment.service import EmploymentService
from identity.service import IdentityService

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n% labour contract\n%%EOF\n"



@pytest.fixture
def platform(container_factory, service_config_of, stubs):
    identity_config = service_config_of("identity-svc", WECHAT_API_BASE=stubs)
    employment_config = service_config_of("employment-svc", AMQP_URI=identity_config["AMQP_URI"],
                                          MONGO_DATABASE=identity_config["MONGO_DATABASE"] + "_emp")
    container_factory(IdentityService, identity_config).start()
    container_factory(EmploymentService, employment_config).start()
    return employment_config


def rpc(config):
    return ClusterRpcProxy({"AMQP_URI": config["AMQP_URI"]}, timeout=30)


def verified_person(proxy, openid, id_card_no, name="张三"):
    person_id = proxy.identity.login_with_wechat(code=f"dev-{openid}")["person"]["person_id"]
    started = proxy.identity.start_realname(person_id=person_id, name=name, id_card_no=id_card_no)
    proxy.identity.complete_realname(person_id=person_id, verify_id=started["verify_id"])
    return person_id


def contract_file(proxy, uscc):
    return proxy.employment.store_file(owner_uscc=uscc, filename="合同.pdf",
                                       data_b64=base64.b64encode(PDF).decode())["file_id"]


def verified_person_and_contract(platform, openid, id_card_no, uscc):
    """A verified person, and the contract file the enterprise uploaded for them: its id."""
    with rpc(platform) as proxy:
        verified_person(proxy, openid, id_card_no)
        return contract_file(proxy, uscc)


def face_ticket(proxy, person_id, offer_id):
    return proxy.identity.start_face_ticket(person_id=person_id, purpose="employment.accept",
                                            target_id=offer_id)["verify_id"]


def offer(proxy, uscc, id_card_no, file_id, **extra):
    return proxy.employment.make_offer(enterprise_uscc=uscc, enterprise_name=f"企业{uscc[-6:]}", id_card_no=id_card_no,
                                       contract_start="2026-12-01", contract_end="2027-11-30",
                                       contract_file_id=file_id, **extra)


def wait_until(predicate, timeout=15):
    deadline = eventlet.Timeout(timeout)
    try:
        while not predicate():
            eventlet.sleep(0.1)
    finally:
        deadline.cancel()


def test_twenty_concurrent_offers_and_accepts_leave_exactly_one_active_employment(platform):
    id_card = make_id_card(region="510104", birth="19880808", seq="401")
    enterprises = [make_uscc(region="510100", body8=f"MA6C{n:04d}") for n in range(20)]
    with rpc(platform) as proxy:
        person_id = verified_person(proxy, "busy-person", id_card)
        files = {uscc: contract_file(proxy, uscc) for uscc in enterprises}

    def make(uscc):
        with rpc(platform) as own:
            return offer(own, uscc, id_card, files[uscc])["id"]

    pool = eventlet.GreenPool(20)
    offer_ids = list(pool.imap(make, enterprises))
    assert len(set(offer_ids)) == 20

    with rpc(platform) as proxy:
        tickets = {oid: face_ticket(proxy, person_id, oid) for oid in offer_ids}

    def accept(offer_id):
        with rpc(platform) as own:
            try:
                return own.employment.accept_offer(person_id=person_id, employment_id=offer_id,
                                                   verify_id=tickets[offer_id])["status"]
            except DomainError as refused:
                return refused.code

    outcomes = list(pool.imap(accept, offer_ids))
    assert outcomes.count("active") == 1
    assert set(outcomes) - {"active"} <= {"PERSON_EMPLOYED", "EMPLOYMENT_STATE_CONFLICT"}

    with rpc(platform) as proxy:
        def settled():
            items = proxy.employment.list_for_person(person_id=person_id)["items"]
            return all(item["status"] in ("active", "cancelled") for item in items)
        wait_until(settled)
        items = proxy.employment.list_for_person(person_id=person_id)["items"]
    statuses = sorted(item["status"] for item in items)
    assert statuses == ["active"] + ["cancelled"] * 19
    assert {item["end_reason"] for item in items if item["status"] == "cancelled"} == {"accepted_elsewhere"}


def test_concurrent_offers_from_one_enterprise_make_one_pending_offer(platform):
    id_card = make_id_card(region="440305", birth="19900202", seq="512")
    uscc = make_uscc(region="440300")
    file_id = verified_person_and_contract(platform, "sought-after", id_card, uscc)

    def make(_):
        with rpc(platform) as own:
            try:
                return offer(own, uscc, id_card, file_id)["status"]
            except DomainError as refused:
                return refused.code

    outcomes = list(eventlet.GreenPool(10).imap(make, range(10)))
    assert outcomes.count("pending") == 1 and outcomes.count("OFFER_EXISTS") == 9


def test_an_idempotent_retry_of_an_offer_returns_the_same_offer(platform):
    id_card = make_id_card(region="330102", birth="19870303", seq="077")
    uscc = make_uscc(region="330100")
    file_id = verified_person_and_contract(platform, "retry-person", id_card, uscc)
    with rpc(platform) as proxy:
        first = offer(proxy, uscc, id_card, file_id, idempotency_key="k-1", request_fingerprint="f")
        again = offer(proxy, uscc, id_card, file_id, idempotency_key="k-1", request_fingerprint="f")
        assert first["id"] == again["id"]
        with pytest.raises(DomainError) as refused:
            offer(proxy, uscc, id_card, file_id, idempotency_key="k-1", request_fingerprint="other")
        assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"
        assert proxy.employment.list_for_enterprise(enterprise_uscc=uscc)["total"] == 1


def test_an_offer_reaches_the_persons_inbox(platform):
    id_card = make_id_card(region="650102", birth="19860606", seq="909")
    uscc = make_uscc(region="510100", body8="MA6CNB01")
    with rpc(platform) as proxy:
        person_id = verified_person(proxy, "inbox-person", id_card)
        made = offer(proxy, uscc, id_card, contract_file(proxy, uscc))
        wait_until(lambda: proxy.identity.list_messages(person_id=person_id)["total"] == 1)
        message = proxy.identity.list_messages(person_id=person_id)["items"][0]
    assert (message["kind"], message["target_id"]) == ("employment_offer", made["id"])


def test_an_offer_with_the_face_ticket_of_another_offer_is_refused(platform):
    id_card = make_id_card(region="210102", birth="19850505", seq="313")
    first_ent, second_ent = make_uscc(region="210100"), make_uscc(region="220100")
    with rpc(platform) as proxy:
        person_id = verified_person(proxy, "careful-person", id_card)
        first = offer(proxy, first_ent, id_card, contract_file(proxy, first_ent))
        second = offer(proxy, second_ent, id_card, contract_file(proxy, second_ent))
        ticket = face_ticket(proxy, person_id, second["id"])
        with pytest.raises(DomainError) as refused:
            proxy.employment.accept_offer(person_id=person_id, employment_id=first["id"], verify_id=ticket)
        assert refused.value.code == "FACE_CHECK_NOT_FOUND"
        assert proxy.employment.accept_offer(person_id=person_id, employment_id=second["id"],
                                             verify_id=ticket)["status"] == "active"


def test_staff_and_files_answers_a_filing_review_in_one_call(platform):
    id_card = make_id_card(region="130102", birth="19840404", seq="222")
    uscc, other = make_uscc(region="130100"), make_uscc(region="140100")
    with rpc(platform) as proxy:
        person_id = verified_person(proxy, "review-person", id_card)
        file_id = contract_file(proxy, uscc)
        others_file = contract_file(proxy, other)
        made = offer(proxy, uscc, id_card, file_id)
        ticket = face_ticket(proxy, person_id, made["id"])
        proxy.employment.accept_offer(person_id=person_id, employment_id=made["id"], verify_id=ticket)
        answer = proxy.employment.staff_and_files(enterprise_uscc=uscc, file_ids=[others_file, file_id, "0" * 32])
        assert answer["owned_file_ids"] == [file_id]
        assert answer["staff"] == proxy.employment.active_staff(enterprise_uscc=uscc)
        assert [member["person_id"] for member in answer["staff"]] == [person_id]
        with pytest.raises(DomainError) as refused:
            proxy.employment.staff_and_files(enterprise_uscc=uscc, file_ids="not a list")
        assert refused.value.status == 422
