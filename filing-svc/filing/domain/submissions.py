"""The shape of each business's ``data``: wrong shapes are refused (422) and make no case.
Business rules (who is employed, what the national platform says…) are the review's job."""
import datetime
import math

from xjkit.errors import ValidationFailed
from xjkit.validators import check_mobile

from filing.domain import businesses as b

MAX_IDS = 500
MAX_INT64 = 2 ** 63 - 1  # what the store can keep
REQUIRED = "此字段为必填项"

BASIC_FIELDS = {
    "name": 100, "legal_representative": 30, "registered_address": 200, "contact_name": 30,
    "xj_office_address": 200,
}
OPTIONAL_BASIC = {"xj_office_address"}


class _Checker:
    def __init__(self, data):
        self.data = data if isinstance(data, dict) else {}
        self.errors = {} if isinstance(data, dict) else {"data": ["应为JSON对象"]}

    def fail(self, path, message):
        self.errors.setdefault(path, []).append(message)

    def allowed(self, source, names, prefix=""):
        for name in sorted(set(source) - set(names)):
            self.fail(prefix + name, "不允许提交此字段")

    def text(self, source, name, maximum, path=None, required=True):
        path = path or name
        value = source.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path, REQUIRED)
            return None
        if not isinstance(value, str):
            self.fail(path, "应为字符串")
            return None
        if len(value.strip()) > maximum:
            self.fail(path, f"长度不能超过{maximum}个字符")
        return value.strip()

    def date(self, source, name, path=None):
        path = path or name
        value = source.get(name)
        if value is None:
            self.fail(path, REQUIRED)
            return None
        try:
            if isinstance(value, str) and len(value) == 10:
                return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        self.fail(path, "日期格式应为YYYY-MM-DD")
        return None

    def ids(self, source, name, minimum=1, path=None):
        path = path or name
        value = source.get(name, [] if minimum == 0 else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in value):
            self.fail(path, "应为编号数组")
            return []
        if len(value) < minimum:
            self.fail(path, f"至少需要{minimum}项")
        if len(value) > MAX_IDS:
            self.fail(path, f"一次最多{MAX_IDS}项")
        if len(set(value)) != len(value):
            self.fail(path, "不能有重复项")
        return list(value)

    def done(self, result):
        if self.errors:
            raise ValidationFailed(self.errors)
        return result


def _basic(check, source, partial, prefix="basic."):
    names = set(BASIC_FIELDS) | {"registered_capital_wan", "established_on", "contact_phone"}
    check.allowed(source, names, prefix)
    basic = {}
    for name, maximum in BASIC_FIELDS.items():
        if partial and name not in source:
            continue
        value = check.text(source, name, maximum, prefix + name, required=name not in OPTIONAL_BASIC)
        basic[name] = value
    if not partial or "registered_capital_wan" in source:
        capital = source.get("registered_capital_wan")
        if (not isinstance(capital, (int, float)) or isinstance(capital, bool) or not math.isfinite(capital)
                or capital <= 0 or capital > MAX_INT64):
            check.fail(prefix + "registered_capital_wan", "注册资本（万元）应为大于0的数字")
        basic["registered_capital_wan"] = capital
    if not partial or "established_on" in source:
        basic["established_on"] = check.date(source, "established_on", prefix + "established_on")
    if not partial or "contact_phone" in source:
        phone = check.text(source, "contact_phone", 11, prefix + "contact_phone")
        if phone and check_mobile(phone):
            check.fail(prefix + "contact_phone", check_mobile(phone))
        basic["contact_phone"] = phone
    return basic


def validated(business, data):
    check = _Checker(data)
    d = check.data
    if business == b.FIRST_FILING:
        check.allowed(d, {"basic", "manager_person_id", "tech_manager_person_id", "attachments",
                          "sync_qualifications"})
        basic = _basic(check, d.get("basic") if isinstance(d.get("basic"), dict) else {}, partial=False)
        if not isinstance(d.get("basic"), dict):
            check.fail("basic", "应为JSON对象")
        if d.get("sync_qualifications") is not True:
            check.fail("sync_qualifications", "首次报送须同步全国平台资质（应为true）")
        return check.done({"basic": basic, "manager_person_id": check.text(d, "manager_person_id", 64),
                           "tech_manager_person_id": check.text(d, "tech_manager_person_id", 64),
                           "attachments": check.ids(d, "attachments")})
    if business == b.PERSONNEL_FILING:
        check.allowed(d, {"certificate_ids"})
        return check.done({"certificate_ids": check.ids(d, "certificate_ids")})
    if business == b.BASIC_CHANGE:
        check.allowed(d, {"basic"})
        if not isinstance(d.get("basic"), dict) or not d.get("basic"):
            check.fail("basic", "请提交要变更的基本信息")
            return check.done({})
        return check.done({"basic": _basic(check, d["basic"], partial=True)})
    if business in (b.MANAGER_CHANGE, b.TECH_MANAGER_CHANGE):
        name = "manager_person_id" if business == b.MANAGER_CHANGE else "tech_manager_person_id"
        check.allowed(d, {name})
        return check.done({name: check.text(d, name, 64)})
    if business in (b.QUALIFICATION_CHANGE, b.EXTENSION):
        check.allowed(d, set())
        return check.done({})
    if business == b.PERSONNEL_CHANGE:
        check.allowed(d, {"add", "remove"})
        add, remove = check.ids(d, "add", minimum=0), check.ids(d, "remove", minimum=0)
        if not add and not remove:
            check.fail("add", "请提交要增加或移除的证书")
        if set(add) & set(remove):
            check.fail("remove", "同一证书不能既增加又移除")
        return check.done({"add": add, "remove": remove})
    if business == b.COST_PROJECT:
        check.allowed(d, {"project_name", "location_code", "client_name", "contract_amount_fen",
                          "contract_signed_on", "service_start", "service_end", "lead_person_id", "attachments"})
        location = check.text(d, "location_code", 6)
        if location and not (len(location) == 6 and location.isascii() and location.isdigit()
                             and location[:2] in ("65", "66")):
            check.fail("location_code", "项目所在地应为新疆的6位行政区划代码（65或66开头）")
        amount = d.get("contract_amount_fen")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_INT64:
            check.fail("contract_amount_fen", "合同金额应为大于0的整数（单位：分）")
        project = {
            "project_name": check.text(d, "project_name", 200), "location_code": location,
            "client_name": check.text(d, "client_name", 100), "contract_amount_fen": amount,
            "contract_signed_on": check.date(d, "contract_signed_on"), "service_start": check.date(d, "service_start"),
            "service_end": check.date(d, "service_end"), "lead_person_id": check.text(d, "lead_person_id", 64),
            "attachments": check.ids(d, "attachments"),
        }
        if project["service_start"] and project["service_end"] and project["service_end"] <= project["service_start"]:
            check.fail("service_end", "服务结束日期应晚于开始日期")
        return check.done(project)
    raise ValidationFailed({"business": ["取值应为：" + "、".join(b.BUSINESSES)]})
