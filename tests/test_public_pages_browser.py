"""The public pages in a real browser on a phone-sized screen: Debian's headless Chromium renders
``/public/`` and an enterprise's detail from the gateway app, served on a free port.

The services are not the subject here: the app's RPC pool is replaced by a small fake with realistic
data (three enterprises, one with three registrations), so the test is about what the browser renders.
The screenshots land in test-artifacts/ (public-list-phone.png, public-detail-phone.png) for a person
to look at.
"""
import os
import shutil
import struct
import subprocess
import tempfile
import threading

import pytest
from werkzeug.serving import make_server

from xjkit.errors import NotFound
from xjkit.testdata import make_uscc

from gateway.app import create_app
from gateway.resources import public_pages

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("XJ_CHROMIUM", "/usr/bin/chromium")
# what works as root on these machines; without the background-networking flags Chromium keeps
# trying Google's hosts through a closed network
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1")
PHONE = (390, 844)
MIN_SCREENSHOT_BYTES = 10 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

USCC_SHUDAO = make_uscc(body8="MA6CBD01")
USCC_TIANSHAN = make_uscc(region="650100", body8="MA77TH02")
USCC_ZHIJIANG = make_uscc(region="330100", body8="MA2HJJ03")
NAMES = {USCC_SHUDAO: "四川蜀道建设工程集团有限公司", USCC_TIANSHAN: "中建天山工程咨询有限公司",
         USCC_ZHIJIANG: "浙江之江工程监理有限公司"}


def _registration(enterprise_type, label, uscc, booklet_no, **overrides):
    return {
        "enterprise_type": enterprise_type, "enterprise_type_label": label, "valid_until": "2027-11-24",
        "approved_at": "2026-11-24T16:30:00+08:00",
        "basic": {"name": NAMES[uscc], "legal_representative": "李建国",
                  "registered_address": "四川省成都市高新区天府大道北段1700号环球中心E1区12楼",
                  "registered_capital_wan": 50000.0, "established_on": "2003-06-18",
                  "xj_office_address": "新疆维吾尔自治区乌鲁木齐市天山区解放南路88号"},
        "manager": {"name": "王振华", "id_card_masked": "510104********1234"},
        "tech_manager": {"name": "赵建军", "id_card_masked": "510105********2345"},
        "qualifications": [
            {"cert_no": "D251234567", "name": "建筑工程施工总承包", "grade": "特级", "issuer": "中华人民共和国住房和城乡建设部",
             "expires_on": "2028-12-31"},
            {"cert_no": "D251234568", "name": "市政公用工程施工总承包", "grade": "一级", "issuer": "四川省住房和城乡建设厅",
             "expires_on": "2027-06-30"}],
        "personnel": [
            {"person_name": "陈晓明", "id_card_masked": "510107********3456", "kind": "registered", "type": "一级注册建造师",
             "cert_no": "川151201300001", "specialties": ["建筑工程", "市政公用工程"], "valid_until": "2028-05-01"},
            {"person_name": "刘强", "id_card_masked": "510108********4567", "kind": "safety", "type": "安管人员C类",
             "cert_no": "川建安C（2024）0012345", "specialties": [], "valid_until": "2027-09-30"},
            {"person_name": "买买提·艾力", "id_card_masked": "650102********0013", "kind": "special_operation",
             "type": "电工作业", "cert_no": "T650102********0013", "specialties": ["低压电工作业"],
             "valid_until": "2029-01-01"}],
        "cost_projects": [],
        "booklet_no": booklet_no,
        **overrides,
    }


def _detail(uscc):
    if uscc == USCC_SHUDAO:
        registrations = [
            _registration("construction", "施工", uscc, "XJBS-2026-000123"),
            _registration("supervision", "监理", uscc, "XJBS-2026-000124"),
            _registration("cost_consulting", "造价咨询", uscc, "XJBS-2026-000125", cost_projects=[
                {"project_name": "乌鲁木齐市城市轨道交通4号线一期工程全过程造价咨询", "location_code": "650100",
                 "client_name": "乌鲁木齐城市轨道集团有限公司", "contract_amount_fen": 1234567890,
                 "service_start": "2026-01-01", "service_end": "2027-12-31", "lead_person_name": "周敏"},
                {"project_name": "喀什地区疏附县人民医院门诊楼造价咨询", "location_code": "653121",
                 "client_name": "疏附县人民医院", "contract_amount_fen": 38500000,
                 "service_start": "2026-03-01", "service_end": "2026-12-31", "lead_person_name": "陈晓明"}]),
        ]
    else:
        registrations = [_registration("supervision", "监理", uscc, "XJBS-2026-000200")]
    return {"uscc": uscc, "name": NAMES[uscc], "registrations": registrations,
            "updated_at": "2026-11-24T16:30:00+08:00"}


