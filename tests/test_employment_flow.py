"""Hiring end to end: the enterprise uploads a contract and offers; the person sees it, checks
their face and accepts; the other offers are withdrawn; no one touches another's records."""
import uuid

import pytest

from xjkit.polling import poll
from xjkit.testdata import make_id_card

from .helpers import login_enterprise, login_person, upload, verify_person

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def wait_for(predicate, timeout=15):
    result = poll(predicate, timeout, interval=0.2)
    assert result, "condition not met in time"
    return result


def offer(enterprise, id_card_no, file_id, headers=None):
    return enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card_no, "contract_start": "2026-12-01", "contract_end": "2027-11-30",
        "contract_file_id": file_id}, headers=headers)


def test_hire_a_person_from_lookup_to_acceptance(platform):
    id_card = make_id_card(region="510104", birth="19890909", seq="606")
    person, _ = login_person(platform.url, "e2e-worker")
    verify_person(person, "郑十一", id_card)
    first, first_entry = login_enterprise(platform, index=0)
    second, _ = login_enterprise(platform, index=1)

    lookup = first.get("/api/v1/ent/persons/lookup", params={"id_card_no": id_card})
    assert lookup.status_code == 200
    assert lookup.json()["employable"] is True and lookup.json()["id_card_masked"].startswith(id_card[:6])

    contract = upload(first, PDF)
    assert contract.status_code == 201, contract.text
    made = offer(first, id_card, contract.json()["file_id"])
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "pending" and made.json()["enterprise_name"] == first_entry["name"]
    other = offer(second, id_card, upload(second, PNG, "合同.png").json()["file_id"])
    assert other.status_code == 201

    inbox = wait_for(lambda: person.get("/api/v1/mp/messages").json()["total"] == 2 and
                     person.get("/api/v1/mp/messages").json())
    assert {m["target_id"] for m in inbox["items"]} == {made.json()["id"], other.json()["id"]}
    assert any(first_entry["name"] in m["body"] for m in inbox["items"])

    offer_id = made.json()["id"]
    ticket = person.post("/api/v1/mp/face", {"purpose": "employment.accept", "target_id": offer_id}).json()
    accepted = person.post(f"/api/v1/mp/employments/{offer_id}/accept", {"verify_id": ticket["verify_id"]})
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    reused = person.post(f"/api/v1/mp/employments/{offer_id}/accept", {"verify_id": ticket["verify_id"]})
    assert reused.status_code == 409

    assert person.get("/api/v1/mp/me").json()["employment"]["id"] == offer_id
    withdrawn = wait_for(lambda: second.get(f"/api/v1/ent/employments/{other.json()['id']}").json()["status"]
                         == "cancelled")
    assert withdrawn
    refused = offer(second, id_card, upload(second, PDF).json()["file_id"])
    assert refused.status_code == 409 and refused.json()["error"] == "PERSON_EMPLOYED"

    # enterprise B sees nothing of A's employment, and cannot act on it
    assert second.get(f"/api/v1/ent/employments/{offer_id}").status_code == 404
    assert second.post(f"/api/v1/ent/employments/{offer_id}/terminate").status_code == 404
    assert second.get(f"/api/v1/ent/files/{contract.json()['file_id']}").status_code == 404
    active = first.get("/api/v1/ent/employments", params={"status": "active"}).json()
    assert offer_id in [e["id"] for e in active["items"]]
    assert all(e["enterprise_uscc"] == first_entry["uscc"] and e["status"] == "active" for e in active["items"])

    ended = first.post(f"/api/v1/ent/employments/{offer_id}/terminate")
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    assert person.get("/api/v1/mp/me").json()["employment"] is None


def test_an_offer_posted_twice_with_the_same_idempotency_key_makes_one_offer(platform):
    id_card = make_id_card(region="500103", birth="19920612", seq="227")
    person, _ = login_person(platform.url, "e2e-idem")
    verify_person(person, "冯十二", id_card)
    enterprise, _ = login_enterprise(platform, index=2)
    file_id = upload(enterprise, PDF).json()["file_id"]
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = offer(enterprise, id_card, file_id, headers=key)
    again = offer(enterprise, id_card, file_id, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    changed = enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card, "contract_start": "2026-12-02", "contract_end": "2027-11-30",
        "contract_file_id": file_id}, headers=key)
    assert changed.status_code == 409 and changed.json()["error"] == "IDEMPOTENCY_KEY_REUSED"
    mine = enterprise.get("/api/v1/ent/employments").json()
    assert sum(1 for e in mine["items"] if e["person_id"] == first.json()["person_id"]) == 1


def test_upload_abuse_is_refused(platform):
    enterprise, _ = login_enterprise(platform, index=3)
    renamed = upload(enterprise, b"MZ\x90\x00 this is an exe", "合同.pdf")
    assert renamed.status_code == 415 and renamed.json()["error"] == "FILE_TYPE_UNSUPPORTED"
    empty = upload(enterprise, b"", "合同.pdf")
    assert empty.status_code == 422
    huge = upload(enterprise, b"%PDF-" + b"0" * (10 * 1024 * 1024), "合同.pdf")
    assert huge.status_code == 413 and huge.json()["error"] == "FILE_TOO_LARGE"


def test_contract_dates_and_unknown_fields_are_refused_with_field_paths(platform):
    enterprise, _ = login_enterprise(platform, index=4)
    file_id = upload(enterprise, PDF).json()["file_id"]
    id_card = make_id_card(region="370102", birth="19810101", seq="888")
    backwards = enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card, "contract_start": "2027-01-01", "contract_end": "2026-12-31",
        "contract_file_id": file_id})
    assert backwards.status_code == 422
    assert backwards.json()["errors"] == {"contract_end": ["合同结束日期应晚于开始日期"]}
    sneaky = enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card, "contract_start": "2026-12-01", "contract_end": "2027-12-01",
        "contract_file_id": file_id, "status": "active"})
    assert sneaky.status_code == 422 and sneaky.json()["errors"] == {"status": ["不允许提交此字段"]}
    bad_date = enterprise.post("/api/v1/ent/employments", {
        "id_card_no": id_card, "contract_start": "2026-02-30", "contract_end": "2027-12-01",
        "contract_file_id": file_id})
    assert bad_date.status_code == 422 and "contract_start" in bad_date.json()["errors"]


def test_a_retried_upload_and_accept_with_the_same_key_do_nothing_twice(platform):
    id_card = make_id_card(region="230102", birth="19840404", seq="454")
    person, _ = login_person(platform.url, "e2e-retry-accept")
    verify_person(person, "陈十三", id_card)
    enterprise, _ = login_enterprise(platform, index=5)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first_upload = enterprise.post("/api/v1/ent/files", files={"file": ("合同.pdf", PDF)}, headers=key)
    again_upload = enterprise.post("/api/v1/ent/files", files={"file": ("合同.pdf", PDF)}, headers=key)
    assert first_upload.status_code == again_upload.status_code == 201
    assert first_upload.json()["file_id"] == again_upload.json()["file_id"]

    offer_id = offer(enterprise, id_card, first_upload.json()["file_id"]).json()["id"]
    ticket = person.post("/api/v1/mp/face", {"purpose": "employment.accept", "target_id": offer_id}).json()
    accept_key = {"Idempotency-Key": uuid.uuid4().hex}
    first = person.post(f"/api/v1/mp/employments/{offer_id}/accept", {"verify_id": ticket["verify_id"]},
                        headers=accept_key)
    again = person.post(f"/api/v1/mp/employments/{offer_id}/accept", {"verify_id": ticket["verify_id"]},
                        headers=accept_key)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
