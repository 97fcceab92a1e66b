"""The public web pages (进疆企业信息公示): server-rendered Chinese HTML over publicity-svc's search and
enterprise; bad query arguments are refused here (400, the form again, no RPC), a malformed USCC is a 404
without a call, the service's 404 and 503 become Chinese pages, and nothing personal shows in full."""
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from xjkit.booklets import new_booklet_no
from xjkit.errors import DomainError, NotFound
from xjkit.testdata import make_uscc

from gateway.resources import public_pages
from xjkit.errors import ServiceUnavailable

USCC_A = make_uscc(body8="MA6CPUB1")
USCC_B = make_uscc(region="330100", body8="MA2HPUB2")
FULL_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
TYPE_LABELS = ("施工", "监理", "勘察", "设计", "工程质量检测", "招标代理", "造价咨询")


@pytest.fixture
def app(app):
    if "public-pages" not in app.blueprints:
        app.register_blueprint(public_pages.blp)
    return app


def summary(uscc=USCC_A, name="四川蜀道建设工程有限公司", **overrides):
    return {"uscc": uscc, "name": name, "enterprise_types": ["construction", "supervision"],
            "registrations": [
                {"enterprise_type": "construction", "enterprise_type_label": "施工", "valid_until": "2027-11-24"},
                {"enterprise_type": "supervision", "enterprise_type_label": "监理", "valid_until": "2027-06-30"}],
            "qualifications": ["建筑工程施工总承包一级", "市政公用工程施工总承包二级"],
            "personnel_count": 37, "updated_at": "2026-11-20T10:15:00+08:00", **overrides}


def search_result(items=None, total=None, page=1, per_page=20):
    items = [summary(), summary(uscc=USCC_B, name="浙江之江监理咨询有限公司", personnel_count=8,
                                enterprise_types=["supervision"], qualifications=["工程监理综合资质"],
                                registrations=[{"enterprise_type": "supervision", "enterprise_type_label": "监理",
                                                "valid_until": "2027-03-31"}])] if items is None else items
    return {"items": items, "total": len(items) if total is None else total, "page": page, "per_page": per_page,
            "as_of": "2026-11-25T08:00:00+08:00"}


def registration(enterprise_type="construction", label="施工", **overrides):
    return {
        "enterprise_type": enterprise_type, "enterprise_type_label": label, "valid_until": "2027-11-24",
        "approved_at": "2026-11-24T16:30:00+08:00",
        "basic": {"name": "四川蜀道建设工程有限公司", "legal_representative": "李建国",
                  "registered_address": "四川省成都市高新区天府大道北段1700号", "registered_capital_wan": 5000.0,
                  "established_on": "2003-06-18", "xj_office_address": "乌鲁木齐市天山区解放南路88号"},
        "manager": {"name": "王振华", "id_card_masked": "510104********1234"},
        "tech_manager": {"name": "赵工", "id_card_masked": "510105********2345"},
        "qualifications": [{"cert_no": "D251234567", "name": "建筑工程施工总承包", "grade": "一级",
                            "issuer": "住房和城乡建设部", "expires_on": "2028-12-31"}],
        "personnel": [{"person_name": "陈晓明", "id_card_masked": "510107********3456", "kind": "registered",
                       "type": "一级注册建造师", "cert_no": "川151201300001", "specialties": ["建筑工程", "市政公用工程"],
                       "valid_until": "2028-05-01"},
                      {"person_name": "刘强", "id_card_masked": "510108********4567", "kind": "safety",
                       "type": "安管人员C类", "cert_no": "川建安C（2024）0012345", "specialties": [],
                       "valid_until": None}],
        "cost_projects": [],
        "booklet_no": "XJBS-2026-000123",
        **overrides,
    }


def detail(uscc=USCC_A, name="四川蜀道建设工程有限公司", registrations=None):
    return {"uscc": uscc, "name": name,
            "registrations": [registration()] if registrations is None else registrations,
            "updated_at": "2026-11-24T16:30:00+08:00"}


def page_text(response):
    return html.unescape(response.get_data(as_text=True))


def search_calls(services):
    return [kwargs for service, method, kwargs in services.calls if (service, method) == ("publicity", "search")]


# --- the search page --------------------------------------------------------------------------

