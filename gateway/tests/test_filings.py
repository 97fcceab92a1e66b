"""Filings at the gateway: every business's data is checked for shape before any RPC (422 with
``data.<path>`` in Chinese, no case made); the enterprise comes from the token; a rejected case
is still a created case (201); registrations never show the contact phone whole; the booklet is a
PDF attachment that is never cached or sniffed."""
import base64
import datetime
from urllib.parse import unquote

import pytest

from xjkit.errors import DomainError

from gateway.schemas.filings import registration_summary

USCC = "9151010029141777XB"  # the enterprise_token fixture's subject
NAME = "四川某某建设集团有限公司"
REQUIRED = "此字段为必填项"
NOT_NULL = "此字段不能为空"
UNKNOWN = "不允许提交此字段"
DATE_FORMAT = "日期格式应为YYYY-MM-DD"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
CASE_FIELDS = {"id", "business", "enterprise_type", "status", "reasons", "submitted_at", "reviewed_at", "changes",
               "data"}
BUSINESS_CHOICES = ("取值应为：first_filing（首次信息报送）、personnel_filing（人员证书信息报送）、"
                    "basic_change（基本信息变更）、manager_change（进疆负责人变更）、"
                    "tech_manager_change（进疆技术负责人变更）、qualification_change（资质信息变更）、"
                    "personnel_change（人员证书信息变更）、extension（进疆信息公示延期）、"
                    "cost_project（造价企业进疆承揽业务备案）")
TYPE_CHOICES = ("取值应为：construction（施工）、supervision（监理）、survey（勘察）、design（设计）、"
                "quality_testing（工程质量检测）、bidding_agency（招标代理）、cost_consulting（造价咨询）")


@pytest.fixture
def named_token(app, services):
    """An enterprise token carrying the enterprise's name, as CA login issues it."""
    from gateway.auth import ENTERPRISE, issue_token
    with app.app_context():
        token, _ = issue_token(ENTERPRISE, USCC, services.start_session(ENTERPRISE, USCC), extra={"name": NAME})
    return token


