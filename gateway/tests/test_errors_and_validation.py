"""The gateway refuses bad input with the API.md error body and calls no service."""
import pytest

from xjkit.errors import DomainError
from xjkit.testdata import make_id_card

from xjkit.errors import ServiceUnavailable

ID_CARD = make_id_card()
WRONG_CHECK = ID_CARD[:-1] + ("1" if ID_CARD[-1] != "1" else "2")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_an_invalid_id_number_is_422_with_the_field_path_and_no_service_call(client, services, person_token):
    response = client.post("/api/v1/mp/realname", json={"name": "张三", "id_card_no": WRONG_CHECK},
                           headers=bearer(person_token))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["error"] == "VALIDATION_FAILED"
    assert body["message"] == "提交的数据有误"
    assert body["errors"] == {"id_card_no": ["身份证号码校验位错误"]}
    assert services.calls == []


def test_an_unknown_body_field_is_refused_with_422(client, services, person_token):
    response = client.post("/api/v1/mp/realname",
                           json={"name": "张三", "id_card_no": ID_CARD, "realname_status": "verified"},
                           headers=bearer(person_token))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"realname_status": ["不允许提交此字段"]}
    assert services.calls == []


def test_a_missing_required_field_is_named_in_chinese(client, services, person_token):
    response = client.post("/api/v1/mp/realname", json={"name": "张三"}, headers=bearer(person_token))
    assert response.get_json()["errors"] == {"id_card_no": ["此字段为必填项"]}


def test_a_wrong_type_is_refused_in_chinese(client, person_token):
    response = client.post("/api/v1/mp/realname", json={"name": 5, "id_card_no": ID_CARD},
                           headers=bearer(person_token))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"name": ["应为字符串"]}


def test_a_body_that_is_not_json_is_400(client, services, person_token):
    response = client.post("/api/v1/mp/realname", data="{not json", content_type="application/json",
                           headers=bearer(person_token))
    assert response.status_code == 400
    assert response.get_json()["error"] == "MALFORMED_REQUEST"
    assert services.calls == []


def test_a_json_array_body_is_refused(client, person_token):
    response = client.post("/api/v1/mp/realname", json=["x"], headers=bearer(person_token))
    assert response.status_code == 422


def test_no_token_is_401(client, services):
    response = client.get("/api/v1/mp/me")
    assert response.status_code == 401
    assert response.get_json()["error"] == "TOKEN_MISSING"
    assert services.calls == []


def test_a_forged_token_is_401(client, person_token):
    forged = person_token[:-4] + ("AAAA" if not person_token.endswith("AAAA") else "BBBB")
    response = client.get("/api/v1/mp/me", headers=bearer(forged))
    assert response.status_code == 401
    assert response.get_json()["error"] == "TOKEN_INVALID"


def test_an_expired_token_is_401(app, client, services):
    import datetime
    from gateway.auth import PERSON, issue_token
    session = services.start_session(PERSON, "person-1")
    with app.app_context():
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=3)
        token, _ = issue_token(PERSON, "person-1", {**session, "expires_at": past + datetime.timedelta(hours=2)},
                               now=past)
    assert client.get("/api/v1/mp/me", headers=bearer(token)).status_code == 401


def test_an_enterprise_token_on_a_person_endpoint_is_403(client, services, enterprise_token):
    response = client.get("/api/v1/mp/me", headers=bearer(enterprise_token))
    assert response.status_code == 403
    assert response.get_json()["error"] == "WRONG_ROLE"
    assert services.calls == []


def test_a_domain_error_from_a_service_becomes_the_error_body(client, services, person_token):
    services.answers[("identity", "complete_realname")] = DomainError(
        "FACE_NOT_PASSED", "人脸核身未通过，请重新进行人脸识别", 422, {"verify_id": ["人脸核身结果：90002"]})
    response = client.post("/api/v1/mp/realname/complete", json={"verify_id": "v1"}, headers=bearer(person_token))
    assert response.status_code == 422
    assert response.get_json() == {"code": 422, "error": "FACE_NOT_PASSED",
                                   "message": "人脸核身未通过，请重新进行人脸识别",
                                   "errors": {"verify_id": ["人脸核身结果：90002"]}}