def _summary(uscc):
    detail = _detail(uscc)
    registrations = detail["registrations"]
    return {"uscc": uscc, "name": detail["name"],
            "enterprise_types": [reg["enterprise_type"] for reg in registrations],
            "registrations": [{key: reg[key] for key in ("enterprise_type", "enterprise_type_label", "valid_until")}
                              for reg in registrations],
            "qualifications": [q["name"] for q in registrations[0]["qualifications"]],
            "personnel_count": 3 * len(registrations), "updated_at": detail["updated_at"]}


class FakePublicity:
    """Answers the pages' two calls with realistic data; nothing else is asked."""

    def call(self, service, method, **kwargs):
        assert service == "publicity", service
        if method == "search":
            items = [_summary(uscc) for uscc in NAMES]
            return {"items": items, "total": 43, "page": kwargs["page"], "per_page": kwargs["per_page"],
                    "as_of": "2026-11-25T08:00:00+08:00"}
        if method == "enterprise":
            if kwargs["uscc"] not in NAMES:
                raise NotFound()
            return _detail(kwargs["uscc"])
        raise AssertionError(f"unexpected call {method}")


@pytest.fixture(scope="module")
def chromium():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make install` "
                    "(deploy/scripts/install-system.sh installs it; CI runs it)")
    return CHROMIUM


@pytest.fixture(scope="module")
def gateway_url():
    app = create_app({"TESTING": True})
    app.extensions["xj_rpc"] = FakePublicity()
    if "public-pages" not in app.blueprints:
        app.register_blueprint(public_pages.blp)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="public-pages-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def run_chromium(chromium, *args, timeout=120):
    profile = tempfile.mkdtemp(prefix="xj-chromium-")
    try:
        completed = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                                   capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")[-3000:]
    return completed.stdout.decode("utf-8")


def screenshot(chromium, url, path):
    if os.path.exists(path):
        os.remove(path)
    width, height = PHONE
    run_chromium(chromium, f"--window-size={width},{height}", f"--screenshot={path}", url)
    return path


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == PNG_SIGNATURE, "not a PNG file"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def assert_phone_screenshot(path):
    assert os.path.exists(path), path
    assert os.path.getsize(path) > MIN_SCREENSHOT_BYTES, f"{path}: {os.path.getsize(path)} bytes, nearly blank"
    assert png_size(path) == PHONE


def test_search_page_renders_on_a_phone_screen(chromium, gateway_url, artifacts_dir):
    path = screenshot(chromium, f"{gateway_url}/public/", os.path.join(artifacts_dir, "public-list-phone.png"))
    assert_phone_screenshot(path)


def test_detail_page_of_an_enterprise_with_three_registrations_renders_on_a_phone_screen(
        chromium, gateway_url, artifacts_dir):
    path = screenshot(chromium, f"{gateway_url}/public/enterprises/{USCC_SHUDAO}",
                      os.path.join(artifacts_dir, "public-detail-phone.png"))
    assert_phone_screenshot(path)


def test_browser_dom_of_the_search_page_has_the_form_and_every_enterprise(chromium, gateway_url):
    dom = run_chromium(chromium, "--dump-dom", f"{gateway_url}/public/")
    assert '<form class="search"' in dom
    for field in ('name="q"', 'name="enterprise_type"', 'name="qualification"'):
        assert field in dom
    for label in ("施工", "监理", "勘察", "设计", "工程质量检测", "招标代理", "造价咨询"):
        assert f">{label}</option>" in dom
    for uscc, name in NAMES.items():
        assert name in dom and f'href="/public/enterprises/{uscc}"' in dom
    assert "第 1 / 3 页" in dom and "下一页" in dom


def test_browser_dom_of_the_detail_page_has_a_section_per_registration(chromium, gateway_url):
    dom = run_chromium(chromium, "--dump-dom", f"{gateway_url}/public/enterprises/{USCC_SHUDAO}")
    assert NAMES[USCC_SHUDAO] in dom
    for enterprise_type in ("construction", "supervision", "cost_consulting"):
        assert f'id="reg-{enterprise_type}"' in dom
    for text in ("XJBS-2026-000123", "XJBS-2026-000125", "12,345,678.90", "510104********1234", "返回企业查询"):
        assert text in dom


def test_browser_shows_the_chinese_404_page_for_an_unknown_enterprise(chromium, gateway_url):
    dom = run_chromium(chromium, "--dump-dom", f"{gateway_url}/public/enterprises/{make_uscc(body8='MA00NNNE')}")
    assert "未找到该企业的公示信息" in dom