def bearer(token, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


BASIC = {"name": NAME, "legal_representative": "王五", "registered_address": "四川省成都市武侯区某某路1号",
         "registered_capital_wan": 5000, "established_on": "2005-06-01", "contact_name": "赵六",
         "contact_phone": "13800138000", "xj_office_address": "新疆乌鲁木齐市天山区某某路2号"}
FIRST_FILING = {"basic": BASIC, "manager_person_id": "p-manager", "tech_manager_person_id": "p-tech",
                "attachments": ["f" * 32], "sync_qualifications": True}
COST_PROJECT = {"project_name": "乌鲁木齐某某住宅小区全过程造价咨询", "location_code": "650102", "client_name": "新疆某某置业有限公司",
                "contract_amount_fen": 12_500_000, "contract_signed_on": "2026-01-10", "service_start": "2026-02-01",
                "service_end": "2027-01-31", "lead_person_id": "p-engineer", "attachments": ["a" * 32, "b" * 32]}
VALID_DATA = {
    "first_filing": FIRST_FILING,
    "personnel_filing": {"certificate_ids": ["c1", "c2"]},
    "basic_change": {"basic": {"contact_phone": "13900139000"}},
    "manager_change": {"manager_person_id": "p-new"},
    "tech_manager_change": {"tech_manager_person_id": "p-new"},
    "qualification_change": {},
    "personnel_change": {"add": ["c3"], "remove": ["c1"]},
    "extension": {},
    "cost_project": COST_PROJECT,
}


def submit(client, token, business, data, enterprise_type="construction", key=None, **extra):
    body = {"business": business, "enterprise_type": enterprise_type, "data": data, **extra}
    return client.post("/api/v1/ent/filings", json=body, headers=bearer(token, key))


def refused(response, services):
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "VALIDATION_FAILED" and body["message"] == "提交的数据有误"
    assert services.calls == []
    return body["errors"]


def case(**overrides):
    """A case as filing-svc's case_view returns it (instants as datetimes, as kombu hands them over)."""
    at = datetime.datetime(2026, 3, 2, 1, 0, 5, 250000, tzinfo=datetime.timezone.utc)
    return {"id": "case-1", "business": "first_filing", "enterprise_type": "construction", "status": "approved",
            "reasons": [], "submitted_at": at, "reviewed_at": at, "changes": [], "data": {}, **overrides}


def echo_case(enterprise_uscc, enterprise_name, enterprise_type, business, data, submitted_by, idempotency_key,
              request_fingerprint):
    return case(business=business, enterprise_type=enterprise_type, data=data)


# --- the shape of each business's data: 422 with data.<path>, nothing reaches filing-svc -----------

@pytest.mark.parametrize("business, data, errors", [
    ("first_filing", {}, {"data.basic": [REQUIRED], "data.manager_person_id": [REQUIRED],
                          "data.tech_manager_person_id": [REQUIRED], "data.attachments": [REQUIRED],
                          "data.sync_qualifications": ["首次报送须同步全国平台资质（应为true）"]}),
    ("first_filing", {**FIRST_FILING, "basic": {}}, {
        f"data.basic.{name}": [REQUIRED] for name in ("name", "legal_representative", "registered_address",
                                                      "registered_capital_wan", "established_on", "contact_name",
                                                      "contact_phone")}),
    ("personnel_filing", {}, {"data.certificate_ids": [REQUIRED]}),
    ("basic_change", {}, {"data.basic": ["请提交要变更的基本信息"]}),
    ("manager_change", {}, {"data.manager_person_id": [REQUIRED]}),
    ("tech_manager_change", {"manager_person_id": "p1"}, {"data.manager_person_id": [UNKNOWN],
                                                          "data.tech_manager_person_id": [REQUIRED]}),
    ("personnel_change", {}, {"data.add": ["请提交要增加或移除的证书"]}),
    ("cost_project", {}, {f"data.{name}": [REQUIRED] for name in (
        "project_name", "location_code", "client_name", "contract_amount_fen", "contract_signed_on", "service_start",
        "service_end", "lead_person_id", "attachments")}),
])
def test_each_business_names_every_field_its_data_lacks_under_data(client, services, enterprise_token, business, data,
                                                                    errors):
    assert refused(submit(client, enterprise_token, business, data), services) == errors


def test_a_first_filing_without_data_names_every_field_it_lacks(client, services, enterprise_token):
    response = client.post("/api/v1/ent/filings", json={"business": "first_filing", "enterprise_type": "design"},
                           headers=bearer(enterprise_token))
    assert set(refused(response, services)) == {"data.basic", "data.manager_person_id", "data.tech_manager_person_id",
                                                 "data.attachments", "data.sync_qualifications"}


@pytest.mark.parametrize("name, value, message", [
    ("name", "名" * 101, "长度不能超过100个字符"),
    ("name", "   ", REQUIRED),
    ("legal_representative", "名" * 31, "长度不能超过30个字符"),
    ("registered_address", "址" * 201, "长度不能超过200个字符"),
    ("contact_name", "名" * 31, "长度不能超过30个字符"),
    ("xj_office_address", "址" * 201, "长度不能超过200个字符"),
    ("registered_capital_wan", 0, "注册资本（万元）应为大于0的数字"),
    ("registered_capital_wan", -100, "注册资本（万元）应为大于0的数字"),
    ("registered_capital_wan", "5000", "注册资本（万元）应为大于0的数字"),
    ("registered_capital_wan", True, "注册资本（万元）应为大于0的数字"),
    ("established_on", "2005/06/01", DATE_FORMAT),
    ("established_on", "20050601", DATE_FORMAT),
    ("established_on", "2005-02-30", DATE_FORMAT),
    ("contact_phone", "12345678901", "手机号码格式不正确"),
    ("contact_phone", "1380013800", "手机号码格式不正确"),
    ("contact_phone", "028-85551234", "手机号码格式不正确"),
    ("contact_phone", None, NOT_NULL),
    ("uscc", "91510100MA6CXXXX", UNKNOWN),
])
def test_a_wrong_basic_field_of_a_first_filing_is_named_by_its_data_path(
        client, services, enterprise_token, name, value, message):
    data = {**FIRST_FILING, "basic": {**BASIC, name: value}}
    assert refused(submit(client, enterprise_token, "first_filing", data), services) == {f"data.basic.{name}": [message]}


@pytest.mark.parametrize("value, errors", [
    ([], {"data.attachments": ["至少需要1项"]}),
    (["f1", "f2", "f1"], {"data.attachments": ["不能有重复项"]}),
    ([f"f{i}" for i in range(501)], {"data.attachments": ["一次最多500项"]}),
    (["f1", ""], {"data.attachments.1": ["长度应为1到64个字符"]}),
    (["f" * 65], {"data.attachments.0": ["长度应为1到64个字符"]}),
    ([7], {"data.attachments.0": ["应为字符串"]}),
    ("f1", {"data.attachments": ["应为数组"]}),
])
def test_attachments_are_one_to_500_distinct_file_ids(client, services, enterprise_token, value, errors):
    data = {**FIRST_FILING, "attachments": value}
    assert refused(submit(client, enterprise_token, "first_filing", data), services) == errors


@pytest.mark.parametrize("value", [False, "true", 1, None])
def test_a_first_filing_must_sync_the_national_qualifications(client, services, enterprise_token, value):
    data = {**FIRST_FILING, "sync_qualifications": value}
    assert refused(submit(client, enterprise_token, "first_filing", data), services) == {
        "data.sync_qualifications": ["首次报送须同步全国平台资质（应为true）"]}


@pytest.mark.parametrize("data, errors", [
    ({"basic": {}}, {"data.basic": ["请提交要变更的基本信息"]}),
    ({"basic": None}, {"data.basic": ["请提交要变更的基本信息"]}),
    ({"basic": "x"}, {"data.basic": ["应为JSON对象"]}),
    ({"basic": {"contact_phone": "1380013800"}}, {"data.basic.contact_phone": ["手机号码格式不正确"]}),
    ({"basic": {"name": "  "}}, {"data.basic.name": [REQUIRED]}),
    ({"basic": {"registered_capital_wan": 0}}, {"data.basic.registered_capital_wan": ["注册资本（万元）应为大于0的数字"]}),
    ({"basic": {"status": "valid"}}, {"data.basic.status": [UNKNOWN]}),
    ({"basic": {"contact_name": "钱七"}, "manager_person_id": "p1"}, {"data.manager_person_id": [UNKNOWN]}),
])
def test_a_basic_change_carries_at_least_one_well_formed_basic_field(client, services, enterprise_token, data, errors):
    assert refused(submit(client, enterprise_token, "basic_change", data), services) == errors


@pytest.mark.parametrize("business, data, errors", [
    ("personnel_filing", {"certificate_ids": []}, {"data.certificate_ids": ["至少需要1项"]}),
    ("personnel_filing", {"certificate_ids": ["c1", "c1"]}, {"data.certificate_ids": ["不能有重复项"]}),
    ("manager_change", {"manager_person_id": " "}, {"data.manager_person_id": [REQUIRED]}),
    ("manager_change", {"manager_person_id": "p" * 65}, {"data.manager_person_id": ["长度不能超过64个字符"]}),
    ("qualification_change", {"sync": True}, {"data.sync": [UNKNOWN]}),
    ("extension", {"valid_until": "2030-01-01"}, {"data.valid_until": [UNKNOWN]}),
    ("personnel_change", {"add": [], "remove": []}, {"data.add": ["请提交要增加或移除的证书"]}),
    ("personnel_change", {"add": ["c1", "c2"], "remove": ["c2"]}, {"data.remove": ["同一证书不能既增加又移除"]}),
    ("personnel_change", {"remove": ["c1", "c1"]}, {"data.remove": ["不能有重复项"]}),
])
def test_the_other_businesses_refuse_malformed_data(client, services, enterprise_token, business, data, errors):
    assert refused(submit(client, enterprise_token, business, data), services) == errors


@pytest.mark.parametrize("name, value, message", [
    ("location_code", "110101", "项目所在地应为新疆的6位行政区划代码（65或66开头）"),
    ("location_code", "65010", "项目所在地应为新疆的6位行政区划代码（65或66开头）"),
    ("location_code", "6501０2", "项目所在地应为新疆的6位行政区划代码（65或66开头）"),
    ("location_code", "6501022", "长度不能超过6个字符"),
    ("contract_amount_fen", 0, "合同金额应为大于0的整数（单位：分）"),
    ("contract_amount_fen", -1, "合同金额应为大于0的整数（单位：分）"),
    ("contract_amount_fen", 1.5, "合同金额应为大于0的整数（单位：分）"),
    ("contract_amount_fen", 100.0, "合同金额应为大于0的整数（单位：分）"),
    ("contract_amount_fen", "12500000", "合同金额应为大于0的整数（单位：分）"),
    ("contract_amount_fen", True, "合同金额应为大于0的整数（单位：分）"),
    ("contract_amount_fen", 2 ** 63, "数值过大"),
    ("project_name", "项" * 201, "长度不能超过200个字符"),
    ("client_name", "委" * 101, "长度不能超过100个字符"),
    ("contract_signed_on", "2026-1-10", DATE_FORMAT),
    ("service_end", "2026-02-01", "服务结束日期应晚于开始日期"),
    ("service_end", "2026-01-31", "服务结束日期应晚于开始日期"),
    ("attachments", [], "至少需要1项"),
    ("lead_person_name", "张三", UNKNOWN),
])
def test_a_cost_project_field_that_is_wrong_is_named_by_its_data_path(
        client, services, enterprise_token, name, value, message):
    data = {**COST_PROJECT, name: value}
    response = submit(client, enterprise_token, "cost_project", data, enterprise_type="cost_consulting")
    assert refused(response, services) == {f"data.{name}": [message]}


def test_a_cost_project_reaches_the_service_with_a_6x_location_of_the_corps(client, services, enterprise_token):
    services.answers[("filing", "submit")] = echo_case
    response = submit(client, enterprise_token, "cost_project", {**COST_PROJECT, "location_code": "660101"},
                      enterprise_type="cost_consulting")
    assert response.status_code == 201


def test_every_problem_of_a_submission_is_reported_at_once(client, services, enterprise_token):
    data = {**COST_PROJECT, "location_code": "110101", "contract_amount_fen": 0, "service_end": "2026-01-01",
            "attachments": ["a", "a"], "status": "approved"}
    errors = refused(submit(client, enterprise_token, "cost_project", data, enterprise_type="cost_consulting"),
                     services)
    assert set(errors) == {"data.location_code", "data.contract_amount_fen", "data.service_end", "data.attachments",
                           "data.status"}


# --- business, enterprise type, unknown fields ---------------------------------------------------

def test_an_unknown_business_is_refused_with_the_nine_businesses(client, services, enterprise_token):
    errors = refused(submit(client, enterprise_token, "annual_report", {}), services)
    assert errors == {"business": [BUSINESS_CHOICES]}


def test_an_unknown_enterprise_type_is_refused_with_the_seven_types(client, services, enterprise_token):
    errors = refused(submit(client, enterprise_token, "extension", {}, enterprise_type="labour"), services)
    assert errors == {"enterprise_type": [TYPE_CHOICES]}


def test_an_unknown_enterprise_type_does_not_hide_the_data_problems(client, services, enterprise_token):
    errors = refused(submit(client, enterprise_token, "manager_change", {}, enterprise_type="labour"), services)
    assert errors == {"enterprise_type": [TYPE_CHOICES], "data.manager_person_id": [REQUIRED]}


@pytest.mark.parametrize("body, errors", [
    ({}, {"business": [REQUIRED], "enterprise_type": [REQUIRED]}),
    ({"business": ["first_filing"], "enterprise_type": "design", "data": {}}, {"business": ["应为字符串"]}),
    ({"business": "extension", "enterprise_type": "design", "data": []}, {"data": ["应为JSON对象"]}),
    ({"business": "extension", "enterprise_type": "design", "data": None}, {"data": [NOT_NULL]}),
])
def test_a_malformed_body_is_refused_naming_each_field(client, services, enterprise_token, body, errors):
    response = client.post("/api/v1/ent/filings", json=body, headers=bearer(enterprise_token))
    assert refused(response, services) == errors


@pytest.mark.parametrize("name, value", [("enterprise_uscc", "91510100MA6CXXXX0X"), ("uscc", "91510100MA6CXXXX0X"),
                                         ("enterprise_name", "别的公司"), ("status", "approved"),
                                         ("submitted_by", "someone")])
def test_the_enterprise_and_the_outcome_cannot_be_set_in_the_body(client, services, enterprise_token, name, value):
    errors = refused(submit(client, enterprise_token, "extension", {}, **{name: value}), services)
    assert errors == {name: [UNKNOWN]}


# --- what reaches filing-svc ---------------------------------------------------------------------

def test_a_valid_first_filing_passes_the_enterprise_from_the_token_and_the_data_as_plain_json(
        client, services, named_token):
    services.answers[("filing", "submit")] = echo_case
    data = {**FIRST_FILING, "basic": {**BASIC, "name": f"  {NAME} ", "contact_phone": " 13800138000 "}}
    response = submit(client, named_token, "first_filing", data, enterprise_type="construction", key="first-1")
    assert response.status_code == 201
    [(service, method, kwargs)] = services.calls
    assert (service, method) == ("filing", "submit")
    assert {k: v for k, v in kwargs.items() if k != "request_fingerprint"} == {
        "enterprise_uscc": USCC, "enterprise_name": NAME, "enterprise_type": "construction",
        "business": "first_filing", "data": FIRST_FILING, "submitted_by": USCC, "idempotency_key": "first-1"}
    assert kwargs["data"]["basic"]["established_on"] == "2005-06-01"  # the ISO text, not a date object
    assert kwargs["request_fingerprint"]


def test_a_token_without_a_name_files_under_the_uscc(client, services, enterprise_token):
    services.answers[("filing", "submit")] = echo_case
    assert submit(client, enterprise_token, "extension", {}).status_code == 201
    assert services.calls[0][2]["enterprise_name"] == USCC


@pytest.mark.parametrize("business", list(VALID_DATA))
def test_each_business_with_well_formed_data_reaches_filing_svc(client, services, enterprise_token, business):
    services.answers[("filing", "submit")] = echo_case
    enterprise_type = "cost_consulting" if business == "cost_project" else "supervision"
    response = submit(client, enterprise_token, business, VALID_DATA[business], enterprise_type=enterprise_type)
    assert response.status_code == 201
    [(_, method, kwargs)] = services.calls
    assert method == "submit" and kwargs["business"] == business and kwargs["data"] == VALID_DATA[business]


@pytest.mark.parametrize("business, data", [("first_filing", FIRST_FILING), ("cost_project", COST_PROJECT)])
def test_the_enterprise_type_rules_of_a_business_are_the_reviews_not_a_422(
        client, services, enterprise_token, business, data):
    # a cost project of a construction enterprise, a first filing of a cost consultant: rejected cases, kept
    services.answers[("filing", "submit")] = echo_case
    other_type = "construction" if business == "cost_project" else "cost_consulting"
    assert submit(client, enterprise_token, business, data, enterprise_type=other_type).status_code == 201


def test_a_business_without_data_may_leave_it_out(client, services, enterprise_token):
    services.answers[("filing", "submit")] = echo_case
    response = client.post("/api/v1/ent/filings", json={"business": "extension", "enterprise_type": "design"},
                           headers=bearer(enterprise_token))
    assert response.status_code == 201
    assert services.calls[0][2]["data"] == {}


def test_a_personnel_change_with_only_removals_passes_an_empty_add(client, services, enterprise_token):
    services.answers[("filing", "submit")] = echo_case
    assert submit(client, enterprise_token, "personnel_change", {"remove": ["c1"]}).status_code == 201
    assert services.calls[0][2]["data"] == {"add": [], "remove": ["c1"]}


def test_a_blank_xinjiang_office_address_is_passed_as_absent(client, services, enterprise_token):
    services.answers[("filing", "submit")] = echo_case
    data = {**FIRST_FILING, "basic": {**BASIC, "xj_office_address": "  "}}
    assert submit(client, enterprise_token, "first_filing", data).status_code == 201
    assert services.calls[0][2]["data"]["basic"]["xj_office_address"] is None


def test_a_rejected_case_is_still_created_201_with_every_reason(client, services, enterprise_token):
    reasons = [{"error": "PERSON_NOT_EMPLOYED", "message": "进疆负责人须为本企业在职且已实名认证的人员",
                "field": "manager_person_id"},
               {"error": "NO_VALID_QUALIFICATION", "message": "全国平台上该企业没有有效的施工类资质"}]
    services.answers[("filing", "submit")] = case(status="rejected", reasons=reasons, data=FIRST_FILING)
    response = submit(client, enterprise_token, "first_filing", FIRST_FILING)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == CASE_FIELDS
    assert body["status"] == "rejected" and body["reasons"] == reasons and body["changes"] == []
    assert body["submitted_at"] == "2026-03-02T09:00:05+08:00"


def test_the_case_answer_masks_the_contact_phone_in_the_data_and_the_changes(client, services, enterprise_token):
    before = {**BASIC, "contact_phone": "13800138000"}
    after = {**BASIC, "contact_phone": "13900139000"}
    answer = case(business="basic_change", data={"basic": {"contact_phone": "13900139000"}},
                  changes=[{"field": "basic", "before": before, "after": after},
                           {"field": "valid_until", "before": "2026-06-30", "after": "2027-06-30"}])
    services.answers[("filing", "submit")] = answer
    body = submit(client, enterprise_token, "basic_change", {"basic": {"contact_phone": "13900139000"}}).get_json()
    assert body["data"]["basic"]["contact_phone"] == "139****9000"
    assert body["changes"][0]["before"]["contact_phone"] == "138****8000"
    assert body["changes"][0]["after"] == {**after, "contact_phone": "139****9000"}
    assert body["changes"][1] == {"field": "valid_until", "before": "2026-06-30", "after": "2027-06-30"}
    assert answer["changes"][0]["after"]["contact_phone"] == "13900139000"  # the service's answer is not changed


def test_a_submission_passes_the_idempotency_key_and_a_fingerprint_of_the_whole_body(
        client, services, enterprise_token):
    services.answers[("filing", "submit")] = echo_case
    submit(client, enterprise_token, "manager_change", {"manager_person_id": "p1"}, key="mc-1")
    submit(client, enterprise_token, "manager_change", {"manager_person_id": "p2"}, key="mc-1")
    submit(client, enterprise_token, "manager_change", {"manager_person_id": "p1"}, enterprise_type="design",
           key="mc-1")
    submit(client, enterprise_token, "manager_change", {"manager_person_id": "p1"}, key="mc-1")
    first, other_data, other_type, same = (call[2] for call in services.calls)
    assert {first["idempotency_key"], same["idempotency_key"]} == {"mc-1"}
    assert first["request_fingerprint"] == same["request_fingerprint"]
    assert first["request_fingerprint"] not in (other_data["request_fingerprint"], other_type["request_fingerprint"])


def test_a_malformed_idempotency_key_is_400_without_a_case(client, services, enterprise_token):
    response = submit(client, enterprise_token, "extension", {}, key="bad key")
    assert response.status_code == 400 and response.get_json()["error"] == "IDEMPOTENCY_KEY_INVALID"
    assert services.calls == []


def test_filing_svc_refusing_a_shape_itself_is_passed_through(client, services, enterprise_token):
    services.answers[("filing", "submit")] = DomainError("VALIDATION_FAILED", "提交的数据有误", 422,
                                                         {"data.basic": ["应为JSON对象"]})
    response = submit(client, enterprise_token, "extension", {})
    assert response.status_code == 422 and response.get_json()["errors"] == {"data.basic": ["应为JSON对象"]}


# --- cases ---------------------------------------------------------------------------------------

def test_the_case_list_passes_the_enterprise_from_the_token_and_the_filters(list_page, enterprise_token):
    kwargs, item_fields = list_page("/api/v1/ent/filings?business=cost_project&status=rejected&page=2&per_page=5",
                                    enterprise_token, ("filing", "list_cases"), case(submitted_by=USCC, uscc=USCC),
                                    page=2, per_page=5)
    assert kwargs == {"enterprise_uscc": USCC, "business": "cost_project", "status": "rejected", "page": 2,
                      "per_page": 5}
    assert item_fields == CASE_FIELDS


def test_the_case_list_defaults_to_every_case_on_the_first_page(client, services, enterprise_token):
    services.answers[("filing", "list_cases")] = {"items": [], "total": 0, "page": 1, "per_page": 20}
    client.get("/api/v1/ent/filings", headers=bearer(enterprise_token))
    assert services.calls[0][2] == {"enterprise_uscc": USCC, "business": None, "status": None, "page": 1,
                                    "per_page": 20}


@pytest.mark.parametrize("query, errors", [
    ("status=pending", {"status": ["取值应为：approved、rejected"]}),
    ("business=annual_report", {"business": [BUSINESS_CHOICES]}),
    ("per_page=101", {"per_page": ["取值应在1到100之间"]}),
    ("page=0", {"page": ["取值应在1到100000之间"]}),
])
def test_the_case_list_query_is_checked(client, services, enterprise_token, query, errors):
    response = client.get(f"/api/v1/ent/filings?{query}", headers=bearer(enterprise_token))
    assert refused(response, services) == errors


def test_a_case_is_read_for_the_enterprise_of_the_token(client, services, enterprise_token):
    services.answers[("filing", "get_case")] = case(data=FIRST_FILING)
    response = client.get("/api/v1/ent/filings/case-1", headers=bearer(enterprise_token))
    assert response.status_code == 200
    assert services.calls == [("filing", "get_case", {"enterprise_uscc": USCC, "case_id": "case-1"})]
    assert response.get_json()["data"]["basic"]["contact_phone"] == "138****8000"


def test_a_missing_or_foreign_case_is_404_from_the_service(client, services, enterprise_token):
    services.answers[("filing", "get_case")] = DomainError("CASE_NOT_FOUND", "报送记录不存在", 404)
    response = client.get("/api/v1/ent/filings/case-9", headers=bearer(enterprise_token))
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "error": "CASE_NOT_FOUND", "message": "报送记录不存在"}