def test_search_page_renders_the_form_with_the_seven_type_labels_and_the_results(client, services):
    services.answers[("publicity", "search")] = search_result()
    response = client.get("/public/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    text = page_text(response)
    assert "<title>进疆企业信息公示</title>" in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert 'name="q"' in text and "企业名称或统一社会信用代码" in text
    assert 'name="qualification"' in text and "资质名称" in text
    for code, label in public_pages.ENTERPRISE_TYPES.items():
        assert f'<option value="{code}">{label}</option>' in text
    assert set(public_pages.ENTERPRISE_TYPES.values()) == set(TYPE_LABELS)
    # the results: names linking to the detail, USCC, types with validity, qualifications, personnel count
    assert f'<a href="/public/enterprises/{USCC_A}">四川蜀道建设工程有限公司</a>' in text
    assert f'<a href="/public/enterprises/{USCC_B}">浙江之江监理咨询有限公司</a>' in text
    assert USCC_A in text and USCC_B in text
    assert "施工" in text and "有效期至 2027-11-24" in text and "有效期至 2027-06-30" in text
    assert "建筑工程施工总承包一级、市政公用工程施工总承包二级" in text
    assert "37 人" in text and "8 人" in text
    assert "数据截至 2026-11-25" in text
    assert "共 <strong>2</strong> 家" in text
    assert "第 1 / 1 页" in text


def test_search_without_filters_asks_the_service_for_page_1_of_20(client, services):
    services.answers[("publicity", "search")] = search_result()
    client.get("/public/")
    assert search_calls(services) == [
        {"q": None, "enterprise_type": None, "qualification": None, "page": 1, "per_page": 20}]


def test_search_passes_the_filters_and_page_and_keeps_per_page_fixed_at_20(client, services):
    services.answers[("publicity", "search")] = search_result(total=45, page=2)
    response = client.get("/public/", query_string={"q": " 蜀道 ", "enterprise_type": "construction",
                                                    "qualification": "施工总承包", "page": "2", "per_page": "100"})
    assert response.status_code == 200
    assert search_calls(services) == [{"q": "蜀道", "enterprise_type": "construction",
                                       "qualification": "施工总承包", "page": 2, "per_page": 20}]
    text = page_text(response)
    assert 'value="蜀道"' in text and 'value="施工总承包"' in text
    assert '<option value="construction" selected>施工</option>' in text


def test_search_by_a_lower_case_uscc_asks_for_the_canonical_code(client, services):
    services.answers[("publicity", "search")] = search_result()
    client.get("/public/", query_string={"q": USCC_A.lower()})
    assert search_calls(services)[0]["q"] == USCC_A


def test_pagination_links_keep_the_filters_and_show_page_n_of_m_and_the_total(client, services):
    services.answers[("publicity", "search")] = search_result(total=45, page=2)
    response = client.get("/public/", query_string={"q": "建设", "enterprise_type": "construction",
                                                    "qualification": "总承包", "page": "2"})
    text = page_text(response)
    assert "第 2 / 3 页" in text and "共 <strong>45</strong> 家" in text
    links = dict(re.findall(r'<a rel="(prev|next)" href="([^"]+)">', text))
    assert set(links) == {"prev", "next"}
    for rel, page in (("prev", "1"), ("next", "3")):
        url = urlsplit(links[rel])
        assert url.path == "/public/"
        assert parse_qs(url.query) == {"q": ["建设"], "enterprise_type": ["construction"],
                                       "qualification": ["总承包"], "page": [page]}
    assert ">上一页</a>" in text and ">下一页</a>" in text


def test_pagination_on_the_first_and_last_page_offers_no_link_beyond_them(client, services):
    services.answers[("publicity", "search")] = search_result(total=20)
    text = page_text(client.get("/public/"))
    assert 'rel="prev"' not in text and 'rel="next"' not in text
    assert '<span class="disabled">上一页</span>' in text and '<span class="disabled">下一页</span>' in text


def test_pagination_links_leave_out_empty_filters(client, services):
    services.answers[("publicity", "search")] = search_result(total=45)
    text = page_text(client.get("/public/", query_string={"q": "", "enterprise_type": ""}))
    next_link = re.search(r'<a rel="next" href="([^"]+)">', text).group(1)
    assert parse_qs(urlsplit(next_link).query) == {"page": ["2"]}


def test_no_results_shows_an_empty_state_message(client, services):
    services.answers[("publicity", "search")] = search_result(items=[])
    text = page_text(client.get("/public/", query_string={"q": "不存在的企业"}))
    assert "没有找到符合条件的进疆企业" in text
    assert "共 <strong>0</strong> 家" in text
    assert "上一页" not in text


def test_no_enterprise_at_all_says_none_is_published_yet(client, services):
    services.answers[("publicity", "search")] = search_result(items=[])
    assert "暂无公示中的进疆企业" in page_text(client.get("/public/"))


def test_a_page_past_the_last_one_offers_the_way_back_to_page_1(client, services):
    services.answers[("publicity", "search")] = search_result(items=[], total=45, page=9)
    text = page_text(client.get("/public/", query_string={"q": "建设", "page": "9"}))
    assert "第 9 页没有结果" in text
    assert 'href="/public/?q=' in text


@pytest.mark.parametrize("args, message", [
    ({"q": "建" * 101}, "企业名称或统一社会信用代码不能超过100个字符"),
    ({"qualification": "资" * 51}, "资质名称不能超过50个字符"),
    ({"enterprise_type": "mining"}, "请从列表中选择企业类型"),
    ({"page": "0"}, "页码应为1到10000之间的整数"),
    ({"page": "-1"}, "页码应为1到10000之间的整数"),
    ({"page": "abc"}, "页码应为1到10000之间的整数"),
    ({"page": "10001"}, "页码应为1到10000之间的整数"),
    ({"page": "２"}, "页码应为1到10000之间的整数"),
    ({"q": "蜀道\x00"}, "查询条件含有不允许的字符"),
])
def test_invalid_query_is_400_with_a_chinese_message_on_the_form_and_no_service_call(client, services, args,
                                                                                        message):
    response = client.get("/public/", query_string=args)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    text = page_text(response)
    assert message in text
    assert 'role="alert"' in text
    assert '<form class="search"' in text  # the form again, to correct
    assert "Traceback" not in text
    assert services.calls == []


def test_invalid_query_keeps_the_valid_fields_in_the_form(client, services):
    response = client.get("/public/", query_string={"q": "蜀道", "enterprise_type": "mining", "page": "x"})
    text = page_text(response)
    assert response.status_code == 400
    assert 'value="蜀道"' in text
    assert "请从列表中选择企业类型" in text and "页码应为1到10000之间的整数" in text
    assert " selected>" not in text  # the unknown type is not echoed as a choice


def test_pages_are_cacheable_for_30_seconds(client, services):
    services.answers[("publicity", "search")] = search_result()
    services.answers[("publicity", "enterprise")] = detail()
    for url in ("/public/", f"/public/enterprises/{USCC_A}", "/public/?page=0", "/public/enterprises/nope"):
        assert client.get(url).headers["Cache-Control"] == "public, max-age=30", url


def test_pages_allow_no_scripts_and_are_not_sniffed(client, services):
    services.answers[("publicity", "search")] = search_result()
    response = client.get("/public/")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in response.get_data(as_text=True)


def test_stylesheet_is_served_by_the_blueprint(client, services):
    response = client.get("/public/static/public.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b".table-wrap" in response.data and b"overflow-x: auto" in response.data
    response.close()


# --- the detail page --------------------------------------------------------------------------

def test_detail_page_shows_each_registration_with_basic_info_managers_qualifications_personnel(client, services):
    services.answers[("publicity", "enterprise")] = detail()
    response = client.get(f"/public/enterprises/{USCC_A}")
    assert response.status_code == 200
    assert services.calls == [("publicity", "enterprise", {"uscc": USCC_A})]
    text = page_text(response)
    assert "<title>四川蜀道建设工程有限公司 - 进疆企业信息公示</title>" in text
    assert '<meta name="viewport"' in text
    for expected in ("四川蜀道建设工程有限公司", USCC_A, "施工", "有效期至 2027-11-24", "李建国",
                     "四川省成都市高新区天府大道北段1700号", "5,000 万元", "2003-06-18", "乌鲁木齐市天山区解放南路88号",
                     "进疆负责人", "王振华", "510104********1234", "技术负责人", "赵工", "510105********2345",
                     "建筑工程施工总承包", "一级", "D251234567", "住房和城乡建设部", "2028-12-31",
                     "陈晓明", "510107********3456", "注册证书", "一级注册建造师", "川151201300001",
                     "建筑工程、市政公用工程", "2028-05-01", "刘强", "安管人员", "报送册编号", "XJBS-2026-000123",
                     "2026-11-24", "← 返回企业查询"):
        assert expected in text, expected
    assert 'href="/public/"' in text
    assert text.count('<div class="table-wrap"') == 2  # qualifications and personnel scroll sideways


def test_dates_on_the_pages_are_shanghai_dates_even_when_the_service_sends_utc_instants(client, services):
    # 07:18 on 30 November in Shanghai is 23:18 on 29 November in UTC, as pymongo hands it back
    services.answers[("publicity", "enterprise")] = {**detail(), "updated_at": "2026-11-29T23:18:38+00:00"}
    text = page_text(client.get(f"/public/enterprises/{USCC_A}"))
    assert "信息更新于 2026-11-30" in text and "2026-11-29" not in text
    services.answers[("publicity", "search")] = {**search_result(), "as_of": "2026-11-29T16:00:00+00:00"}
    assert "数据截至 2026-11-30" in page_text(client.get("/public/"))


def test_the_qr_code_of_a_booklet_leads_to_a_page_saying_it_is_authentic_and_current(client, services):
    number = new_booklet_no("construction", 2026)
    services.answers[("publicity", "verify_booklet")] = {
        "booklet_no": number, "authentic": True, "current": True, "uscc": USCC_A,
        "enterprise_name": "四川蜀道建设工程有限公司", "enterprise_type": "construction", "valid_until": "2026-12-31",
        "current_booklet_no": number}
    response = client.get(f"/public/booklets/{number}")
    text = page_text(response)
    assert response.status_code == 200
    for expected in ("真实有效，为当前最新的一册", number, "四川蜀道建设工程有限公司", USCC_A, "施工", "2026-12-31"):
        assert expected in text, expected
    assert services.calls == [("publicity", "verify_booklet", {"booklet_no": number})]


def test_an_older_or_unknown_booklet_page_says_so_plainly(client, services):
    old, current = new_booklet_no("supervision", 2026), new_booklet_no("supervision", 2026)
    services.answers[("publicity", "verify_booklet")] = {
        "booklet_no": old, "authentic": True, "current": False, "uscc": USCC_A, "enterprise_name": "某监理公司",
        "enterprise_type": "supervision", "valid_until": "2026-12-31", "current_booklet_no": current}
    text = page_text(client.get(f"/public/booklets/{old}"))
    assert "真实，但已不是当前的一册" in text and current in text
    services.answers[("publicity", "verify_booklet")] = {"booklet_no": old, "authentic": False, "current": False}
    assert "未查到该报送册" in page_text(client.get(f"/public/booklets/{old}"))


def test_a_booklet_number_with_a_wrong_check_character_is_404_without_a_call(client, services):
    number = new_booklet_no("design", 2026)
    typo = number[:-1] + ("A" if number[-1] != "A" else "B")
    response = client.get(f"/public/booklets/{typo}")
    assert response.status_code == 404 and "报送册编号不正确" in page_text(response)
    assert services.calls == []


def test_detail_page_with_several_registrations_has_a_section_and_an_anchor_for_each(client, services):
    services.answers[("publicity", "enterprise")] = detail(registrations=[
        registration(),
        registration("supervision", "监理", booklet_no="XJBS-2026-000124"),
        registration("cost_consulting", "造价咨询", booklet_no="XJBS-2026-000125", cost_projects=[
            {"project_name": "乌鲁木齐市轨道交通4号线造价咨询", "location_code": "650100", "client_name": "乌鲁木齐城市轨道集团有限公司",
             "contract_amount_fen": 123456789, "service_start": "2026-01-01", "service_end": "2027-12-31",
             "lead_person_name": "周敏"}]),
    ])
    text = page_text(client.get(f"/public/enterprises/{USCC_A}"))
    for enterprise_type in ("construction", "supervision", "cost_consulting"):
        assert f'id="reg-{enterprise_type}"' in text and f'href="#reg-{enterprise_type}"' in text
    assert "XJBS-2026-000124" in text and "XJBS-2026-000125" in text
    assert "乌鲁木齐市轨道交通4号线造价咨询" in text and "650100" in text and "乌鲁木齐城市轨道集团有限公司" in text
    assert "1,234,567.89" in text and "合同金额（元）" in text
    assert "2026-01-01 至 2027-12-31" in text and "周敏" in text


def test_contract_amount_in_fen_shows_as_yuan_with_two_decimals_and_separators():
    assert public_pages.public_yuan(123456789) == "1,234,567.89"
    assert public_pages.public_yuan(5) == "0.05"
    assert public_pages.public_yuan(100000000000) == "1,000,000,000.00"
    assert public_pages.public_yuan(None) == ""


def test_detail_page_without_managers_or_data_says_so_instead_of_failing(client, services):
    services.answers[("publicity", "enterprise")] = detail(registrations=[registration(
        manager=None, tech_manager=None, qualifications=[], personnel=[], booklet_no=None,
        basic={"name": "四川蜀道建设工程有限公司"})])
    response = client.get(f"/public/enterprises/{USCC_A}")
    assert response.status_code == 200
    text = page_text(response)
    assert "暂无资质信息" in text and "暂无备案人员" in text


def test_detail_of_a_lower_case_uscc_asks_for_the_canonical_code(client, services):
    services.answers[("publicity", "enterprise")] = detail()
    assert client.get(f"/public/enterprises/{USCC_A.lower()}").status_code == 200
    assert services.calls == [("publicity", "enterprise", {"uscc": USCC_A})]


@pytest.mark.parametrize("uscc", ["123", USCC_A[:-1] + ("0" if USCC_A[-1] != "0" else "1"), "X" * 18,
                                  "%3Cscript%3E", "9" * 200])
def test_malformed_uscc_is_a_chinese_404_page_without_a_service_call(client, services, uscc):
    response = client.get(f"/public/enterprises/{uscc}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "未找到该企业的公示信息" in page_text(response)
    assert services.calls == []


def test_unknown_enterprise_from_the_service_is_a_chinese_404_page(client, services):
    services.answers[("publicity", "enterprise")] = NotFound(message="没有该企业的有效公示")
    response = client.get(f"/public/enterprises/{USCC_A}")
    assert response.status_code == 404
    text = page_text(response)
    assert "未找到该企业的公示信息" in text and 'href="/public/"' in text
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("url", ["/public/", f"/public/enterprises/{USCC_A}"])
def test_service_down_is_a_friendly_503_page_not_cached(client, services, url):
    services.answers[("publicity", "search")] = ServiceUnavailable(errors={"service": ["publicity"]})
    services.answers[("publicity", "enterprise")] = ServiceUnavailable(errors={"service": ["publicity"]})
    response = client.get(url)
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    text = page_text(response)
    assert "公示服务暂时不可用" in text and "请稍后刷新页面重试" in text
    assert response.headers["Cache-Control"] == "no-store"


def test_other_refusal_from_the_service_is_a_page_with_its_chinese_message(client, services):
    services.answers[("publicity", "search")] = DomainError("VALIDATION_FAILED", "查询条件无效", 422)
    response = client.get("/public/")
    assert response.status_code == 400
    assert "查询条件无效" in page_text(response)


def test_unexpected_failure_is_a_chinese_500_page_without_a_stack_trace(client, services):
    services.answers[("publicity", "search")] = RuntimeError("boom at line 42")
    response = client.get("/public/")
    assert response.status_code == 500
    text = page_text(response)
    assert "页面暂时无法显示" in text
    assert "boom" not in text and "Traceback" not in text


# --- escaping and personal data ---------------------------------------------------------------

def test_names_are_html_escaped_on_both_pages(client, services):
    evil = '<script>alert("x")</script>恶意公司'
    services.answers[("publicity", "search")] = search_result(items=[summary(name=evil)])
    services.answers[("publicity", "enterprise")] = detail(name=evil, registrations=[registration(
        basic={"name": evil, "registered_address": "<img src=x onerror=alert(1)>"})])
    for url in ("/public/", f"/public/enterprises/{USCC_A}", "/public/?q=%3Cscript%3E"):
        raw = client.get(url).get_data(as_text=True)
        assert "<script" not in raw and "<img" not in raw, url
    raw = client.get("/public/").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;恶意公司" in raw


def test_no_full_id_number_or_mobile_number_appears_in_the_html(client, services):
    services.answers[("publicity", "search")] = search_result()
    services.answers[("publicity", "enterprise")] = detail(registrations=[registration(), registration(
        "supervision", "监理", personnel=[{"person_name": "孙丽", "id_card_masked": "110101********0021",
                                         "kind": "special_operation", "type": "电工作业",
                                         "cert_no": "T110101********0021", "specialties": ["低压电工作业"],
                                         "valid_until": "2029-01-01"}])])
    for url in ("/public/", f"/public/enterprises/{USCC_A}"):
        text = page_text(client.get(url))
        assert not FULL_ID.search(text), url
        assert not MOBILE.search(text), url


def test_a_full_id_or_mobile_number_leaked_by_the_service_is_masked_on_the_page(client, services):
    from xjkit.testdata import make_id_card
    full_id = make_id_card()
    services.answers[("publicity", "enterprise")] = detail(registrations=[registration(
        manager={"name": "王振华", "id_card_masked": full_id},
        basic={"name": "四川蜀道建设工程有限公司", "xj_office_address": "乌鲁木齐 联系电话13800138000"},
        personnel=[{"person_name": "陈晓明", "id_card_masked": full_id, "kind": "special_operation",
                    "type": "电工作业", "cert_no": f"T{full_id}", "specialties": [], "valid_until": None}])])
    text = page_text(client.get(f"/public/enterprises/{USCC_A}"))
    assert full_id not in text
    assert "13800138000" not in text
    assert f"{full_id[:6]}********{full_id[-4:]}" in text
    assert not FULL_ID.search(text) and not MOBILE.search(text)
