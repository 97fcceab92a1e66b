"""Personnel certificates at the gateway: what each kind requires, refused before any RPC with field
paths in Chinese; the enterprise and the person come from the token; the documented fields go out."""
import datetime

import pytest

from xjkit.errors import DomainError


USCC = "9151010029141777XB"  # the enterprise_token fixture's subject
PERSON_ID = "person-1"  # the person_token fixture's subject
REQUIRED = "此字段为必填项"
DATE_FORMAT = "日期格式应为YYYY-MM-DD"

CERTIFICATE_FIELDS = {"id", "kind", "enterprise_uscc", "person_id", "person_name", "id_card_masked", "cert_no",
                      "type", "specialties", "level", "issuer", "issued_on", "valid_until", "status", "filed",
                      "source", "synced_at", "file_id"}




def bearer(token, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


def certificate(**overrides):
    """A certificate as cert-svc's certificate_view returns it."""
    return {"id": "c1", "kind": "tech_worker", "enterprise_uscc": USCC, "person_id": "p1", "person_name": "张三",
            "id_card_masked": "510104********1234", "cert_no": "JN-001", "type": "钢筋工", "specialties": [],
            "level": "高级工", "issuer": "四川省职业技能鉴定指导中心", "issued_on": "2023-05-01", "valid_until": None,
            "status": "valid", "filed": False, "source": "enterprise", "synced_at": None, "file_id": None,
            **overrides}


def echo_certificate(enterprise_uscc=USCC, person_id="p1", kind="tech_worker", fields=None, **_):
    return certificate(enterprise_uscc=enterprise_uscc, person_id=person_id, kind=kind,
                       **{k: v for k, v in (fields or {}).items() if k in CERTIFICATE_FIELDS})


ENTRIES = {
    "tech_worker": {"person_id": "p1", "kind": "tech_worker", "type": "钢筋工", "level": "高级工",
                    "cert_no": "JN-001", "issuer": "四川省职业技能鉴定指导中心", "issued_on": "2023-05-01"},
    "special_operation": {"person_id": "p1", "kind": "special_operation", "type": "电工作业", "cert_no": "T510",
                          "issuer": "四川省应急管理厅", "issued_on": "2022-03-01", "valid_until": "2028-03-01"},
    "post": {"person_id": "p1", "kind": "post", "type": "施工员", "cert_no": "GW-7", "issuer": "四川省住房和城乡建设厅"},
    "safety": {"person_id": "p1", "kind": "safety", "level": "B", "cert_no": "川建安B(2021)0001",
               "issuer": "四川省住房和城乡建设厅", "issued_on": "2021-06-01", "valid_until": "2027-06-01"},
}


def add(client, token, body, key=None):
    return client.post("/api/v1/ent/certificates", json=body, headers=bearer(token, key))


def refused(response, services):
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "VALIDATION_FAILED"
    assert services.calls == []
    return body["errors"]


# --- entries by the enterprise: what each kind requires ------------------------------------------

@pytest.mark.parametrize("kind, required", [
    ("tech_worker", {"type", "level", "cert_no", "issuer"}),
    ("special_operation", {"type", "valid_until", "cert_no", "issuer"}),
    ("post", {"type", "cert_no", "issuer"}),
    ("safety", {"level", "valid_until", "cert_no", "issuer"}),
])
def test_each_kind_names_every_field_it_requires_in_chinese(client, services, enterprise_token, kind, required):
    errors = refused(add(client, enterprise_token, {"person_id": "p1", "kind": kind}), services)
    assert errors == {name: [REQUIRED] for name in required}


def test_person_id_and_kind_are_required(client, services, enterprise_token):
    errors = refused(add(client, enterprise_token, {"cert_no": "X", "issuer": "Y"}), services)
    assert errors == {"person_id": [REQUIRED], "kind": [REQUIRED]}


@pytest.mark.parametrize("kind, name", [
    ("tech_worker", "type"), ("tech_worker", "level"), ("special_operation", "valid_until"),
    ("post", "type"), ("safety", "level"), ("safety", "valid_until"), ("safety", "cert_no"), ("post", "issuer"),
])
def test_a_required_field_that_is_null_is_missing(client, services, enterprise_token, kind, name):
    errors = refused(add(client, enterprise_token, {**ENTRIES[kind], name: None}), services)
    assert errors == {name: [REQUIRED if name not in ("cert_no", "issuer") else "此字段不能为空"]}


@pytest.mark.parametrize("name", ["cert_no", "issuer", "type"])
def test_blank_text_counts_as_missing(client, services, enterprise_token, name):
    errors = refused(add(client, enterprise_token, {**ENTRIES["tech_worker"], name: "   "}), services)
    assert errors == {name: [REQUIRED]}


@pytest.mark.parametrize("name, limit", [("cert_no", 50), ("issuer", 100), ("type", 50)])
def test_text_longer_than_its_limit_is_refused(client, services, enterprise_token, name, limit):
    errors = refused(add(client, enterprise_token, {**ENTRIES["special_operation"], name: "长" * (limit + 1)}),
                     services)
    assert errors == {name: [f"长度应为1到{limit}个字符"]}


def test_a_tech_worker_level_outside_the_five_levels_is_refused(client, services, enterprise_token):
    errors = refused(add(client, enterprise_token, {**ENTRIES["tech_worker"], "level": "高级"}), services)
    assert errors == {"level": ["取值应为：初级工、中级工、高级工、技师、高级技师"]}


def test_a_post_outside_the_eight_posts_is_refused(client, services, enterprise_token):
    errors = refused(add(client, enterprise_token, {**ENTRIES["post"], "type": "项目经理"}), services)
    assert errors == {"type": ["取值应为：施工员、质量员、安全员、标准员、材料员、机械员、劳务员、资料员"]}


def test_a_safety_category_outside_a_b_c_is_refused(client, services, enterprise_token):
    errors = refused(add(client, enterprise_token, {**ENTRIES["safety"], "level": "D"}), services)
    assert errors == {"level": ["取值应为：A、B、C"]}


@pytest.mark.parametrize("value", ["安全生产考核合格证书（B类）", None])
def test_a_safety_certificate_with_a_type_is_refused(client, services, enterprise_token, value):
    errors = refused(add(client, enterprise_token, {**ENTRIES["safety"], "type": value}), services)
    assert errors == {"type": ["安管人员证书的类型由类别（A/B/C）决定，不需提交"]}


@pytest.mark.parametrize("kind", ["special_operation", "post"])
def test_kinds_without_levels_refuse_a_level(client, services, enterprise_token, kind):
    errors = refused(add(client, enterprise_token, {**ENTRIES[kind], "level": "高级工"}), services)
    assert errors == {"level": ["此类证书没有等级"]}


@pytest.mark.parametrize("kind, words", [("registered", "同步"), ("title", "本人在小程序登记")])
def test_registered_and_title_certificates_cannot_be_entered_by_the_enterprise(
        client, services, enterprise_token, kind, words):
    errors = refused(add(client, enterprise_token, {"person_id": "p1", "kind": kind, "cert_no": "X", "issuer": "Y"}),
                     services)
    assert list(errors) == ["kind"] and words in errors["kind"][0]


def test_an_unknown_kind_lists_the_four_kinds_that_can_be_entered(client, services, enterprise_token):
    errors = refused(add(client, enterprise_token, {**ENTRIES["post"], "kind": "diploma"}), services)
    assert errors == {"kind": ["取值应为：tech_worker（技术工人）、special_operation（特种作业）、"
                               "post（岗位/现场管理人员）、safety（安管人员）"]}


@pytest.mark.parametrize("name, value", [("status", "valid"), ("filed", True), ("enterprise_uscc", "91510100MA6CXXXX"),
                                         ("source", "national"), ("specialties", ["建筑"])])
def test_unknown_fields_are_refused_so_nobody_sets_them_themselves(client, services, enterprise_token, name, value):
    errors = refused(add(client, enterprise_token, {**ENTRIES["post"], name: value}), services)
    assert errors == {name: ["不允许提交此字段"]}


@pytest.mark.parametrize("value", ["2024/01/05", "20240105", "2024-W01-1", "2024-02-30", "2024-1-5", 20240105])
@pytest.mark.parametrize("name", ["issued_on", "valid_until"])
def test_dates_must_be_yyyy_mm_dd(client, services, enterprise_token, name, value):
    errors = refused(add(client, enterprise_token, {**ENTRIES["special_operation"], name: value}), services)
    assert errors == {name: [DATE_FORMAT]}


@pytest.mark.parametrize("valid_until", ["2022-03-01", "2021-12-31"])
def test_valid_until_must_be_after_issued_on(client, services, enterprise_token, valid_until):
    errors = refused(add(client, enterprise_token, {**ENTRIES["special_operation"], "valid_until": valid_until}),
                     services)
    assert errors == {"valid_until": ["有效期截止日期应晚于发证日期"]}


def test_every_problem_of_an_entry_is_reported_at_once(client, services, enterprise_token):
    body = {"person_id": "p1", "kind": "safety", "type": "x", "level": "D", "cert_no": 5, "issuer": "Y",
            "valid_until": "2027/06/01", "status": "valid"}
    errors = refused(add(client, enterprise_token, body), services)
    assert errors == {"type": ["安管人员证书的类型由类别（A/B/C）决定，不需提交"], "level": ["取值应为：A、B、C"],
                      "cert_no": ["应为字符串"], "valid_until": [DATE_FORMAT], "status": ["不允许提交此字段"]}


# --- entries by the enterprise: what reaches cert-svc ---------------------------------------------

@pytest.mark.parametrize("kind, fields", [
    ("tech_worker", {"type": "钢筋工", "level": "高级工", "cert_no": "JN-001", "issuer": "四川省职业技能鉴定指导中心",
                     "issued_on": "2023-05-01"}),
    ("special_operation", {"type": "电工作业", "cert_no": "T510", "issuer": "四川省应急管理厅",
                           "issued_on": "2022-03-01", "valid_until": "2028-03-01"}),
    ("post", {"type": "施工员", "cert_no": "GW-7", "issuer": "四川省住房和城乡建设厅"}),
    ("safety", {"level": "B", "cert_no": "川建安B(2021)0001", "issuer": "四川省住房和城乡建设厅",
                "issued_on": "2021-06-01", "valid_until": "2027-06-01"}),
])
def test_a_valid_entry_passes_the_kinds_fields_and_the_enterprise_from_the_token(
        client, services, enterprise_token, kind, fields):
    services.answers[("cert", "add_certificate")] = echo_certificate
    response = add(client, enterprise_token, ENTRIES[kind])
    assert response.status_code == 201
    [(service, method, kwargs)] = services.calls
    assert (service, method) == ("cert", "add_certificate")
    assert {k: v for k, v in kwargs.items() if k != "request_fingerprint"} == {
        "enterprise_uscc": USCC, "person_id": "p1", "kind": kind, "fields": fields, "idempotency_key": None}
    assert response.get_json()["enterprise_uscc"] == USCC


def test_text_is_trimmed_and_null_optional_fields_are_left_out(client, services, enterprise_token):
    services.answers[("cert", "add_certificate")] = echo_certificate
    body = {**ENTRIES["post"], "cert_no": "  GW-7 ", "issued_on": None, "valid_until": None, "level": None}
    assert add(client, enterprise_token, body).status_code == 201
    assert services.calls[0][2]["fields"] == {"type": "施工员", "cert_no": "GW-7", "issuer": "四川省住房和城乡建设厅"}


def test_an_entry_passes_the_idempotency_key_and_a_fingerprint_of_the_entry(client, services, enterprise_token):
    services.answers[("cert", "add_certificate")] = echo_certificate
    add(client, enterprise_token, ENTRIES["post"], key="entry-1")
    add(client, enterprise_token, {**ENTRIES["post"], "type": "质量员"}, key="entry-1")
    add(client, enterprise_token, ENTRIES["post"], key="entry-1")
    first, second, third = (call[2] for call in services.calls)
    assert first["idempotency_key"] == second["idempotency_key"] == "entry-1"
    assert first["request_fingerprint"] != second["request_fingerprint"]
    assert first["request_fingerprint"] == third["request_fingerprint"]


def test_a_refusal_from_cert_svc_becomes_the_api_body(client, services, enterprise_token):
    services.answers[("cert", "add_certificate")] = DomainError(
        "PERSON_NOT_EMPLOYED", "该人员不是本企业在职人员", 409)
    response = add(client, enterprise_token, ENTRIES["post"])
    assert response.status_code == 409
    assert response.get_json() == {"code": 409, "error": "PERSON_NOT_EMPLOYED", "message": "该人员不是本企业在职人员"}


# --- sync, list, confirm, revoke -------------------------------------------------------------------

def test_sync_is_an_action_answering_200_with_what_was_added_updated_refused_and_missing(
        client, services, enterprise_token):
    synced_at = datetime.datetime(2026, 3, 2, 1, 0, 5, 123000, tzinfo=datetime.timezone.utc)
    services.answers[("cert", "sync_registered")] = {
        "added": [certificate(kind="registered", source="national", synced_at=synced_at, details={"x": 1})],
        "updated": [], "unchanged": 2,
        "refused": [{"cert_no": "川151", "person_id": "p2", "person_name": "李四", "type": "一级注册建造师",
                     "reason": "注册单位不是本企业"}],
        "missing": [{"cert_no": "川152", "person_id": "p3"}], "synced_at": synced_at}
    response = client.post("/api/v1/ent/certificates/sync", headers=bearer(enterprise_token, "sync-1"))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"added", "updated", "unchanged", "refused", "missing", "synced_at"}
    assert body["synced_at"] == "2026-03-02T09:00:05+08:00"
    assert set(body["added"][0]) == CERTIFICATE_FIELDS
    assert body["refused"][0]["reason"] == "注册单位不是本企业" and body["unchanged"] == 2
    assert body["missing"] == [{"cert_no": "川152", "person_id": "p3"}]
    [(_, method, kwargs)] = services.calls
    assert method == "sync_registered"
    assert kwargs["enterprise_uscc"] == USCC and kwargs["idempotency_key"] == "sync-1"
    assert set(kwargs) == {"enterprise_uscc", "idempotency_key", "request_fingerprint"}