# --- registrations -------------------------------------------------------------------------------

def registration(**overrides):
    """A registration as filing-svc's registration_view returns it."""
    at = datetime.datetime(2026, 1, 5, 2, 30, tzinfo=datetime.timezone.utc)
    return {
        "uscc": USCC, "enterprise_type": "construction", "enterprise_type_label": "施工", "enterprise_name": NAME,
        "status": "valid", "approved_at": at, "valid_until": "2027-01-04", "basic": dict(BASIC),
        "manager": {"person_id": "p-manager", "name": "张三", "id_card_masked": "510104********1234"},
        "tech_manager": {"person_id": "p-tech", "name": "李四", "id_card_masked": "510105********5678"},
        "attachments": ["f" * 32],
        "qualifications": [{"cert_no": "D151000001", "code": "D101", "name": "建筑工程施工总承包", "grade": "一级",
                            "category": "construction", "issuer": "住房和城乡建设部", "issued_on": "2021-03-01",
                            "expires_on": "2026-12-31"}],
        "personnel": [{"id": "c1", "kind": "registered", "person_id": "p-manager", "person_name": "张三",
                       "id_card_masked": "510104********1234", "cert_no": "川151", "type": "一级注册建造师",
                       "specialties": ["建筑工程"], "level": None, "valid_until": "2027-05-01"}],
        "cost_projects": [], "booklet_no": "XJ0126M7BJZ7STNND0M", "updated_at": at, **overrides}


