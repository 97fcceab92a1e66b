"""The operations manual, end to end through the gateway: hire → certificates → first filing →
personnel filing → each change → extension at 20 December (XJ_FAKE_NOW) → cost project → booklet.

It runs its own platform with the business clock started on 25 November, then restarts it on the
same data with the business clock at 20 December, as an operator would see the year turn."""
import subprocess
import tempfile

import pytest
import requests

from .conftest import RunningPlatform, create_vhost, delete_vhost
from .helpers import eventually, hire, login_enterprise, upload

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.7\n%%EOF\n"
HUANGHE, ZHIJIANG = 0, 6  # sample enterprises of the dev CA: 施工 / 造价咨询
BASIC = {"name": "四川黄河建设集团有限公司", "legal_representative": "苏芳", "registered_address": "四川省成都市人民南路278号",
         "registered_capital_wan": 1000, "established_on": "2010-02-20", "contact_name": "王经理",
         "contact_phone": "13800138000"}


def submit(enterprise, business, data, enterprise_type="construction", key=None):
    headers = {"Idempotency-Key": key} if key else None
    response = enterprise.post("/api/v1/ent/filings", {"business": business, "enterprise_type": enterprise_type,
                                                       "data": data}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def data_dir():
    return tempfile.mkdtemp(prefix="xj-manual-")


@pytest.fixture(scope="module")
def vhost():
    name = create_vhost()
    yield name
    delete_vhost(name)


def test_the_whole_manual_from_hiring_to_extension(data_dir, vhost):
    november = RunningPlatform(data_dir, vhost, {"XJ_FAKE_NOW": "2026-11-25T12:00:00"}).start()
    try:
        enterprise, _ = login_enterprise(november, index=HUANGHE)
        _, manager = hire(november, enterprise, "m-xiao", "510100196609086389", "萧杰然", contract_end="2028-11-30")
        _, tech = hire(november, enterprise, "m-wan", "510100198612235495", "万秀", contract_end="2028-11-30")
        _, third = hire(november, enterprise, "m-sun", "510100199007227053", "孙浩海", contract_end="2028-11-30")

        synced = enterprise.post("/api/v1/ent/certificates/sync").json()
        certificate_ids = [c["id"] for c in synced["added"]]
        assert len(certificate_ids) == 3

        first = submit(enterprise, "first_filing", {
            "basic": BASIC, "manager_person_id": manager, "tech_manager_person_id": tech,
            "attachments": [upload(enterprise, PDF).json()["file_id"]], "sync_qualifications": True}, key="first-1")
        again = submit(enterprise, "first_filing", {
            "basic": BASIC, "manager_person_id": manager, "tech_manager_person_id": tech,
            "attachments": first["data"]["attachments"], "sync_qualifications": True}, key="first-1")
        assert first["status"] == "approved", first["reasons"]
        assert again["id"] == first["id"]  # a double-submitted POST makes one case
        [registration] = enterprise.get("/api/v1/ent/registrations").json()["items"]
        assert (registration["status"], registration["valid_until"]) == ("valid", "2026-12-31")
        assert registration["basic"]["contact_phone"] == "138****8000"

        assert submit(enterprise, "personnel_filing", {"certificate_ids": certificate_ids})["status"] == "approved"
        listed = enterprise.get("/api/v1/ent/certificates", params={"kind": "registered"}).json()["items"]
        assert {c["id"] for c in listed} >= set(certificate_ids)

        changes = [
            ("basic_change", {"basic": {"contact_name": "李经理"}}),
            ("manager_change", {"manager_person_id": third}),
            ("tech_manager_change", {"tech_manager_person_id": manager}),
            ("qualification_change", {}),
            ("personnel_change", {"remove": [certificate_ids[0]]}),
        ]
        for business, data in changes:
            case = submit(enterprise, business, data)
            assert case["status"] == "approved", (business, case["reasons"])
            assert case["changes"], business
        assert submit(enterprise, "manager_change", {"manager_person_id": "nobody"})["status"] == "rejected"

        early = submit(enterprise, "extension", {})
        assert early["status"] == "rejected" and early["reasons"][0]["error"] == "EXTENSION_NOT_OPEN"

        records = enterprise.get("/api/v1/ent/filings").json()
        assert records["total"] == 9  # first, personnel, five changes, two rejected; the retry made none
        assert enterprise.get("/api/v1/ent/filings", params={"status": "rejected"}).json()["total"] == 2

        cost, _ = login_enterprise(november, index=ZHIJIANG)
        _, lead = hire(november, cost, "m-kang", "11010519980412867X", "康英霞", contract_end="2028-11-30")
        cost.post("/api/v1/ent/certificates/sync")
        project = submit(cost, "cost_project", {
            "project_name": "乌鲁木齐市某综合体项目全过程造价咨询", "location_code": "650102", "client_name": "某建设单位",
            "contract_amount_fen": 1880000000, "contract_signed_on": "2026-11-01", "service_start": "2026-11-10",
            "service_end": "2027-11-09", "lead_person_id": lead,
            "attachments": [upload(cost, PDF).json()["file_id"]]}, enterprise_type="cost_consulting")
        assert project["status"] == "approved", project["reasons"]

        booklet = enterprise.get("/api/v1/ent/registrations/construction/booklet.pdf")
        assert booklet.status_code == 200 and booklet.content.startswith(b"%PDF")
        assert "attachment" in booklet.headers["Content-Disposition"]
        text = subprocess.run(["pdftotext", "-", "-"], input=booklet.content, capture_output=True, check=True).stdout
        assert "四川黄河建设集团有限公司".encode() in text and b"510100196609086389" not in text
        booklet_no = enterprise.get("/api/v1/ent/registrations").json()["items"][0]["booklet_no"]
    finally:
        november.stop()

    december = RunningPlatform(data_dir, vhost, {"XJ_FAKE_NOW": "2026-12-20T09:00:00"}).start()
    try:
        enterprise, _ = login_enterprise(december, index=HUANGHE)
        extended = submit(enterprise, "extension", {})
        assert extended["status"] == "approved", extended["reasons"]
        [registration] = enterprise.get("/api/v1/ent/registrations").json()["items"]
        assert registration["valid_until"] == "2027-12-31"
        assert registration["booklet_no"] != booklet_no  # the printed booklet is no longer current
        printed = eventually(lambda: requests.get(f"{december.url}/api/v1/public/booklets/{booklet_no}",
                                                  timeout=10).json(), until=lambda answer: not answer["current"])
        assert (printed["authentic"], printed["current"]) == (True, False)
        assert printed["current_booklet_no"] == registration["booklet_no"]
    finally:
        december.stop()
