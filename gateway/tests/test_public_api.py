"""The public API (进疆企业信息公示): no login; queries checked before any call (422 with field
paths); a malformed USCC or booklet number is 404 without a call; only masked personal data ever
leaves; answers carry a strong ETag and Cache-Control and a matching If-None-Match gets 304;
errors are never cached; each client has its own token bucket and gets 429 with Retry-After."""
import datetime
import hashlib
import re
import uuid

import pytest
from flask import request

from xjkit.booklets import new_booklet_no
from xjkit.errors import DomainError
from xjkit.masking import mask_id_card
from xjkit.testdata import make_id_card, make_uscc

from gateway import ratelimit
from gateway.app import create_app
from xjkit.errors import ServiceUnavailable

BASE = "/api/v1/public"
USCC = make_uscc()
OTHER_USCC = make_uscc(body8="MA6CYYYY")
ID_CARD = make_id_card()
OTHER_ID_CARD = make_id_card(seq="456")
PHONE = "13800138000"
AT = datetime.datetime(2026, 3, 2, 1, 0, 5, 250000, tzinfo=datetime.timezone.utc)
AT_SHOWN = "2026-03-02T09:00:05+08:00"
TYPE_CHOICES = ("取值应为：construction（施工）、supervision（监理）、survey（勘察）、design（设计）、"
                "quality_testing（工程质量检测）、bidding_agency（招标代理）、cost_consulting（造价咨询）")
RATE_LIMITED_BODY = {"code": 429, "error": "RATE_LIMITED", "message": "请求过于频繁，请稍后再试"}
BOOKLET_NO = new_booklet_no("construction", 2026)

# what must never appear in a public response: a whole ID number or a whole mobile number
FULL_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


@pytest.fixture
def public_bodies():
    return []