def test_registrations_show_the_contact_phone_masked_and_keep_masked_id_numbers(client, services, enterprise_token):
    services.answers[("filing", "registrations")] = [registration()]
    response = client.get("/api/v1/ent/registrations", headers=bearer(enterprise_token))
    assert response.status_code == 200
    assert services.calls == [("filing", "registrations", {"enterprise_uscc": USCC})]
    [item] = response.get_json()["items"]
    assert item["basic"]["contact_phone"] == "138****8000"
    assert "13800138000" not in response.get_data(as_text=True)
    assert item["manager"]["id_card_masked"] == "510104********1234"
    assert item["personnel"][0]["id_card_masked"] == "510104********1234"
    assert item["approved_at"] == "2026-01-05T10:30:00+08:00" and item["valid_until"] == "2027-01-04"
    assert {"uscc", "enterprise_type", "status", "valid_until", "basic", "manager", "tech_manager", "qualifications",
            "personnel", "cost_projects", "booklet_no"} <= set(item)


def test_a_registration_made_by_a_cost_project_has_no_phone_and_no_managers(client, services, enterprise_token):
    project = {"id": "cp1", **COST_PROJECT, "lead_person_id": "p-engineer", "lead_person_name": "王五",
               "filed_at": "2026-02-01T10:00:00+08:00"}
    services.answers[("filing", "registrations")] = [registration(
        enterprise_type="cost_consulting", enterprise_type_label="造价咨询", manager=None, tech_manager=None,
        basic={"name": NAME, "legal_representative": "王五", "registered_address": None,
               "registered_capital_wan": 800.5, "established_on": "2005-06-01"},
        cost_projects=[project])]
    [item] = client.get("/api/v1/ent/registrations", headers=bearer(enterprise_token)).get_json()["items"]
    assert item["manager"] is None and item["tech_manager"] is None
    assert "contact_phone" not in item["basic"] and item["basic"]["registered_capital_wan"] == 800.5
    assert item["cost_projects"][0]["contract_amount_fen"] == 12_500_000
    assert item["cost_projects"][0]["filed_at"] == "2026-02-01T10:00:00+08:00"


