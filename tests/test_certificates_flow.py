"""Personnel certificates end to end: national sync for an employee, the platform down, and the
title registration → confirmation → change flow between the mini-program and the portal."""
import pytest
import requests

from .helpers import hire, login_enterprise

pytestmark = pytest.mark.e2e

# from the national dataset: 万秀, one certificate with two specialities, registered to 9151010029141777XB
PERSON_ID_CARD, PERSON_NAME, CERT_NO = "510100198612235495", "万秀", "川658091973797"
TITLE = {"name": "工程师", "level": "中级", "specialty": "市政公用工程", "cert_no": "川职2019-7788",
         "issued_on": "2019-09-01", "issuer": "四川省人力资源和社会保障厅"}


@pytest.fixture(scope="module")
def hired(platform):
    enterprise, entry = login_enterprise(platform, index=0)
    assert entry["uscc"] == "9151010029141777XB"
    person, _ = hire(platform, enterprise, "e2e-cert-holder", PERSON_ID_CARD, PERSON_NAME)
    return person, enterprise


def test_sync_brings_the_employees_registered_certificate_with_both_specialities(platform, hired):
    _, enterprise = hired
    result = enterprise.post("/api/v1/ent/certificates/sync")
    assert result.status_code == 200, result.text
    added = {c["cert_no"]: c for c in result.json()["added"]}
    assert added[CERT_NO]["specialties"] == ["建筑工程", "市政公用工程"]
    assert added[CERT_NO]["person_name"] == PERSON_NAME and added[CERT_NO]["kind"] == "registered"
    again = enterprise.post("/api/v1/ent/certificates/sync")
    assert again.json()["added"] == []
    listed = enterprise.get("/api/v1/ent/certificates", params={"kind": "registered"})
    assert [c["cert_no"] for c in listed.json()["items"]].count(CERT_NO) == 1
    assert PERSON_ID_CARD not in result.text + again.text + listed.text


def test_a_national_platform_that_is_down_gives_503_and_changes_nothing(platform, hired):
    _, enterprise = hired
    before = enterprise.get("/api/v1/ent/certificates", params={"kind": "registered"}).json()
    requests.post(f"{platform.stubs_url}/stub/national/outage", json={"mode": "down"}, timeout=10).raise_for_status()
    try:
        response = enterprise.post("/api/v1/ent/certificates/sync")
    finally:
        requests.post(f"{platform.stubs_url}/stub/national/outage", json={"mode": "ok"}, timeout=10)
    assert response.status_code == 503 and response.json()["error"] == "NATIONAL_PLATFORM_UNAVAILABLE"
    assert enterprise.get("/api/v1/ent/certificates", params={"kind": "registered"}).json() == before


def test_a_title_is_registered_confirmed_revoked_and_changed(platform, hired):
    person, enterprise = hired
    registered = person.post("/api/v1/mp/certificates/titles", TITLE)
    assert registered.status_code == 201, registered.text
    title = registered.json()
    assert title["status"] == "pending_confirmation"

    other, _ = login_enterprise(platform, index=1)
    assert other.post(f"/api/v1/ent/certificates/{title['id']}/confirm").status_code == 404
    confirmed = enterprise.post(f"/api/v1/ent/certificates/{title['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    change = person.put(f"/api/v1/mp/certificates/titles/{title['id']}", {**TITLE, "level": "副高级"})
    assert change.status_code == 409

    assert enterprise.post(f"/api/v1/ent/certificates/{title['id']}/revoke").json()["status"] == "revoked"
    changed = person.put(f"/api/v1/mp/certificates/titles/{title['id']}", {**TITLE, "level": "副高级", "name": "高级工程师"})
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["level"]) == ("pending_confirmation", "副高级")
    mine = person.get("/api/v1/mp/certificates").json()["items"]
    assert any(c["id"] == title["id"] and c["type"] == "高级工程师" for c in mine)


def test_an_enterprise_enters_a_post_certificate_for_its_employee(platform, hired):
    person, enterprise = hired
    person_id = person.get("/api/v1/mp/me").json()["person_id"]
    added = enterprise.post("/api/v1/ent/certificates", {
        "person_id": person_id, "kind": "post", "type": "施工员", "cert_no": "川建施2024-0099",
        "issuer": "四川省住房和城乡建设厅", "valid_until": "2029-01-01"})
    assert added.status_code == 201, added.text
    assert added.json()["status"] == "valid" and added.json()["filed"] is False
    refused = enterprise.post("/api/v1/ent/certificates", {
        "person_id": person_id, "kind": "safety", "level": "D", "cert_no": "x", "issuer": "y",
        "valid_until": "2029-01-01"})
    assert refused.status_code == 422 and "level" in refused.json()["errors"]
