"""The platform works on any real date: its business clock a year behind and a year ahead of its
wall clock, the skeleton, employment and filing flows still pass.

Each platform runs under Debian's faketime (every process of it: store, stubs, services, gateway)
with the wall clock moved so that it stands a year after, or a year before, the business instant
the platform's business clock starts at. Housekeeping expiries (face checks, login challenges,
tokens, TTL indexes, the feed's settle window) must follow the wall clock and business rules
(contract, certificate and registration validity) the business clock; any rule reading the wrong
one fails here.
"""
import datetime
from email.utils import parsedate_to_datetime

import pytest
import requests

from .conftest import BUSINESS_DAY, BUSINESS_NOW, SHANGHAI, real_now
from .helpers import eventually, hire, login_enterprise, login_person, upload, verify_person

pytestmark = pytest.mark.e2e

YEAR = datetime.timedelta(days=365)
PDF = b"%PDF-1.7\n%%EOF\n"
HUANGHE = 0  # the first sample enterprise: 施工
BASIC = {"name": "四川黄河建设集团有限公司", "legal_representative": "苏芳", "registered_address": "四川省成都市人民南路278号",
         "registered_capital_wan": 1000, "established_on": "2010-02-20", "contact_name": "王经理",
         "contact_phone": "13800138000"}


def faketime_offset(wall_minus_business):
    """The libfaketime offset that puts the platform's wall clock ``wall_minus_business`` away
    from its business start instant."""
    business = datetime.datetime.fromisoformat(BUSINESS_NOW).replace(tzinfo=SHANGHAI)
    target = business + wall_minus_business
    return f"{int((target - real_now()).total_seconds()):+d}"


@pytest.fixture(scope="module", params=[YEAR, -YEAR],
                ids=["business-a-year-behind-the-wall", "business-a-year-ahead-of-the-wall"])
def travelled(request, platform_factory):
    return platform_factory(wall_offset=faketime_offset(request.param))


def test_the_platform_runs_with_its_wall_clock_a_year_from_its_business_clock(travelled, request):
    # the gateway's Date header is its wall clock
    wall = parsedate_to_datetime(requests.get(f"{travelled.url}/healthz", timeout=10).headers["Date"])
    business = travelled.business_now()
    expected = YEAR if "behind" in request.node.callspec.id else -YEAR
    assert abs((wall - business) - expected) < datetime.timedelta(hours=1)


def test_a_person_verifies_by_face_is_hired_and_the_enterprise_files_and_is_listed(travelled):
    # skeleton: WeChat login, face verification (its check lives by the wall clock), masked record
    person, _ = login_person(travelled.url, "any-date-alice")
    verified = verify_person(person, "萧杰然", "510100196609086389")
    assert verified["realname_status"] == "verified"
    assert person.get("/api/v1/mp/me").json()["id_card_masked"] == "510100********6389"

    # CA login: the challenge expires by the wall clock, the certificate is judged at business time
    enterprise, _ = login_enterprise(travelled, index=HUANGHE)
    assert enterprise.get("/api/v1/ent/me").status_code == 200

    # employment: contract dates are business dates; the face ticket lives by the wall clock
    _, manager = hire(travelled, enterprise, "any-date-wan", "510100198612235495", "万秀", contract_end="2028-11-30")
    _, tech = hire(travelled, enterprise, "any-date-sun", "510100199007227053", "孙浩海", contract_end="2028-11-30")
    assert enterprise.get("/api/v1/ent/employments", params={"status": "active"}).json()["total"] == 2

    # filing: valid to 31 December of the business year; the public list shows it soon after
    first = enterprise.post("/api/v1/ent/filings", {"business": "first_filing", "enterprise_type": "construction",
                                                    "data": {"basic": BASIC, "manager_person_id": manager,
                                                             "tech_manager_person_id": tech,
                                                             "attachments": [upload(enterprise, PDF).json()["file_id"]],
                                                             "sync_qualifications": True}},
                            headers={"Idempotency-Key": "any-date-first"})
    assert first.status_code == 201 and first.json()["status"] == "approved", first.text
    [registration] = enterprise.get("/api/v1/ent/registrations").json()["items"]
    assert (registration["status"], registration["valid_until"]) == ("valid", f"{BUSINESS_DAY.year}-12-31")
    assert eventually(lambda: [i["uscc"] for i in enterprise.get("/api/v1/public/enterprises",
                                                                  params={"q": "四川黄河"}).json()["items"]]) \
        == ["9151010029141777XB"]
    # the feed settles by the wall clock: a wrong clock there would hide the change for a year
    assert eventually(lambda: [i["uscc"] for i in enterprise.get("/api/v1/public/feed",
                                                                  params={"limit": 100}).json()["items"]]) \
        == ["9151010029141777XB"]