def test_an_enterprise_without_registrations_gets_an_empty_list(client, services, enterprise_token):
    services.answers[("filing", "registrations")] = []
    assert client.get("/api/v1/ent/registrations", headers=bearer(enterprise_token)).get_json() == {"items": []}


def test_the_summary_for_ent_me_counts_registrations_valid_ones_persons_and_projects():
    summary = registration_summary([
        registration(),
        registration(enterprise_type="supervision", enterprise_type_label="监理", status="expired",
                     booklet_no="XJ29141777SU0001",
                     personnel=[{"id": "c1", "person_id": "p-manager"}, {"id": "c9", "person_id": "p-other"}]),
        registration(enterprise_type="cost_consulting", enterprise_type_label="造价咨询", personnel=[],
                     cost_projects=[{"id": "cp1"}, {"id": "cp2"}], booklet_no="XJ29141777CO0000"),
    ])
    assert summary["counts"] == {"registrations": 3, "valid_registrations": 2, "personnel": 2, "cost_projects": 2}
    assert summary["registrations"][1] == {"enterprise_type": "supervision", "enterprise_type_label": "监理",
                                           "status": "expired", "valid_until": "2027-01-04",
                                           "booklet_no": "XJ29141777SU0001"}
    assert registration_summary([]) == {"registrations": [], "counts": {
        "registrations": 0, "valid_registrations": 0, "personnel": 0, "cost_projects": 0}}


