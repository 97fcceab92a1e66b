"""The public list end to end: an approved first filing shows in the list and the feed within
seconds; full ID and phone numbers never appear; booklets verify; the rebuild command works."""
import os
import re
import subprocess
import sys
import time

import pytest
import requests

from .helpers import eventually, hire, login_enterprise, upload

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.7\n%%EOF\n"
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
SURVEY = 2  # 甘肃秦川勘察研究院有限公司 in the dev CA's samples
ZHIJIANG_SURVEY = 9  # 四川之江勘察研究院有限公司, whose credit code is all digits


def publicity_rpcs(platform):
    """How many RPCs the gateway has made to publicity-svc (its /metrics, every worker)."""
    text = requests.get(f"{platform.url}/metrics", timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("xj_gateway_rpc_seconds_count{") and 'service="publicity"' in line)


def test_an_approved_filing_is_public_within_seconds_without_full_numbers(platform):
    list_etag = requests.get(f"{platform.url}/api/v1/public/enterprises", timeout=10).headers["ETag"]
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
    # the cached list moves to the new version of the read model: publicity bumps it at most 100 ms
    # after the commit (coalesced), so a fresh query may show the change a moment before
    assert eventually(lambda: requests.get(f"{platform.url}/api/v1/public/enterprises", timeout=10).headers["ETag"],
                      seconds=2, until=lambda etag: etag != list_etag) != list_etag
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


def settled_answer(path):
    """An answer whose version stays put: a bump of an earlier test's change (coalesced, up to
    100 ms after its commit) may still be due."""
    previous = requests.get(path, timeout=10)
    for _ in range(20):
        time.sleep(0.3)
        current = requests.get(path, timeout=10)
        if current.headers["ETag"] == previous.headers["ETag"]:
            break
        previous = current
    return current


def test_a_cached_public_answer_and_a_304_reach_no_service(platform):
    path = f"{platform.url}/api/v1/public/enterprises?per_page=7"
    first = settled_answer(path)
    assert first.status_code == 200 and first.headers["ETag"].startswith('"p')  # the read model's version
    before = publicity_rpcs(platform)
    for _ in range(3):  # whichever gunicorn worker answers
        again = requests.get(path, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert again.status_code == 304 and again.content == b""
        cached = requests.get(path, timeout=10)
        assert cached.status_code == 200 and cached.content == first.content
    assert publicity_rpcs(platform) == before


def test_the_rebuild_command_rebuilds_the_list_from_filing(platform):
    before = requests.get(f"{platform.url}/api/v1/public/enterprises", timeout=10).json()["total"]
    result = subprocess.run([os.path.join(os.path.dirname(sys.executable), "xj-publicity-rebuild")],
                            env={**os.environ, "AMQP_URI": platform.env["AMQP_URI"]},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "rebuilt:" in result.stdout and "#" in result.stdout
    after = requests.get(f"{platform.url}/api/v1/public/enterprises", timeout=10).json()["total"]
    assert after == before


def test_planted_id_and_phone_numbers_never_reach_any_public_answer(platform):
    """What enterprises type ends up public: a phone in the Xinjiang office address, a special
    operation certificate whose number is its holder's ID number. Every public answer, API and
    pages, list, detail, feed and booklet verification, shows neither in full."""
    enterprise, entry = login_enterprise(platform, index=ZHIJIANG_SURVEY)
    _, manager = hire(platform, enterprise, "leak-m", "510100198802116817", "测试丙")
    _, tech = hire(platform, enterprise, "leak-t", "510100198502104910", "测试丁")
    planted_phone = "13712345678"
    certificate = enterprise.post("/api/v1/ent/certificates", {
        "person_id": tech, "kind": "special_operation", "type": "电工作业", "cert_no": "510100198502104910",
        "issuer": "四川省应急管理厅", "issued_on": "2024-01-10", "valid_until": "2030-01-09"})
    assert certificate.status_code == 201, certificate.text
    case = enterprise.post("/api/v1/ent/filings", {"business": "first_filing", "enterprise_type": "survey", "data": {
        "basic": {"name": entry["name"], "legal_representative": "王某", "registered_address": "四川省成都市某路1号",
                  "registered_capital_wan": 1000, "established_on": "2009-05-01", "contact_name": "联系人",
                  "contact_phone": "13900139001",
                  "xj_office_address": f"乌鲁木齐市天山区某路88号（联系手机{planted_phone}）"},
        "manager_person_id": manager, "tech_manager_person_id": tech,
        "attachments": [upload(enterprise, PDF).json()["file_id"]], "sync_qualifications": True}})
    assert case.status_code == 201 and case.json()["status"] == "approved", case.text
    filed = enterprise.post("/api/v1/ent/filings", {"business": "personnel_filing", "enterprise_type": "survey",
                                                    "data": {"certificate_ids": [certificate.json()["id"]]}})
    assert filed.status_code == 201 and filed.json()["status"] == "approved", filed.text

    uscc = entry["uscc"]  # 915101006988058629: an all-digit credit code, which stays whole
    detail = eventually(lambda: requests.get(f"{platform.url}/api/v1/public/enterprises/{uscc}", timeout=10),
                        until=lambda answer: "510100********4910" in answer.text)
    booklet_no = enterprise.get("/api/v1/ent/registrations").json()["items"][0]["booklet_no"]
    answers = [detail] + [requests.get(f"{platform.url}{path}", timeout=10) for path in (
        f"/api/v1/public/enterprises?q={uscc}", "/api/v1/public/feed?limit=500",
        f"/api/v1/public/booklets/{booklet_no}", f"/public/?q={uscc}", f"/public/enterprises/{uscc}",
        f"/public/booklets/{booklet_no}")]
    for answer in answers:
        assert answer.status_code == 200, (answer.url, answer.text)
        assert [number for number in FULL_ID.findall(answer.text) if number != uscc] == [], answer.url
        assert FULL_PHONE.findall(answer.text) == [], answer.url
    assert uscc in detail.text and "137****5678" in detail.text
