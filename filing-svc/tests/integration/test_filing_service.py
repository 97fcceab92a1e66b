"""filing-svc with identity, employment and cert in real containers, against RabbitMQ, nx-27017
and the stubs: a first filing, a personnel filing that marks certificates filed, idempotency."""
import base64

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from xjkit.testdata import make_id_card

from certs.service import CertService
from employment.service import EmploymentService
from filing.service import FilingService
from identity.service import IdentityService

pytestmark = pytest.mark.integration

USCC, NAME = "9151010029141777XB", "四川黄河建设集团有限公司"
PDF = b"%PDF-1.4\n%%EOF\n"
BASIC = {"name": NAME, "legal_representative": "苏芳", "registered_address": "四川省成都市人民南路278号",
         "registered_capital_wan": 1000, "established_on": "2010-02-20", "contact_name": "王经理",
         "contact_phone": "13800138000"}



@pytest.fixture
def broker(container_factory, service_config_of, stubs):
    base = service_config_of("identity-svc", WECHAT_API_BASE=stubs)
    national = stubs + "/national/api/v1"
    container_factory(IdentityService, base).start()
    for folder, service_class, suffix, extra in (
            ("employment-svc", EmploymentService, "_emp", {}),
            ("cert-svc", CertService, "_cert", {"NATIONAL_API_BASE": national}),
            ("filing-svc", FilingService, "_filing", {"NATIONAL_API_BASE": national})):
        container_factory(service_class, service_config_of(
            folder, AMQP_URI=base["AMQP_URI"], MONGO_DATABASE=base["MONGO_DATABASE"] + suffix, **extra)).start()
    return {"AMQP_URI": base["AMQP_URI"]}


def hire(proxy, openid, id_card_no, name):
    person_id = proxy.identity.login_with_wechat(code=f"dev-{openid}")["person"]["person_id"]
    started = proxy.identity.start_realname(person_id=person_id, name=name, id_card_no=id_card_no)
    proxy.identity.complete_realname(person_id=person_id, verify_id=started["verify_id"])
    file_id = upload(proxy)
    offer = proxy.employment.make_offer(enterprise_uscc=USCC, enterprise_name=NAME, id_card_no=id_card_no,
                                        contract_start="2026-12-01", contract_end="2027-11-30", contract_file_id=file_id)
    ticket = proxy.identity.start_face_ticket(person_id=person_id, purpose="employment.accept",
                                              target_id=offer["id"])["verify_id"]
    proxy.employment.accept_offer(person_id=person_id, employment_id=offer["id"], verify_id=ticket)
    return person_id


def upload(proxy):
    return proxy.employment.store_file(owner_uscc=USCC, filename="营业执照.pdf",
                                       data_b64=base64.b64encode(PDF).decode())["file_id"]


def test_first_filing_then_personnel_filing_marks_the_certificates_filed(broker):
    with ClusterRpcProxy(broker, timeout=30) as proxy:
        manager = hire(proxy, "mgr", make_id_card(region="510104", birth="19750505", seq="111"), "王负责")
        tech = hire(proxy, "tech", make_id_card(region="510104", birth="19760606", seq="222"), "李技术")
        data = {"basic": BASIC, "manager_person_id": manager, "tech_manager_person_id": tech,
                "attachments": [upload(proxy)], "sync_qualifications": True}
        first = proxy.filing.submit(enterprise_uscc=USCC, enterprise_name=NAME, enterprise_type="construction",
                                    business="first_filing", data=data, idempotency_key="k-first",
                                    request_fingerprint="f")
        again = proxy.filing.submit(enterprise_uscc=USCC, enterprise_name=NAME, enterprise_type="construction",
                                    business="first_filing", data=data, idempotency_key="k-first",
                                    request_fingerprint="f")
        assert first["status"] == "approved", first["reasons"]
        assert again["id"] == first["id"]
        assert proxy.filing.list_cases(enterprise_uscc=USCC)["total"] == 1
        [registration] = proxy.filing.registrations(enterprise_uscc=USCC)
        assert registration["status"] == "valid" and all(q["category"] == "construction"
                                                         for q in registration["qualifications"])

        certificate = proxy.cert.add_certificate(enterprise_uscc=USCC, person_id=tech, kind="post", fields={
            "type": "施工员", "cert_no": "川建施2025-1", "issuer": "四川省住房和城乡建设厅", "valid_until": "2029-01-01"})
        case = proxy.filing.submit(enterprise_uscc=USCC, enterprise_name=NAME, enterprise_type="construction",
                                   business="personnel_filing", data={"certificate_ids": [certificate["id"]]})
        assert case["status"] == "approved", case["reasons"]
        with eventlet.Timeout(15):
            while not proxy.cert.get_certificate(enterprise_uscc=USCC, certificate_id=certificate["id"])["filed"]:
                eventlet.sleep(0.1)

        # the holder leaves: the certificate leaves the filing at once (cert → filing by events)
        employment_id = next(e["id"] for e in proxy.employment.list_for_person(person_id=tech)["items"])
        proxy.employment.terminate_by_enterprise(enterprise_uscc=USCC, employment_id=employment_id)
        with eventlet.Timeout(15):
            while proxy.filing.registrations(enterprise_uscc=USCC)[0]["personnel"]:
                eventlet.sleep(0.1)


def test_a_malformed_submission_is_refused_and_makes_no_case(broker):
    from xjkit.errors import DomainError
    with ClusterRpcProxy(broker, timeout=30) as proxy:
        with pytest.raises(DomainError) as refused:
            proxy.filing.submit(enterprise_uscc=USCC, enterprise_name=NAME, enterprise_type="construction",
                                business="first_filing", data={"basic": {}})
        assert refused.value.status == 422 and "basic.name" in refused.value.errors
        assert proxy.filing.list_cases(enterprise_uscc=USCC)["total"] == 0