# --- qualifications ------------------------------------------------------------------------------

def test_qualifications_of_one_type_come_from_filing_svc_with_their_validity(client, services, enterprise_token):
    services.answers[("filing", "qualifications")] = [{**registration()["qualifications"][0], "valid": True,
                                                       "raw": {"x": 1}}]
    response = client.get("/api/v1/ent/qualifications?enterprise_type=construction", headers=bearer(enterprise_token))
    assert response.status_code == 200
    assert services.calls == [("filing", "qualifications", {"enterprise_uscc": USCC, "enterprise_type": "construction"})]
    [item] = response.get_json()["items"]
    assert item["valid"] is True and item["expires_on"] == "2026-12-31" and "raw" not in item


@pytest.mark.parametrize("query, errors", [
    ("", {"enterprise_type": [REQUIRED]}),
    ("?enterprise_type=labour", {"enterprise_type": [TYPE_CHOICES]}),
])
def test_qualifications_need_one_of_the_seven_enterprise_types(client, services, enterprise_token, query, errors):
    response = client.get(f"/api/v1/ent/qualifications{query}", headers=bearer(enterprise_token))
    assert refused(response, services) == errors


# --- the booklet ---------------------------------------------------------------------------------

def test_the_booklet_is_a_pdf_attachment_named_by_its_number_never_cached_or_sniffed(
        client, services, enterprise_token):
    services.answers[("filing", "booklet")] = {"booklet_no": "XJ0126M7BJZ7STNND0M",
                                               "pdf_b64": base64.b64encode(PDF).decode("ascii")}
    response = client.get("/api/v1/ent/registrations/construction/booklet.pdf", headers=bearer(enterprise_token))
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "inline" not in disposition
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == "进疆报送册-XJ0126M7BJZ7STNND0M.pdf"
    assert all(ord(c) < 128 for c in disposition)
    assert services.calls == [("filing", "booklet", {"enterprise_uscc": USCC, "enterprise_type": "construction"})]


