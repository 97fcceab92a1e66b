"""cert-svc with employment-svc and identity-svc in real containers, against RabbitMQ, nx-27017
and the stubs: entered certificates, the whole title flow, the employment-ended effect, sync."""
import base64
import json

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ClusterRpcProxy

from xjkit.clock import SystemClock
from xjkit.errors import DomainError
from xjkit.events import new_event
from xjkit.polling import wait_until
from xjkit.testdata import make_id_card
from xjstubs.config import DEFAULT_NATIONAL_DATA

from certs.service import CertService
from employment.service import EmploymentService
from identity.service import IdentityService

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
# a person of the national fixture whose registered certificate belongs to this enterprise
FIXTURE_USCC = "9151010029141777XB"
FIXTURE_PERSON = "510100196609086389"
NATIONAL_FIXTURE = str(DEFAULT_NATIONAL_DATA)



@pytest.fixture
def broker(container_factory, service_config_of, stubs):
    base = service_config_of("identity-svc", WECHAT_API_BASE=stubs)
    container_factory(IdentityService, base).start()
    container_factory(EmploymentService, service_config_of(
        "employment-svc", AMQP_URI=base["AMQP_URI"], MONGO_DATABASE=base["MONGO_DATABASE"] + "_emp")).start()
    container_factory(CertService, service_config_of(
        "cert-svc", AMQP_URI=base["AMQP_URI"], MONGO_DATABASE=base["MONGO_DATABASE"] + "_cert",
        NATIONAL_API_BASE=stubs + "/national/api/v1")).start()
    return {"AMQP_URI": base["AMQP_URI"]}


def filing_changed(broker, proxy, uscc, filed=(), unfiled=()):
    """What filing-svc says when an approved change files or unfiles certificates (the only way
    they are marked), and the marks it leads to."""
    event = new_event("filing.personnel_changed", {"uscc": uscc, "filed": list(filed), "unfiled": list(unfiled)},
                      SystemClock())
    event_dispatcher(broker)("filing", "personnel_changed", event.to_dict())
    for certificate_id, mark in [(i, True) for i in filed] + [(i, False) for i in unfiled]:
        assert wait_until(lambda: proxy.cert.get_certificate(enterprise_uscc=uscc, certificate_id=certificate_id)["filed"]
                   is mark)


def employed_person(proxy, openid, id_card_no, uscc, name="张三"):
    person_id = proxy.identity.login_with_wechat(code=f"dev-{openid}")["person"]["person_id"]
    started = proxy.identity.start_realname(person_id=person_id, name=name, id_card_no=id_card_no)
    proxy.identity.complete_realname(person_id=person_id, verify_id=started["verify_id"])
    file_id = proxy.employment.store_file(owner_uscc=uscc, filename="合同.pdf",
                                          data_b64=base64.b64encode(PDF).decode())["file_id"]
    offer = proxy.employment.make_offer(enterprise_uscc=uscc, enterprise_name="四川黄河建设集团有限公司",
                                        id_card_no=id_card_no, contract_start="2026-12-01",
                                        contract_end="2027-11-30", contract_file_id=file_id)
    ticket = proxy.identity.start_face_ticket(person_id=person_id, purpose="employment.accept",
                                              target_id=offer["id"])["verify_id"]
    proxy.employment.accept_offer(person_id=person_id, employment_id=offer["id"], verify_id=ticket)
    return person_id, offer["id"]