def test_the_list_passes_the_enterprise_from_the_token_and_the_filters(list_page, enterprise_token):
    kwargs, item_fields = list_page("/api/v1/ent/certificates?kind=title&person_id=p1&page=2&per_page=5",
                                    enterprise_token, ("cert", "list_certificates"), certificate(), page=2, per_page=5)
    assert kwargs == {"enterprise_uscc": USCC, "kind": "title", "person_id": "p1", "page": 2, "per_page": 5}
    assert item_fields == CERTIFICATE_FIELDS


def test_the_list_without_filters_passes_none_and_the_default_page(client, services, enterprise_token):
    services.answers[("cert", "list_certificates")] = {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert client.get("/api/v1/ent/certificates", headers=bearer(enterprise_token)).status_code == 200
    assert services.calls[0][2] == {"enterprise_uscc": USCC, "kind": None, "person_id": None, "page": 1,
                                    "per_page": 20}


@pytest.mark.parametrize("query, field", [
    ("kind=diploma", "kind"), ("per_page=101", "per_page"), ("page=0", "page"), ("per_page=x", "per_page"),
])
def test_the_list_query_is_validated(client, services, enterprise_token, query, field):
    response = client.get(f"/api/v1/ent/certificates?{query}", headers=bearer(enterprise_token))
    assert list(refused(response, services)) == [field]


@pytest.mark.parametrize("kind", ["registered", "title", "tech_worker", "special_operation", "post", "safety"])
def test_the_list_accepts_each_of_the_six_kinds(client, services, enterprise_token, kind):
    services.answers[("cert", "list_certificates")] = {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert client.get(f"/api/v1/ent/certificates?kind={kind}", headers=bearer(enterprise_token)).status_code == 200


@pytest.mark.parametrize("action, method", [("confirm", "confirm_title"), ("revoke", "revoke_title")])
def test_confirm_and_revoke_are_actions_answering_200_for_the_enterprise_of_the_token(
        client, services, enterprise_token, action, method):
    status = {"confirm": "confirmed", "revoke": "revoked"}[action]
    services.answers[("cert", method)] = certificate(id="t1", kind="title", status=status, source="person")
    response = client.post(f"/api/v1/ent/certificates/t1/{action}", headers=bearer(enterprise_token, f"{action}-1"))
    assert response.status_code == 200
    assert response.get_json()["status"] == status
    [(service, called, kwargs)] = services.calls
    assert (service, called) == ("cert", method)
    assert {k: kwargs[k] for k in ("enterprise_uscc", "certificate_id", "idempotency_key")} == {
        "enterprise_uscc": USCC, "certificate_id": "t1", "idempotency_key": f"{action}-1"}


def test_revoking_a_filed_title_is_the_services_409(client, services, enterprise_token):
    services.answers[("cert", "revoke_title")] = DomainError(
        "CERTIFICATE_FILED", "该证书已报送，请先通过“人员证书信息变更”撤销其报送", 409)
    response = client.post("/api/v1/ent/certificates/t1/revoke", headers=bearer(enterprise_token))
    assert response.status_code == 409 and response.get_json()["error"] == "CERTIFICATE_FILED"


# --- titles by the person ---------------------------------------------------------------------------

TITLE = {"name": "工程师", "level": "中级", "specialty": "建筑工程", "cert_no": "ZC-2020-001",
         "issued_on": "2020-12-01", "issuer": "四川省人力资源和社会保障厅"}


def test_a_title_requires_all_but_the_file(client, services, person_token):
    errors = refused(client.post("/api/v1/mp/certificates/titles", json={}, headers=bearer(person_token)), services)
    assert errors == {name: [REQUIRED] for name in ("name", "level", "specialty", "cert_no", "issued_on", "issuer")}


@pytest.mark.parametrize("name, value, message", [
    ("level", "高级", "取值应为：初级、中级、副高级、正高级"),
    ("issued_on", "2020-12", DATE_FORMAT),
    ("issued_on", "20201201", DATE_FORMAT),
    ("name", "   ", REQUIRED),
    ("cert_no", "号" * 51, "长度应为1到50个字符"),
    ("status", "confirmed", "不允许提交此字段"),
    ("specialties", ["建筑工程"], "不允许提交此字段"),
])
def test_a_title_field_that_is_wrong_is_refused(client, services, person_token, name, value, message):
    response = client.post("/api/v1/mp/certificates/titles", json={**TITLE, name: value}, headers=bearer(person_token))
    assert refused(response, services) == {name: [message]}


def test_a_title_is_registered_for_the_person_of_the_token_with_the_validated_fields(
        client, services, person_token):
    services.answers[("cert", "register_title")] = certificate(kind="title", status="pending_confirmation",
                                                               source="person", file_id="f" * 32)
    response = client.post("/api/v1/mp/certificates/titles", json={**TITLE, "file_id": "f" * 32},
                           headers=bearer(person_token, "title-1"))
    assert response.status_code == 201
    assert set(response.get_json()) == CERTIFICATE_FIELDS
    [(service, method, kwargs)] = services.calls
    assert (service, method) == ("cert", "register_title")
    assert kwargs["person_id"] == PERSON_ID and kwargs["idempotency_key"] == "title-1"
    assert kwargs["fields"] == {**TITLE, "file_id": "f" * 32}
    assert set(kwargs) == {"person_id", "fields", "idempotency_key", "request_fingerprint"}


def test_a_title_without_a_file_passes_no_file_id(client, services, person_token):
    services.answers[("cert", "register_title")] = certificate(kind="title")
    client.post("/api/v1/mp/certificates/titles", json={**TITLE, "file_id": None}, headers=bearer(person_token))
    assert services.calls[0][2]["fields"] == TITLE


def test_a_revoked_title_is_reregistered_with_put_answering_200(client, services, person_token):
    services.answers[("cert", "reregister_title")] = certificate(id="t1", kind="title", status="pending_confirmation")
    response = client.put("/api/v1/mp/certificates/titles/t1", json={**TITLE, "level": "副高级"},
                          headers=bearer(person_token, "fix-1"))
    assert response.status_code == 200
    [(_, method, kwargs)] = services.calls
    assert method == "reregister_title"
    assert {k: kwargs[k] for k in ("person_id", "certificate_id", "fields", "idempotency_key")} == {
        "person_id": PERSON_ID, "certificate_id": "t1", "fields": {**TITLE, "level": "副高级"},
        "idempotency_key": "fix-1"}


def test_a_reregistration_is_validated_like_a_registration(client, services, person_token):
    response = client.put("/api/v1/mp/certificates/titles/t1", json={**TITLE, "person_id": "p9"},
                          headers=bearer(person_token))
    assert refused(response, services) == {"person_id": ["不允许提交此字段"]}


def test_the_persons_certificates_are_read_for_the_token_subject_only(client, services, person_token):
    services.answers[("cert", "list_for_person")] = {"items": [certificate(details={"seal_no": "x"}, version=3)]}
    response = client.get("/api/v1/mp/certificates", headers=bearer(person_token))
    assert response.status_code == 200
    assert services.calls == [("cert", "list_for_person", {"person_id": PERSON_ID})]
    [item] = response.get_json()["items"]
    assert set(item) == CERTIFICATE_FIELDS


# --- roles -------------------------------------------------------------------------------------------

ENTERPRISE_ENDPOINTS = [("post", "/api/v1/ent/certificates/sync", None),
                        ("post", "/api/v1/ent/certificates", ENTRIES["post"]),
                        ("get", "/api/v1/ent/certificates", None),
                        ("post", "/api/v1/ent/certificates/t1/confirm", None),
                        ("post", "/api/v1/ent/certificates/t1/revoke", None)]
PERSON_ENDPOINTS = [("get", "/api/v1/mp/certificates", None), ("post", "/api/v1/mp/certificates/titles", TITLE),
                    ("put", "/api/v1/mp/certificates/titles/t1", TITLE)]


@pytest.mark.parametrize("verb, path, body", ENTERPRISE_ENDPOINTS)
def test_a_person_token_on_the_enterprise_endpoints_is_403_without_a_service_call(
        refused, person_token, verb, path, body):
    refused(verb, path, body, person_token, status=403, error="WRONG_ROLE")


@pytest.mark.parametrize("verb, path, body", PERSON_ENDPOINTS)
def test_an_enterprise_token_on_the_person_endpoints_is_403_without_a_service_call(
        refused, enterprise_token, verb, path, body):
    refused(verb, path, body, enterprise_token, status=403, error="WRONG_ROLE")


@pytest.mark.parametrize("verb, path, body", ENTERPRISE_ENDPOINTS + PERSON_ENDPOINTS)
def test_no_token_is_401(refused, verb, path, body):
    refused(verb, path, body)


# --- documentation -------------------------------------------------------------------------------

def test_openapi_documents_the_certificate_paths_and_the_certificate_shape(client):
    spec = client.get("/openapi.json").get_json()
    for path, verbs in {"/api/v1/ent/certificates/sync": {"post"}, "/api/v1/ent/certificates": {"get", "post"},
                        "/api/v1/ent/certificates/{certificate_id}/confirm": {"post"},
                        "/api/v1/ent/certificates/{certificate_id}/revoke": {"post"},
                        "/api/v1/mp/certificates": {"get"}, "/api/v1/mp/certificates/titles": {"post"},
                        "/api/v1/mp/certificates/titles/{certificate_id}": {"put"}}.items():
        assert verbs <= set(spec["paths"][path])
    assert "201" in spec["paths"]["/api/v1/ent/certificates"]["post"]["responses"]
    assert "200" in spec["paths"]["/api/v1/ent/certificates/sync"]["post"]["responses"]
    assert "200" in spec["paths"]["/api/v1/mp/certificates/titles/{certificate_id}"]["put"]["responses"]
    schema = spec["components"]["schemas"]["Certificate"]
    assert set(schema["properties"]) == CERTIFICATE_FIELDS
    assert schema["properties"]["valid_until"]["format"] == "date"
