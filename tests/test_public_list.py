"""The public list end to end: an approved first filing shows in the list and the feed within
seconds; full ID and phone numbers never appear; booklets verify; the rebuild command works."""
import os
import re
import subprocess
import sys
import time

import pytest
import requests

from .helpers import hire, login_enterprise, upload

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.7\n%%EOF\n"
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
SURVEY = 2  # 甘肃秦川勘察研究院有限公司 in the dev CA's samples


def test_an_approved_filing_is_public_within_seconds_without_full_numbers(platform):
    enterprise, entry = login_enterprise(platform, index=SURVEY)
    _, manager = hire(platform, enterprise, "pub-m", "620100198405056019", "测试甲")
    _, tech = hire(platform, enterprise, "pub-t", "620100198506067016", "测试乙")
    case = enterprise.post("/api/v1/ent/filings", {"business": "first_filing", "enterprise_type": "survey", "data": {
        "basic": {"name": entry["name"], "legal_representative": "于军杰", "registered_address": "甘肃省兰州市高新大道261号",
                  "registered_capital_wan": 1000, "established_on": "2010-03-18", "contact_name": "联系人",
                  "contact_phone": "13900139000"},
        "manager_person_id": manager, "tech_manager_person_id": tech,
        "attachments": [upload(enterprise, PDF).json()["file_id"]], "sync_qualifications": True}})
    approved_at = time.monotonic()
    assert case.status_code == 201 and case.json()["status"] == "approved", case.text

    listed = None
    while time.monotonic() - approved_at < 10:
        listed = requests.get(f"{platform.url}/api/v1/public/enterprises", params={"q": entry["uscc"]}, timeout=10)
        if listed.json()["total"]:
            break
        time.sleep(0.1)
    assert listed.json()["total"] == 1, "not public within 10 s"
    feed_item = None
    while time.monotonic() - approved_at < 10 and feed_item is None:
        feed = requests.get(f"{platform.url}/api/v1/public/feed", params={"limit": 500}, timeout=10).json()
        feed_item = next((i for i in feed["items"] if i["uscc"] == entry["uscc"]), None)
        time.sleep(0.1)
    assert feed_item is not None and feed_item["change"] == "upsert"

    detail = requests.get(f"{platform.url}/api/v1/public/enterprises/{entry['uscc']}", timeout=10)
    assert detail.status_code == 200
    page = requests.get(f"{platform.url}/public/enterprises/{entry['uscc']}", timeout=10)
    for response in (listed, detail, page, requests.get(f"{platform.url}/api/v1/public/feed", timeout=10)):
        assert not FULL_ID.search(response.text), response.url
        assert not FULL_PHONE.search(response.text), response.url
    assert "620100********6019" in detail.text

    etag = detail.headers["ETag"]
    again = requests.get(f"{platform.url}/api/v1/public/enterprises/{entry['uscc']}",
                         headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304

    booklet_no = enterprise.get("/api/v1/ent/registrations").json()["items"][0]["booklet_no"]
    verified = requests.get(f"{platform.url}/api/v1/public/booklets/{booklet_no}", timeout=10).json()
    assert (verified["authentic"], verified["current"]) == (True, True)
    # where the booklet's QR code leads
    page = requests.get(f"{platform.url}/public/booklets/{booklet_no}", timeout=10)
    assert page.status_code == 200 and "真实有效，为当前最新的一册" in page.text


def test_the_rebuild_command_rebuilds_the_list_from_filing(platform):
    before = requests.get(f"{platform.url}/api/v1/public/enterprises", timeout=10).json()["total"]
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "xj-publicity-rebuild")],
                            env={**os.environ, "AMQP_URI": platform.env["AMQP_URI"]},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "rebuilt:" in result.stdout and "#" in result.stdout
    after = requests.get(f"{platform.url}/api/v1/public/enterprises", timeout=10).json()["total"]
    assert after == before