def test_a_service_that_is_down_is_503(client, services, person_token):
    services.answers[("identity", "get_person")] = ServiceUnavailable(errors={"service": ["identity"]})
    response = client.get("/api/v1/mp/me", headers=bearer(person_token))
    assert response.status_code == 503
    assert response.get_json()["error"] == "SERVICE_UNAVAILABLE"


def test_the_person_is_read_for_the_token_subject_only(client, services, person_token):
    services.answers[("identity", "get_person")] = lambda person_id: {
        "person_id": person_id, "name": None, "id_card_masked": None, "realname_status": "unverified",
        "phone_masked": None}
    response = client.get("/api/v1/mp/me", headers=bearer(person_token))
    assert response.status_code == 200
    assert services.calls == [("identity", "get_person", {"person_id": "person-1"}),
                              ("employment", "current_employment", {"person_id": "person-1"})]
    assert response.get_json()["employment"] is None


def test_an_unknown_path_is_404_in_the_api_body(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "error": "NOT_FOUND", "message": "请求的资源不存在"}


def test_readyz_is_503_naming_the_service_that_is_down(client, services):
    for name in ("identity", "employment", "cert", "filing"):
        services.answers[(name, "ping")] = {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["services"] == {"identity": "ok", "employment": "ok", "cert": "ok",
                                               "filing": "ok", "publicity": "down"}


def test_readyz_is_200_when_every_service_answers(client, services):
    for name in ("identity", "employment", "cert", "filing", "publicity"):
        services.answers[(name, "ping")] = {"status": "ok"}
    assert client.get("/readyz").status_code == 200


def test_openapi_document_lists_the_contract_paths(client):
    spec = client.get("/openapi.json").get_json()
    for path in ("/api/v1/mp/auth/login", "/api/v1/mp/me", "/api/v1/mp/realname", "/api/v1/mp/realname/complete"):
        assert path in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_swagger_ui_is_served_without_a_cdn(client):
    page = client.get("/docs").get_data(as_text=True)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in page
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_metrics_count_requests(client):
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'xj_http_requests_total{endpoint="/healthz",method="GET",status="200"}' in text


def test_instants_are_shown_in_shanghai_time_with_offset(client, services, enterprise_token):
    import datetime
    services.answers[("identity", "get_enterprise")] = {
        "uscc": "9151010029141777XB", "name": "甲", "certificates": [],
        "last_login_at": datetime.datetime(2026, 11, 25, 6, 33, 38, 927000, tzinfo=datetime.timezone.utc)}
    services.answers[("filing", "registrations")] = []
    response = client.get("/api/v1/ent/me", headers=bearer(enterprise_token))
    assert response.get_json()["last_login_at"] == "2026-11-25T14:33:38+08:00"


def test_readyz_of_one_service_uses_the_pooled_rpc(client, services):
    services.answers[("cert", "ping")] = {"status": "ok"}
    assert client.get("/readyz/cert").status_code == 200
    assert services.calls == [("cert", "ping", {})]
    services.answers[("filing", "ping")] = ServiceUnavailable()
    assert client.get("/readyz/filing").get_json() == {"service": "filing", "status": "down"}
    assert client.get("/readyz/nothing").status_code == 404


@pytest.mark.parametrize("value", ["20261201", "2026-W49-2", "2026-12-1", "2026/12/01"])
def test_dates_must_be_exactly_yyyy_mm_dd(client, services, enterprise_token, value):
    response = client.post("/api/v1/ent/employments", headers=bearer(enterprise_token), json={
        "id_card_no": ID_CARD, "contract_start": value, "contract_end": "2027-11-30", "contract_file_id": "f"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"contract_start": ["日期格式应为YYYY-MM-DD"]}
    assert services.calls == []