@pytest.mark.parametrize("enterprise_type", ["labour", "CONSTRUCTION", "construction%20"])
def test_a_booklet_of_an_unknown_enterprise_type_is_404_without_asking_filing_svc(
        client, services, enterprise_token, enterprise_type):
    response = client.get(f"/api/v1/ent/registrations/{enterprise_type}/booklet.pdf",
                          headers=bearer(enterprise_token))
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "error": "REGISTRATION_NOT_FOUND", "message": "尚未办理该类型的进疆登记"}
    assert services.calls == []


def test_a_booklet_of_a_type_not_registered_is_the_services_404(client, services, enterprise_token):
    services.answers[("filing", "booklet")] = DomainError("REGISTRATION_NOT_FOUND", "尚未办理该类型的进疆登记", 404)
    response = client.get("/api/v1/ent/registrations/design/booklet.pdf", headers=bearer(enterprise_token))
    assert response.status_code == 404 and response.get_json()["error"] == "REGISTRATION_NOT_FOUND"


# --- roles ---------------------------------------------------------------------------------------

ENDPOINTS = [("post", "/api/v1/ent/filings", {"business": "extension", "enterprise_type": "design", "data": {}}),
             ("get", "/api/v1/ent/filings", None),
             ("get", "/api/v1/ent/filings/case-1", None),
             ("get", "/api/v1/ent/registrations", None),
             ("get", "/api/v1/ent/registrations/construction/booklet.pdf", None),
             ("get", "/api/v1/ent/registrations/labour/booklet.pdf", None),
             ("get", "/api/v1/ent/qualifications?enterprise_type=construction", None)]