def public_app(services, public_bodies, **config):
    # the HTTP layer on its own: without the shared cache (test_public_cache.py), so every answer
    # comes from the service and its ETag is the body's hash
    app = create_app({"TESTING": True, "XJ_REDIS_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                      "XJ_LIMIT_PUBLIC": "40/minute", "XJ_PUBLIC_CACHE_SECONDS": 0, **config})
    app.extensions["xj_rpc"] = services

    @app.after_request
    def keep_public_body(response):
        if request.path.startswith(BASE):
            public_bodies.append((request.full_path, response.get_data(as_text=True)))
        return response

    return app


@pytest.fixture
def app(services, public_bodies):
    return public_app(services, public_bodies)


@pytest.fixture(autouse=True)
def no_public_response_in_these_tests_holds_a_full_id_or_mobile_number(public_bodies):
    yield
    for path, body in public_bodies:
        assert not FULL_ID_NUMBER.search(body), f"{path} shows a full ID number"
        assert not FULL_MOBILE.search(body), f"{path} shows a full mobile number"


# --- what publicity-svc answers -----------------------------------------------------------------

def summary(uscc=USCC, name="四川某某建设集团有限公司", **overrides):
    return {"uscc": uscc, "name": name, "enterprise_types": ["construction"],
            "registrations": [{"enterprise_type": "construction", "enterprise_type_label": "施工",
                               "valid_until": "2027-03-01"}],
            "qualifications": ["建筑工程施工总承包一级"], "personnel_count": 2, "updated_at": AT, **overrides}


def search_page(*items, as_of="2026-03-02"):
    items = list(items) or [summary()]
    return {"items": items, "total": len(items), "page": 1, "per_page": 20, "as_of": as_of}


def detail(**overrides):
    return {
        "uscc": USCC, "name": "四川某某建设集团有限公司", "updated_at": AT,
        "registrations": [{
            "enterprise_type": "cost_consulting", "enterprise_type_label": "造价咨询", "valid_until": "2027-03-01",
            "approved_at": AT,
            "basic": {"name": "四川某某建设集团有限公司", "legal_representative": "王五",
                      "registered_address": "四川省成都市武侯区某某路1号", "registered_capital_wan": 5000,
                      "established_on": "2005-06-01", "xj_office_address": "新疆乌鲁木齐市天山区某某路2号"},
            "manager": {"name": "张三", "id_card_masked": mask_id_card(ID_CARD)},
            "tech_manager": None,
            "qualifications": [{"cert_no": "D151000001", "name": "工程造价咨询企业甲级", "grade": "甲级",
                                "issuer": "四川省住房和城乡建设厅", "expires_on": "2028-12-31"}],
            "personnel": [{"person_name": "李四", "id_card_masked": mask_id_card(OTHER_ID_CARD), "kind": "registered",
                           "type": "一级造价工程师", "cert_no": "建[造]21650000123456", "specialties": ["土木建筑工程"],
                           "valid_until": "2028-06-30"}],
            "cost_projects": [{"project_name": "乌鲁木齐某某住宅小区全过程造价咨询", "location_code": "650102",
                               "client_name": "新疆某某置业有限公司", "contract_amount_fen": 12_500_000,
                               "service_start": "2026-02-01", "service_end": "2027-01-31",
                               "lead_person_name": "李四"}],
            "booklet_no": BOOKLET_NO,
        }],
        **overrides,
    }


def feed(*items, next_cursor="42"):
    return {"items": list(items), "next": next_cursor}


def feed_item(seq=41, change="upsert", uscc=USCC):
    return {"uscc": uscc, "change": change, "at": AT, "seq": seq,
            "enterprise": summary(uscc=uscc) if change == "upsert" else None}


def verification(booklet_no=BOOKLET_NO, **overrides):
    return {"booklet_no": booklet_no, "authentic": True, "current": True, "uscc": USCC,
            "enterprise_name": "四川某某建设集团有限公司", "enterprise_type": "cost_consulting",
            "valid_until": "2027-03-01", "current_booklet_no": booklet_no, **overrides}


@pytest.fixture
def answering(services):
    services.answers[("publicity", "search")] = search_page()
    services.answers[("publicity", "enterprise")] = detail()
    services.answers[("publicity", "feed")] = feed(feed_item())
    services.answers[("publicity", "verify_booklet")] = lambda booklet_no: verification(booklet_no)
    return services


EVERY_ENDPOINT = [f"{BASE}/enterprises", f"{BASE}/enterprises/{USCC}", f"{BASE}/feed",
                  f"{BASE}/booklets/{BOOKLET_NO}"]


LEAKED_ID, LEAKED_PHONE = make_id_card(birth="19850505", seq="217"), "13987654321"
FULL_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def planted(value):
    """The same answer with a full ID number and a mobile number planted into every string."""
    if isinstance(value, str) and value and not re.fullmatch(r"[0-9A-Z]{18,19}|[0-9T:+\-]{10,25}", value):
        return f"{value} {LEAKED_ID} 手机{LEAKED_PHONE}"
    if isinstance(value, dict):
        return {key: planted(item) if key not in ("uscc", "enterprise_type", "change", "kind") else item
                for key, item in value.items()}
    if isinstance(value, list):
        return [planted(item) for item in value]
    return value


@pytest.mark.parametrize("path", EVERY_ENDPOINT + ["/public/", f"/public/enterprises/{USCC}",
                                                   f"/public/booklets/{BOOKLET_NO}"])
def test_no_public_answer_shows_a_full_id_or_phone_number_whichever_field_it_hides_in(client, services, app, path):
    from gateway.resources import public_pages
    if "public-pages" not in app.blueprints:
        app.register_blueprint(public_pages.blp)
    services.answers[("publicity", "search")] = planted(search_page())
    services.answers[("publicity", "enterprise")] = planted(detail())
    services.answers[("publicity", "feed")] = planted(feed(feed_item()))
    services.answers[("publicity", "verify_booklet")] = planted(verification())
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    assert "手机" in body  # the planted text arrived …
    assert FULL_ID.findall(body) == [] and MOBILE.findall(body) == []  # … without the numbers


def refused(response, services):
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["error"] == "VALIDATION_FAILED" and body["message"] == "提交的数据有误"
    assert services.calls == []
    return body["errors"]


# --- no login --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EVERY_ENDPOINT)
def test_every_public_endpoint_answers_without_a_token(client, answering, path):
    response = client.get(path)
    assert response.status_code == 200
    assert answering.calls and answering.calls[0][0] == "publicity"


def test_openapi_documents_the_public_paths_without_security(client):
    spec = client.get("/openapi.json").get_json()
    for path in ("/api/v1/public/enterprises", "/api/v1/public/enterprises/{uscc}", "/api/v1/public/feed",
                 "/api/v1/public/booklets/{booklet_no}"):
        operation = spec["paths"][path]["get"]
        assert "security" not in operation
        assert {"200", "304", "429"} <= set(operation["responses"])
        assert "ETag" in operation["responses"]["200"]["headers"]


# --- search ----------------------------------------------------------------------------------------

def test_the_search_passes_the_checked_query_to_publicity(client, answering):
    response = client.get(f"{BASE}/enterprises?q=%20某某建设%20&enterprise_type=construction"
                          "&qualification=建筑工程施工总承包一级&page=2&per_page=50")
    assert response.status_code == 200
    assert answering.calls == [("publicity", "search", {
        "q": "某某建设", "enterprise_type": "construction", "qualification": "建筑工程施工总承包一级",
        "page": 2, "per_page": 50})]


def test_the_search_defaults_to_everything_on_the_first_page_and_a_blank_q_is_no_q(client, answering):
    client.get(f"{BASE}/enterprises?q=")
    assert answering.calls == [("publicity", "search", {"q": None, "enterprise_type": None, "qualification": None,
                                                        "page": 1, "per_page": 20})]


def test_the_search_answers_a_page_of_summaries_with_instants_in_shanghai_time(client, answering):
    body = client.get(f"{BASE}/enterprises").get_json()
    assert set(body) == {"items", "total", "page", "per_page", "as_of"} and body["as_of"] == "2026-03-02"
    item = body["items"][0]
    assert set(item) == {"uscc", "name", "enterprise_types", "registrations", "qualifications", "personnel_count",
                         "updated_at"}
    assert item["updated_at"] == AT_SHOWN
    assert item["registrations"] == [{"enterprise_type": "construction", "enterprise_type_label": "施工",
                                      "valid_until": "2027-03-01"}]


@pytest.mark.parametrize("query, errors", [
    ("q=" + "企" * 101, {"q": ["长度不能超过100个字符"]}),
    ("enterprise_type=mining", {"enterprise_type": [TYPE_CHOICES]}),
    ("qualification=" + "资" * 101, {"qualification": ["长度不能超过100个字符"]}),
    ("per_page=101", {"per_page": ["取值应在1到100之间"]}),
    ("per_page=0", {"per_page": ["取值应在1到100之间"]}),
    ("page=0", {"page": ["取值应在1到100000之间"]}),
    ("page=x", {"page": ["应为整数"]}),
])
def test_a_bad_search_query_is_422_naming_the_field_and_calls_nothing(client, services, query, errors):
    response = client.get(f"{BASE}/enterprises?{query}")
    assert refused(response, services) == errors
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_an_unknown_query_parameter_such_as_a_cache_buster_is_ignored(client, answering):
    assert client.get(f"{BASE}/enterprises?_=1712345678").status_code == 200
    assert client.get(f"{BASE}/feed?_=1712345678").status_code == 200
    assert [call[2] for call in answering.calls] == [
        {"q": None, "enterprise_type": None, "qualification": None, "page": 1, "per_page": 20},
        {"since": None, "limit": 100}]


# --- one enterprise ----------------------------------------------------------------------------------

def test_the_detail_reads_the_enterprise_by_its_normalised_uscc(client, answering):
    response = client.get(f"{BASE}/enterprises/{USCC.lower()}")
    assert response.status_code == 200
    assert answering.calls == [("publicity", "enterprise", {"uscc": USCC})]


@pytest.mark.parametrize("uscc", ["123", USCC[:-1] + ("0" if USCC[-1] != "0" else "1"), "A" * 18, "X" * 200])
def test_a_malformed_uscc_is_404_without_calling_publicity(client, services, uscc):
    response = client.get(f"{BASE}/enterprises/{uscc}")
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "error": "PUBLIC_ENTERPRISE_NOT_FOUND",
                                   "message": "未找到该企业的有效进疆信息"}
    assert services.calls == []
    assert response.headers["Cache-Control"] == "no-store"


def test_an_enterprise_without_a_valid_registration_is_publicitys_404_and_not_cached(client, services):
    services.answers[("publicity", "enterprise")] = DomainError(
        "PUBLIC_ENTERPRISE_NOT_FOUND", "未找到该企业的有效进疆信息", 404)
    response = client.get(f"{BASE}/enterprises/{OTHER_USCC}")
    assert response.status_code == 404 and response.get_json()["error"] == "PUBLIC_ENTERPRISE_NOT_FOUND"
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_the_detail_shows_registrations_qualifications_masked_personnel_and_cost_projects(client, answering):
    body = client.get(f"{BASE}/enterprises/{USCC}").get_json()
    assert set(body) == {"uscc", "name", "registrations", "updated_at"} and body["updated_at"] == AT_SHOWN
    registration = body["registrations"][0]
    assert set(registration) == {"enterprise_type", "enterprise_type_label", "valid_until", "approved_at", "basic",
                                 "manager", "tech_manager", "qualifications", "personnel", "cost_projects",
                                 "booklet_no"}
    assert registration["approved_at"] == AT_SHOWN
    assert set(registration["basic"]) == {"name", "legal_representative", "registered_address",
                                          "registered_capital_wan", "established_on", "xj_office_address"}
    assert registration["manager"] == {"name": "张三", "id_card_masked": "510104********" + ID_CARD[-4:]}
    assert registration["tech_manager"] is None
    assert registration["personnel"][0]["id_card_masked"] == mask_id_card(OTHER_ID_CARD)
    assert registration["cost_projects"][0]["contract_amount_fen"] == 12_500_000


def test_personal_data_a_service_should_not_have_sent_never_leaves_whole(client, services):
    """Undeclared fields (a full ID number, phones) are dropped; an unmasked "masked" ID is masked."""
    leaky = detail()
    registration = leaky["registrations"][0]
    registration["basic"].update(contact_name="赵六", contact_phone=PHONE)
    registration["manager"] = {"name": "张三", "id_card_masked": ID_CARD, "id_card_no": ID_CARD, "phone": PHONE}
    registration["personnel"][0].update(id_card_masked=OTHER_ID_CARD, id_card_no=OTHER_ID_CARD, phone=PHONE)
    leaky["contact_phone"] = PHONE
    services.answers[("publicity", "enterprise")] = leaky
    services.answers[("publicity", "search")] = search_page(summary(contact_phone=PHONE, legal_id_card_no=ID_CARD))
    services.answers[("publicity", "feed")] = feed({**feed_item(), "enterprise": summary(phone=PHONE),
                                                    "id_card_no": ID_CARD})
    services.answers[("publicity", "verify_booklet")] = verification(contact_phone=PHONE)
    raw = repr([leaky, services.answers[("publicity", "search")]])
    assert FULL_ID_NUMBER.search(raw) and FULL_MOBILE.search(raw)  # the scan would see them

    bodies = [client.get(path).get_data(as_text=True) for path in EVERY_ENDPOINT]
    for body in bodies:
        assert not FULL_ID_NUMBER.search(body) and not FULL_MOBILE.search(body)
        assert ID_CARD not in body and OTHER_ID_CARD not in body and PHONE not in body
    registration = client.get(f"{BASE}/enterprises/{USCC}").get_json()["registrations"][0]
    assert registration["manager"] == {"name": "张三", "id_card_masked": mask_id_card(ID_CARD)}
    assert "contact_phone" not in registration["basic"] and "contact_name" not in registration["basic"]


# --- feed --------------------------------------------------------------------------------------------

def test_the_feed_passes_since_and_limit_through(client, answering):
    response = client.get(f"{BASE}/feed?since=41&limit=500")
    assert response.status_code == 200
    assert answering.calls == [("publicity", "feed", {"since": "41", "limit": 500})]


def test_the_feed_starts_from_the_beginning_with_100_changes_by_default(client, answering):
    client.get(f"{BASE}/feed")
    assert answering.calls == [("publicity", "feed", {"since": None, "limit": 100})]


def test_the_feed_answers_upserts_with_the_summary_and_removals_with_null(client, services):
    services.answers[("publicity", "feed")] = feed(feed_item(41), feed_item(42, "remove", OTHER_USCC),
                                                   next_cursor="42")
    body = client.get(f"{BASE}/feed?since=40").get_json()
    assert body["next"] == "42"
    upsert, remove = body["items"]
    assert set(upsert) == {"uscc", "change", "at", "seq", "enterprise"} and upsert["at"] == AT_SHOWN
    assert upsert["enterprise"]["uscc"] == USCC and upsert["seq"] == 41
    assert remove == {"uscc": OTHER_USCC, "change": "remove", "at": AT_SHOWN, "seq": 42, "enterprise": None}


@pytest.mark.parametrize("query, errors", [
    ("limit=0", {"limit": ["取值应在1到500之间"]}),
    ("limit=501", {"limit": ["取值应在1到500之间"]}),
    ("limit=many", {"limit": ["应为整数"]}),
    ("since=" + "9" * 65, {"since": ["长度不能超过64个字符"]}),
])
def test_a_bad_feed_query_is_422_naming_the_field_and_calls_nothing(client, services, query, errors):
    assert refused(client.get(f"{BASE}/feed?{query}"), services) == errors


# --- booklets ----------------------------------------------------------------------------------------

def test_a_booklet_is_verified_by_publicity(client, answering):
    response = client.get(f"{BASE}/booklets/{BOOKLET_NO}")
    assert response.status_code == 200
    assert answering.calls == [("publicity", "verify_booklet", {"booklet_no": BOOKLET_NO})]
    assert response.get_json() == verification()


def test_a_booklet_number_typed_from_paper_is_read_as_printed(client, answering):
    typed = f"{BOOKLET_NO[:6].lower()} {BOOKLET_NO[6:12]}-{BOOKLET_NO[12:]}".replace("0", "O")
    client.get(f"{BASE}/booklets/{typed}")
    assert answering.calls == [("publicity", "verify_booklet", {"booklet_no": BOOKLET_NO})]


def test_an_unknown_well_formed_booklet_is_200_not_authentic(client, services):
    forged = new_booklet_no("construction", 2026)
    services.answers[("publicity", "verify_booklet")] = {"booklet_no": forged, "authentic": False, "current": False}
    response = client.get(f"{BASE}/booklets/{forged}")
    assert response.status_code == 200
    assert response.get_json() == {"booklet_no": forged, "authentic": False, "current": False}


@pytest.mark.parametrize("booklet_no", ["X" * 41, "XJ-0001", "XJ%200001", "编号", "XJ29141777CO0003",
                                        BOOKLET_NO[:-1] + ("A" if BOOKLET_NO[-1] != "A" else "B")])
def test_a_malformed_booklet_number_is_404_without_calling_publicity(client, services, booklet_no):
    response = client.get(f"{BASE}/booklets/{booklet_no}")
    assert response.status_code == 404 and response.get_json()["error"] == "BOOKLET_NOT_FOUND"
    assert services.calls == []


# --- HTTP caching ------------------------------------------------------------------------------------

def etag_of(body):
    return '"%s"' % hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("path", EVERY_ENDPOINT)
def test_a_public_answer_has_a_strong_etag_of_its_body(client, answering, path):
    response = client.get(path)
    assert response.headers["ETag"] == etag_of(response.get_data())
    assert not response.headers["ETag"].startswith("W/")


@pytest.mark.parametrize("path, cache_control", [
    (f"{BASE}/enterprises", "public, max-age=30"),
    (f"{BASE}/enterprises/{USCC}", "public, max-age=30"),
    (f"{BASE}/booklets/{BOOKLET_NO}", "public, max-age=30"),
    (f"{BASE}/feed", "public, max-age=5"),
])
def test_lists_details_and_booklets_are_cached_30_seconds_and_the_feed_5(client, answering, path, cache_control):
    response = client.get(path)
    assert response.headers["Cache-Control"] == cache_control
    assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize("if_none_match", [
    "{etag}", '"stale", {etag}', "W/{etag}", '"stale",W/{etag} , "other"', "*",
])
@pytest.mark.parametrize("path", EVERY_ENDPOINT)
def test_a_matching_if_none_match_is_304_without_a_body(client, answering, path, if_none_match):
    first = client.get(path)
    etag = first.headers["ETag"]
    response = client.get(path, headers={"If-None-Match": if_none_match.format(etag=etag)})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "Content-Type" not in response.headers


@pytest.mark.parametrize("if_none_match", ['"stale"', 'W/"stale", "older"', ""])
def test_an_if_none_match_that_does_not_match_gets_the_full_answer(client, answering, if_none_match):
    response = client.get(f"{BASE}/enterprises", headers={"If-None-Match": if_none_match})
    assert response.status_code == 200 and response.get_json()["items"]


def test_a_changed_answer_gets_a_new_etag_and_the_old_one_no_longer_matches(client, services):
    services.answers[("publicity", "enterprise")] = detail()
    old = client.get(f"{BASE}/enterprises/{USCC}").headers["ETag"]
    assert client.get(f"{BASE}/enterprises/{USCC}").headers["ETag"] == old  # same answer, same tag
    services.answers[("publicity", "enterprise")] = detail(name="四川某某建设集团股份有限公司")
    response = client.get(f"{BASE}/enterprises/{USCC}", headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.headers["ETag"] != old and response.get_json()["name"] == "四川某某建设集团股份有限公司"


def test_a_service_outage_is_503_and_not_cached(client, services):
    services.answers[("publicity", "search")] = ServiceUnavailable(errors={"service": ["publicity"]})
    response = client.get(f"{BASE}/enterprises", headers={"If-None-Match": "*"})
    assert response.status_code == 503 and response.get_json()["error"] == "SERVICE_UNAVAILABLE"
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


# --- rate limiting (Flask-Limiter over the real Redis; 40 a minute in these tests) ------------------

def exhaust(client, path=f"{BASE}/enterprises", times=40, **kwargs):
    for _ in range(times):
        assert client.get(path, **kwargs).status_code == 200


def test_past_its_limit_a_client_gets_429_with_retry_after_and_the_api_body(client, answering):
    exhaust(client)
    response = client.get(f"{BASE}/enterprises")
    assert response.status_code == 429
    assert response.get_json() == RATE_LIMITED_BODY
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["Cache-Control"] == "no-store"
    assert len(answering.calls) == 40  # the refused request reached no service


def test_one_budget_covers_every_public_endpoint_and_the_public_pages(app, client, answering):
    if "public-pages" not in app.blueprints:
        from gateway.resources import public_pages
        app.register_blueprint(public_pages.blp)
    exhaust(client, times=20)
    exhaust(client, path="/public/", times=20)
    assert client.get(f"{BASE}/feed").status_code == 429
    page = client.get(f"/public/enterprises/{USCC}")
    assert page.status_code == 429 and "访问过于频繁" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) >= 1


def test_the_limit_is_shared_by_every_gateway_worker(answering, public_bodies):
    # two apps are two gunicorn workers (or two gateway pods): their counts meet in Redis
    prefix = f"test-{uuid.uuid4().hex}"
    first = public_app(answering, public_bodies, XJ_REDIS_KEY_PREFIX=prefix).test_client()
    second = public_app(answering, public_bodies, XJ_REDIS_KEY_PREFIX=prefix).test_client()
    exhaust(first, times=20)
    exhaust(second, times=20)
    assert first.get(f"{BASE}/enterprises").status_code == 429
    assert second.get(f"{BASE}/enterprises").status_code == 429


def test_the_limit_is_per_client_address(client, answering):
    exhaust(client, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert client.get(f"{BASE}/enterprises", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 429
    assert client.get(f"{BASE}/enterprises", environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 200


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client, answering):
    for n in range(40):
        assert client.get(f"{BASE}/enterprises", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code == 200
    response = client.get(f"{BASE}/enterprises", headers={"X-Forwarded-For": "198.51.100.200"})
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_first_forwarded_address_is_the_client(answering, public_bodies):
    client = public_app(answering, public_bodies, XJ_TRUST_PROXY=True).test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    exhaust(client, headers={"X-Forwarded-For": "198.51.100.1, 10.0.0.9"}, environ_base=proxy)
    limited = client.get(f"{BASE}/enterprises", headers={"X-Forwarded-For": "198.51.100.1"}, environ_base=proxy)
    assert limited.status_code == 429
    other = client.get(f"{BASE}/enterprises", headers={"X-Forwarded-For": "198.51.100.2, 10.0.0.9"},
                       environ_base=proxy)
    assert other.status_code == 200


def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_peer(answering, public_bodies):
    client = public_app(answering, public_bodies, XJ_TRUST_PROXY=True).test_client()
    for n in range(40):
        assert client.get(f"{BASE}/enterprises", headers={"X-Forwarded-For": f"junk-{n}"}).status_code == 200
    assert client.get(f"{BASE}/enterprises", headers={"X-Forwarded-For": "junk-x"}).status_code == 429


def test_limits_come_from_the_app_config_else_the_environment_else_the_defaults(monkeypatch):
    monkeypatch.setenv("XJ_LIMIT_CA_LOGIN", "3/minute")
    monkeypatch.setenv("XJ_TRUST_PROXY", "true")
    monkeypatch.delenv("XJ_LIMIT_PUBLIC", raising=False)
    app = create_app({"TESTING": True, "XJ_LIMIT_MP_LOGIN": "7/hour"})
    assert (app.config["XJ_LIMIT_CA_LOGIN"], app.config["XJ_LIMIT_MP_LOGIN"]) == ("3/minute", "7/hour")
    assert app.config["XJ_LIMIT_PUBLIC"] == ratelimit.DEFAULT_LIMITS["XJ_LIMIT_PUBLIC"] == "20/second;600/minute"
    assert app.config["XJ_TRUST_PROXY"] is True


@pytest.mark.parametrize("name, value", [("XJ_LIMIT_PUBLIC", "fast"), ("XJ_LIMIT_CA_LOGIN", "10 a minute"),
                                         ("XJ_TRUST_PROXY", "maybe")])
def test_a_bad_limit_setting_stops_start_up_naming_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        create_app({"TESTING": True, name: value})


def test_healthz_and_other_surfaces_are_not_counted_against_the_public_budget(client, answering):
    exhaust(client)
    assert client.get(f"{BASE}/enterprises").status_code == 429
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/ent/me").status_code == 401  # not 429: its own rules apply


def test_a_429_from_a_service_also_says_when_to_retry(client, services):
    services.answers[("publicity", "search")] = DomainError("RATE_LIMITED", "请求过于频繁，请稍后再试", 429)
    response = client.get(f"{BASE}/enterprises")
    assert response.status_code == 429 and response.get_json() == RATE_LIMITED_BODY
    assert int(response.headers["Retry-After"]) >= 1


def test_a_not_modified_answer_still_counts_against_the_limit(client, answering):
    etag = client.get(f"{BASE}/enterprises").headers["ETag"]
    for _ in range(39):
        assert client.get(f"{BASE}/enterprises", headers={"If-None-Match": etag}).status_code == 304
    assert client.get(f"{BASE}/enterprises", headers={"If-None-Match": etag}).status_code == 429


def test_an_answer_within_the_limit_does_not_tell_the_client_to_retry(client, answering):
    assert "Retry-After" not in client.get(f"{BASE}/enterprises").headers


def test_with_redis_unreachable_each_worker_still_limits_on_its_own(answering, public_bodies):
    client = public_app(answering, public_bodies, XJ_REDIS_URL="redis://127.0.0.1:1/0").test_client()
    exhaust(client)
    assert client.get(f"{BASE}/enterprises").status_code == 429