def test_the_title_flow_and_every_out_of_order_step(broker):
    uscc = FIXTURE_USCC
    with ClusterRpcProxy(broker, timeout=30) as proxy:
        person_id, _ = employed_person(proxy, "titled", make_id_card(region="510104", birth="19800303", seq="321"), uscc)
        title = {"name": "工程师", "level": "中级", "specialty": "建筑工程", "cert_no": "川职2020-001",
                 "issued_on": "2020-06-01", "issuer": "四川省人力资源和社会保障厅"}
        enterprise_file = proxy.employment.store_file(owner_uscc=uscc, filename="x.pdf",
                                                      data_b64=base64.b64encode(PDF).decode())["file_id"]
        with pytest.raises(DomainError) as refused:  # the photo must be the person's own upload
            proxy.cert.register_title(person_id=person_id, fields={**title, "file_id": enterprise_file})
        assert refused.value.errors == {"file_id": ["证书照片不存在，请重新上传"]}
        photo = proxy.employment.store_person_file(person_id=person_id, filename="证书.png",
                                                   data_b64=base64.b64encode(PNG).decode())["file_id"]
        registered = proxy.cert.register_title(person_id=person_id, fields={**title, "file_id": photo})
        assert (registered["status"], registered["enterprise_uscc"]) == ("pending_confirmation", uscc)
        assert registered["file_id"] == photo
        cid = registered["id"]

        with pytest.raises(DomainError) as refused:  # a pending title cannot be re-registered
            proxy.cert.reregister_title(person_id=person_id, certificate_id=cid, fields=title)
        assert refused.value.code == "CERTIFICATE_STATE_CONFLICT"
        assert proxy.cert.confirm_title(enterprise_uscc=uscc, certificate_id=cid)["status"] == "confirmed"
        with pytest.raises(DomainError):  # confirmed twice
            proxy.cert.confirm_title(enterprise_uscc=uscc, certificate_id=cid)
        with pytest.raises(DomainError) as refused:  # changing a confirmed one is 409
            proxy.cert.reregister_title(person_id=person_id, certificate_id=cid, fields=title)
        assert refused.value.status == 409

        filing_changed(broker, proxy, uscc, filed=[cid])
        with pytest.raises(DomainError) as refused:  # filed: its filing is cancelled first
            proxy.cert.revoke_title(enterprise_uscc=uscc, certificate_id=cid)
        assert refused.value.code == "CERTIFICATE_FILED"
        filing_changed(broker, proxy, uscc, unfiled=[cid])
        assert proxy.cert.revoke_title(enterprise_uscc=uscc, certificate_id=cid)["status"] == "revoked"

        changed = proxy.cert.reregister_title(person_id=person_id, certificate_id=cid,
                                              fields={**title, "level": "副高级", "name": "高级工程师"})
        assert (changed["status"], changed["level"]) == ("pending_confirmation", "副高级")
        assert proxy.cert.confirm_title(enterprise_uscc=uscc, certificate_id=cid)["status"] == "confirmed"
        with pytest.raises(DomainError) as refused:  # another enterprise sees nothing
            proxy.cert.confirm_title(enterprise_uscc="91610100859574891U", certificate_id=cid)
        assert refused.value.status == 404

        assert wait_until(lambda: any(m["kind"] == "title_confirmed"
                               for m in proxy.identity.list_messages(person_id=person_id)["items"]))


def test_an_ended_employment_detaches_the_persons_certificates(broker):
    uscc = FIXTURE_USCC
    with ClusterRpcProxy(broker, timeout=30) as proxy:
        person_id, employment_id = employed_person(
            proxy, "leaver", make_id_card(region="510104", birth="19820404", seq="432"), uscc)
        added = proxy.cert.add_certificate(enterprise_uscc=uscc, person_id=person_id, kind="post", fields={
            "type": "施工员", "cert_no": "川建施2023-88", "issuer": "四川省住房和城乡建设厅", "valid_until": "2028-01-01"})
        filing_changed(broker, proxy, uscc, filed=[added["id"]])
        proxy.employment.terminate_by_enterprise(enterprise_uscc=uscc, employment_id=employment_id)

        def detached():
            item = proxy.cert.get_certificate(enterprise_uscc=uscc, certificate_id=added["id"])
            return item["status"] == "detached" and item["filed"] is False
        assert wait_until(detached)
        with pytest.raises(DomainError) as refused:  # no longer staff: nothing new for them
            proxy.cert.add_certificate(enterprise_uscc=uscc, person_id=person_id, kind="post", fields={
                "type": "质量员", "cert_no": "川建质2023-1", "issuer": "四川省住房和城乡建设厅"})
        assert refused.value.code == "PERSON_NOT_EMPLOYED"


def test_registered_certificates_sync_from_the_national_platform(broker, stubs):
    with open(NATIONAL_FIXTURE, encoding="utf-8") as handle:
        fixture = json.load(handle)
    person = next(p for p in fixture["persons"] if p["id_card_no"] == FIXTURE_PERSON)
    with ClusterRpcProxy(broker, timeout=30) as proxy:
        person_id, _ = employed_person(proxy, "registered-one", FIXTURE_PERSON, FIXTURE_USCC, name=person["name"])
        result = proxy.cert.sync_registered(enterprise_uscc=FIXTURE_USCC)
        assert [c["cert_no"] for c in result["added"]] == [c["cert_no"] for c in person["registered_certs"]
                                                         if c["registered_uscc"] == FIXTURE_USCC]
        again = proxy.cert.sync_registered(enterprise_uscc=FIXTURE_USCC)
        assert again["added"] == [] and again["unchanged"] + len(again["updated"]) == len(result["added"])
        listed = proxy.cert.list_certificates(enterprise_uscc=FIXTURE_USCC, kind="registered")
        assert listed["total"] == len(result["added"])
        assert all(c["person_id"] == person_id and c["source"] == "national" for c in listed["items"])