@pytest.mark.parametrize("verb, path, body", ENDPOINTS)
def test_a_person_token_on_the_filing_endpoints_is_403_without_a_service_call(
        refused, person_token, verb, path, body):
    refused(verb, path, body, person_token, status=403, error="WRONG_ROLE")


@pytest.mark.parametrize("verb, path, body", ENDPOINTS)
def test_no_token_on_the_filing_endpoints_is_401(refused, verb, path, body):
    refused(verb, path, body)


# --- documentation -------------------------------------------------------------------------------

def test_openapi_documents_the_filing_paths_and_the_data_of_each_business(client):
    spec = client.get("/openapi.json").get_json()
    for path, verbs in {"/api/v1/ent/filings": {"get", "post"}, "/api/v1/ent/filings/{case_id}": {"get"},
                        "/api/v1/ent/registrations": {"get"},
                        "/api/v1/ent/registrations/{enterprise_type}/booklet.pdf": {"get"},
                        "/api/v1/ent/qualifications": {"get"}}.items():
        assert verbs <= set(spec["paths"][path])
    assert "201" in spec["paths"]["/api/v1/ent/filings"]["post"]["responses"]
    booklet = spec["paths"]["/api/v1/ent/registrations/{enterprise_type}/booklet.pdf"]["get"]["responses"]["200"]
    assert set(booklet["content"]) == {"application/pdf"}
    schemas = spec["components"]["schemas"]
    refs = {ref["$ref"].rsplit("/", 1)[1] for ref in schemas["FilingRequest"]["properties"]["data"]["oneOf"]}
    assert refs == {"FirstFilingData", "PersonnelFilingData", "BasicChangeData", "ManagerChangeData",
                    "TechManagerChangeData", "NoData", "PersonnelChangeData", "CostProjectData"}
    assert refs <= set(schemas)
    assert set(schemas["Case"]["properties"]) == CASE_FIELDS
    assert schemas["FilingBasic"]["properties"]["registered_capital_wan"]["type"] == "number"
