"""Person endpoints beyond the skeleton: profile, face tickets, inbox; full numbers never shown."""
import re

import pytest

from xjkit.testdata import make_id_card

from .helpers import login_person, verify_person

pytestmark = pytest.mark.e2e

# whole tokens only: the 32-hex-digit ids of records may hold eleven decimal digits in a row
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
FULL_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def test_profile_phone_is_stored_but_only_shown_masked(platform):
    api, _ = login_person(platform.url, "profile-owner")
    verify_person(api, "周九", make_id_card(region="310104", birth="19950505", seq="512"))
    response = api.put("/api/v1/mp/me", {"phone": "13800138000", "education": "本科", "address": "新疆乌鲁木齐市天山区"})
    assert response.status_code == 200
    texts = [response.text, api.get("/api/v1/mp/me").text]
    for text in texts:
        assert "138****8000" in text
        assert not FULL_PHONE.search(text) and not FULL_ID.search(text)


def test_an_invalid_phone_is_422_and_changes_nothing(platform):
    api, _ = login_person(platform.url, "profile-bad-phone")
    response = api.put("/api/v1/mp/me", {"phone": "1380013800"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"phone": ["手机号码格式不正确"]}
    assert api.get("/api/v1/mp/me").json()["phone_masked"] is None


def test_a_face_ticket_needs_a_verified_person_and_a_known_purpose(platform):
    api, _ = login_person(platform.url, "ticket-unverified")
    refused = api.post("/api/v1/mp/face", {"purpose": "employment.accept", "target_id": "emp-1"})
    assert refused.status_code == 409 and refused.json()["error"] == "PERSON_NOT_VERIFIED"
    unknown = api.post("/api/v1/mp/face", {"purpose": "filing.delete", "target_id": "x"})
    assert unknown.status_code == 422 and "purpose" in unknown.json()["errors"]


def test_a_verified_person_gets_a_face_ticket(platform):
    api, _ = login_person(platform.url, "ticket-verified")
    verify_person(api, "吴十", make_id_card(region="420102", birth="19830303", seq="130"))
    ticket = api.post("/api/v1/mp/face", {"purpose": "employment.accept", "target_id": "emp-9"})
    assert ticket.status_code == 200
    assert ticket.json()["verify_id"] and ticket.json()["expires_in"] == 3600


def test_the_inbox_starts_empty_and_pages_per_the_list_convention(platform):
    api, _ = login_person(platform.url, "inbox-empty")
    assert api.get("/api/v1/mp/messages").json() == {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert api.get("/api/v1/mp/messages", params={"per_page": 101}).status_code == 422
    assert api.post("/api/v1/mp/messages/not-mine/read").status_code == 404
