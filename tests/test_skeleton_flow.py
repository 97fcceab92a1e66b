"""The walking skeleton, end to end: gateway → nameko → identity-svc → store, with WeChat stubbed."""
import requests
import pytest

from xjkit.testdata import make_id_card

from .helpers import Api, login_person, verify_person

pytestmark = pytest.mark.e2e


def test_readyz_reports_all_five_services_ok(platform):
    response = requests.get(f"{platform.url}/readyz", timeout=30)
    assert response.status_code == 200
    assert response.json()["services"] == {
        "identity": "ok", "employment": "ok", "cert": "ok", "filing": "ok", "publicity": "ok"}


def test_healthz_openapi_and_docs_are_served(platform):
    assert requests.get(f"{platform.url}/healthz", timeout=10).json() == {"status": "ok"}
    spec = requests.get(f"{platform.url}/openapi.json", timeout=10).json()
    assert "/api/v1/mp/realname/complete" in spec["paths"]
    docs = requests.get(f"{platform.url}/docs", timeout=10)
    assert docs.status_code == 200 and "swagger-ui" in docs.text


def test_a_person_logs_in_verifies_by_face_and_reads_their_masked_record(platform):
    id_card = make_id_card(region="510104", birth="19900307", seq="318")
    api, login = login_person(platform.url, "e2e-alice")
    assert login["person"]["realname_status"] == "unverified"
    assert login["expires_at"].endswith("+08:00") or login["expires_at"].endswith("Z") or "+" in login["expires_at"]
    me = api.get("/api/v1/mp/me").json()
    assert me["realname_status"] == "unverified" and me["id_card_masked"] is None

    verified = verify_person(api, "张三", id_card)
    assert verified["realname_status"] == "verified"
    me = api.get("/api/v1/mp/me").json()
    assert me["name"] == "张三"
    assert me["id_card_masked"] == id_card[:6] + "********" + id_card[-4:]
    assert id_card not in api.get("/api/v1/mp/me").text


def test_an_invalid_id_number_gets_the_api_error_body_and_stores_nothing(platform):
    api, _ = login_person(platform.url, "e2e-bad-id")
    good = make_id_card(region="440305", birth="19881111", seq="777")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    response = api.post("/api/v1/mp/realname", {"name": "李四", "id_card_no": bad})
    assert response.status_code == 422
    assert response.json() == {"code": 422, "error": "VALIDATION_FAILED", "message": "提交的数据有误",
                               "errors": {"id_card_no": ["身份证号码校验位错误"]}}
    assert api.get("/api/v1/mp/me").json()["realname_status"] == "unverified"


def test_an_unknown_body_field_is_refused_and_stores_nothing(platform):
    api, _ = login_person(platform.url, "e2e-unknown-field")
    id_card = make_id_card(region="440305", birth="19881111", seq="778")
    response = api.post("/api/v1/mp/realname", {"name": "李四", "id_card_no": id_card, "realname_status": "verified"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"realname_status": ["不允许提交此字段"]}
    assert api.get("/api/v1/mp/me").json()["realname_status"] == "unverified"


def test_a_failed_face_check_is_422_face_not_passed_and_stores_nothing(platform):
    id_card = make_id_card(region="650102", birth="19791212", seq="045")
    requests.post(f"{platform.stubs_url}/stub/face/preset", json={"cert_no": id_card, "verify_ret": 10003},
                  timeout=10).raise_for_status()
    api, _ = login_person(platform.url, "e2e-face-fails")
    started = api.post("/api/v1/mp/realname", {"name": "王五", "id_card_no": id_card}).json()
    response = api.post("/api/v1/mp/realname/complete", {"verify_id": started["verify_id"]})
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["error"]) == (422, "FACE_NOT_PASSED")
    assert body["message"]
    me = api.get("/api/v1/mp/me").json()
    assert me["realname_status"] == "unverified" and me["name"] is None


def test_a_second_wechat_user_cannot_claim_a_bound_id_number(platform):
    id_card = make_id_card(region="320102", birth="19930405", seq="066")
    first, _ = login_person(platform.url, "e2e-owner")
    verify_person(first, "赵六", id_card)
    second, _ = login_person(platform.url, "e2e-claimer")
    response = second.post("/api/v1/mp/realname", {"name": "赵六", "id_card_no": id_card})
    assert response.status_code == 409 and response.json()["error"] == "IDCARD_BOUND"


def test_an_invalid_wechat_code_is_401(platform):
    response = requests.post(f"{platform.url}/api/v1/mp/auth/login", json={"code": "stolen"}, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"] == "WECHAT_CODE_INVALID"


def test_a_person_token_cannot_be_forged(platform):
    api = Api(platform.url, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.x")
    assert api.get("/api/v1/mp/me").status_code == 401
