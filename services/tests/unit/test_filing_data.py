"""The wire contract of the filing data: what filing-svc's review and the gateway both check."""
import pytest

from xjkit.errors import ValidationFailed
from xjkit.fields import field_paths
from xjkit.filing_data import DATA_SCHEMAS, validated

BASIC = {"name": " 四川某建设有限公司 ", "legal_representative": "张三", "registered_address": "成都市某路1号",
         "registered_capital_wan": 5000, "established_on": "2005-06-01", "contact_name": "李四",
         "contact_phone": "13800138000"}
FIRST_FILING = {"basic": BASIC, "manager_person_id": "m", "tech_manager_person_id": "t", "attachments": ["f1"],
                "sync_qualifications": True}


def refusal(business, data):
    with pytest.raises(ValidationFailed) as refused:
        validated(business, data)
    assert refused.value.status == 422
    return refused.value.errors


def test_valid_data_comes_back_trimmed_as_plain_json_with_every_basic_field_named():
    clean = validated("first_filing", FIRST_FILING)
    assert clean["basic"]["name"] == "四川某建设有限公司"
    assert clean["basic"]["established_on"] == "2005-06-01"  # the ISO text, not a date object
    assert clean["basic"]["xj_office_address"] is None
    assert validated("personnel_change", {"remove": ["c1"]}) == {"add": [], "remove": ["c1"]}
    assert validated("basic_change", {"basic": {"contact_name": "王五"}}) == {"basic": {"contact_name": "王五"}}


def test_a_clean_answer_is_valid_again_unchanged():
    """The gateway checks first and filing-svc checks what the gateway sends: the same answer twice."""
    clean = validated("first_filing", FIRST_FILING)
    assert validated("first_filing", clean) == clean


def test_every_wrong_field_is_named_by_its_path_inside_data():
    data = {**FIRST_FILING, "basic": {**BASIC, "contact_phone": "12345"}, "attachments": ["f1", ""],
            "sync_qualifications": False, "status": "approved"}
    assert refusal("first_filing", data) == {
        "basic.contact_phone": ["手机号码格式不正确"], "attachments.1": ["长度应为1到64个字符"],
        "sync_qualifications": ["首次报送须同步全国平台资质（应为true）"], "status": ["不允许提交此字段"]}
    assert refusal("basic_change", {"basic": {}}) == {"basic": ["请提交要变更的基本信息"]}


@pytest.mark.parametrize("data", [None, [], "x"])
def test_data_that_is_not_an_object_is_refused_as_data(data):
    assert refusal("extension", data) == {"data": ["应为JSON对象"]}


def test_every_business_has_a_schema():
    from xjkit.contract import BUSINESSES
    assert set(DATA_SCHEMAS) == set(BUSINESSES)


def test_field_paths_flattens_nested_messages_and_a_schemas_own_message():
    assert field_paths({"basic": {"_schema": ["a"], "name": ["b"]}, "ids": {0: ["c"]}, "_schema": ["d"]}) == {
        "basic": ["a"], "basic.name": ["b"], "ids.0": ["c"], "_schema": ["d"]}
