"""The booklet PDF, checked with the real tools a reader has: poppler's pdffonts, pdftotext, pdfinfo
and pdftoppm (Debian package poppler-utils, installed by `make install`).

A sample is written to test-artifacts/booklet-sample.pdf (and its cover to booklet-sample-1.png) so
a human can look at it.
"""
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from reportlab.graphics.barcode.qr import QrCodeWidget

from filing.adapters import booklet
from filing.adapters.booklet import BookletFontError, render_booklet
from xjkit.masking import mask_id_card
from xjkit.testdata import make_id_card, make_uscc

SHANGHAI = timezone(timedelta(hours=8))
GENERATED_AT = datetime(2026, 11, 25, 9, 30, tzinfo=SHANGHAI)
BOOKLET_NO = "XJBS-2026-000123"
VERIFY_URL = f"https://xj.example.gov.cn/api/v1/public/booklets/{BOOKLET_NO}"
PHONE = "13800138000"
LONG_ADDRESS = ("四川省成都市高新区天府大道北段1700号环球中心E1区10楼1008号"
                "（该地址特意写得很长，用来检查表格单元格内的中文能够自动换行而不会超出页面边界）")
# 18 characters, 17 digits and a digit or X, not inside a longer run of digits; 11-digit mobiles
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
FULL_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


# -- tools -------------------------------------------------------------------------------------------

def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing (Debian package poppler-utils): run `make install`")
    return path


def _run(*args):
    return subprocess.run([_tool(args[0]), *args[1:]], check=True, capture_output=True).stdout


def _write(path, pdf):
    with open(path, "wb") as handle:
        handle.write(pdf)
    return str(path)


def _pages_text(pdf_path):
    """The text of each page (pdftotext -layout), in page order."""
    text = _run("pdftotext", "-layout", "-enc", "UTF-8", pdf_path, "-").decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _squeeze(text):
    """Text without whitespace: pdftotext puts spaces between glyphs as it measures them."""
    return re.sub(r"\s+", "", text)


def _page_count(pdf_path):
    info = _run("pdfinfo", pdf_path).decode("utf-8")
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _fonts(pdf_path):
    """pdffonts rows as dicts, columns cut where the dashed rule under the header puts them."""
    lines = _run("pdffonts", pdf_path).decode("utf-8").splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:]
    spans = [match.span() for match in re.finditer(r"-+", rule)]
    names = [header[start:end].strip() for start, end in spans]
    return [{name: row[start:end + 1].strip() for name, (start, end) in zip(names, spans)} for row in rows if row]


# -- sample data ---------------------------------------------------------------------------------------

def _person_id(number):
    return make_id_card(birth=f"19{70 + number % 30:02d}0{1 + number % 9}15", seq=f"{number % 1000:03d}")


def _personnel(count):
    kinds = ("registered", "special_operation", "safety", "title", "tech_worker", "post")
    items = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        full_id = _person_id(number)
        items.append({
            "certificate_id": f"cert-{number}",
            "kind": kind,
            "person_name": f"职工{number:03d}" if number % 7 else f"阿不都热依木·买买提{number:03d}",
            "id_card_masked": mask_id_card(full_id),
            # a 特种作业 certificate number is the holder's full ID number: it must print masked
            "cert_no": full_id if kind == "special_operation" else f"川1512019{number:06d}",
            "type": {"registered": "一级造价工程师", "safety": "C", "title": "高级工程师",
                     "tech_worker": "钢筋工", "post": "施工员"}.get(kind, "电工作业"),
            "specialties": ["土木建筑工程", "安装工程"] if kind == "registered" else [],
            "valid_until": None if kind == "title" else "2027-06-30",
        })
    return items


def _registration(personnel=30, cost_projects=3, enterprise_type="cost_consulting", **overrides):
    manager_id, tech_id = _person_id(901), _person_id(902)
    registration = {
        "uscc": make_uscc(),
        "enterprise_type": enterprise_type,
        "enterprise_name": "四川蜀通工程造价咨询有限责任公司",
        "status": "valid",
        "approved_at": datetime(2026, 3, 2, 10, 15, tzinfo=SHANGHAI),
        "valid_until": "2026-12-31",
        "basic": {
            "name": "四川蜀通工程造价咨询有限责任公司", "legal_representative": "张建国",
            "registered_address": LONG_ADDRESS, "registered_capital_wan": 5000, "established_on": "2008-06-18",
            "contact_name": "李晓梅", "contact_phone": PHONE,
            "xj_office_address": "新疆维吾尔自治区乌鲁木齐市天山区解放北路100号",
        },
        "manager": {"person_id": "person-901", "name": "王志强", "id_card_masked": mask_id_card(manager_id)},
        "tech_manager": {"person_id": "person-902", "name": "古丽娜尔·吐尔逊", "id_card_masked": mask_id_card(tech_id)},
        "qualifications": [
            {"cert_no": "D251012345", "code": "D151", "name": "工程造价咨询企业甲级资质", "grade": "甲级",
             "category": "工程造价咨询", "issued_on": "2021-05-01", "expires_on": "2026-05-01"},
            {"cert_no": "D251012346", "code": "D152", "name": "工程造价咨询企业乙级资质", "grade": "乙级",
             "category": "工程造价咨询", "issued_on": "2020-01-01", "expires_on": "2025-12-31"},
            {"cert_no": "D251012347", "code": "A101", "name": "建筑工程施工总承包", "grade": "一级",
             "category": "施工总承包", "issued_on": "2019-07-12", "expires_on": "2027-07-11"},
        ],
        "personnel": _personnel(personnel),
        "cost_projects": [
            {"project_name": f"乌鲁木齐市城市更新改造项目全过程造价咨询（第{number + 1}标段）", "location_code": "650102",
             "client_name": "乌鲁木齐市城市建设投资（集团）有限公司", "contract_amount_fen": 1234567 + number * 100,
             "contract_signed_on": "2026-04-01", "service_start": "2026-04-10", "service_end": "2027-04-09",
             "lead_person_name": "王志强"}
            for number in range(cost_projects)
        ],
    }
    registration.update(overrides)
    return registration


@pytest.fixture(scope="module")
def sample(artifacts_dir):
    """The sample booklet: its registration, bytes, path and the text of each page."""
    registration = _registration()
    pdf = render_booklet(registration, BOOKLET_NO, VERIFY_URL, GENERATED_AT)
    path = _write(os.path.join(artifacts_dir, "booklet-sample.pdf"), pdf)
    _run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path,
         os.path.join(artifacts_dir, "booklet-sample-1"))
    return {"registration": registration, "pdf": pdf, "path": path, "pages": _pages_text(path)}


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A booklet of an enterprise with 500 filed staff."""
    registration = _registration(personnel=500)
    path = _write(tmp_path_factory.mktemp("booklet") / "large.pdf",
                  render_booklet(registration, BOOKLET_NO, VERIFY_URL, GENERATED_AT))
    return {"registration": registration, "path": path, "pages": _pages_text(path)}


# -- fonts and text ----------------------------------------------------------------------------------------

def test_every_font_of_the_booklet_is_embedded(sample):
    fonts = _fonts(sample["path"])
    assert fonts, "pdffonts lists no font"
    assert [font["name"] for font in fonts if font["emb"] != "yes"] == []
    assert all(font["type"] == "TrueType" and font["uni"] == "yes" for font in fonts), fonts


def test_the_chinese_text_is_extractable_with_the_key_facts(sample):
    text = _squeeze("".join(sample["pages"]))
    registration = sample["registration"]
    for expected in (booklet.TITLE, "四川蜀通工程造价咨询有限责任公司", registration["uscc"], "报送册编号", BOOKLET_NO,
                     "造价咨询", "有效期至", "2026-12-31", "2026-11-25 09:30:00", "工程造价咨询企业甲级资质",
                     registration["personnel"][0]["id_card_masked"], registration["manager"]["id_card_masked"],
                     "古丽娜尔·吐尔逊", "一级造价工程师", "一、企业基本信息",
                     "二、进疆负责人与技术负责人", "三、资质信息（共 3 项）", "四、报送人员（共 30 人）",
                     "五、造价咨询承揽业务（共 3 项）", "六、招标项目填写栏", "5,000 万元"):
        assert _squeeze(expected) in text, expected


def test_a_full_id_number_or_mobile_number_is_never_printed(sample):
    text = "\n".join(sample["pages"])
    assert FULL_ID.findall(text) == []
    assert FULL_MOBILE.findall(text) == []
    special = next(item for item in sample["registration"]["personnel"] if item["kind"] == "special_operation")
    assert special["cert_no"] not in text and mask_id_card(special["cert_no"]) in text
    assert PHONE not in text and "138****8000" in text


def test_contract_amounts_show_in_yuan_with_two_decimals(sample):
    text = "\n".join(sample["pages"])
    assert "12,345.67 元" in text and "12,346.67 元" in text
    assert booklet.format_yuan(1234567) == "12,345.67 元"
    assert booklet.format_yuan(5) == "0.05 元"
    assert booklet.format_yuan(100000000) == "1,000,000.00 元"


def test_every_page_shows_the_booklet_number_and_page_n_of_total(sample, large):
    for pages in (sample["pages"], large["pages"]):
        for number, page in enumerate(pages, 1):
            assert f"报送册编号：{BOOKLET_NO}" in page, number
            assert f"第{number}页/共{len(pages)}页" in _squeeze(page), number


def test_long_text_wraps_inside_the_page_margins(tmp_path):
    registration = _registration(
        enterprise_name="新疆维吾尔自治区某某某某某某建设工程项目管理与工程造价咨询集团股份有限公司乌鲁木齐第一分公司")
    registration["personnel"][2]["type"] = "一级注册造价工程师（土木建筑工程、安装工程、交通运输工程、水利工程）" * 2
    registration["qualifications"][0]["name"] = "工程造价咨询企业甲级资质（含建设项目全过程工程咨询与工程监理综合资质）" * 2
    path = _write(tmp_path / "long.pdf", render_booklet(registration, BOOKLET_NO, VERIFY_URL, GENERATED_AT))
    html = _run("pdftotext", "-bbox", "-enc", "UTF-8", path, "-").decode("utf-8")
    boxes = [(float(x_min), float(x_max), word) for x_min, x_max, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]
    assert boxes
    left, right = booklet.MARGIN_X - 1, booklet.PAGE_WIDTH - booklet.MARGIN_X + 1
    assert [box for box in boxes if box[0] < left or box[1] > right] == []
    assert "交通运输工程" in html and "乌鲁木齐第一分公司" in html.replace("\n", "")


def test_staff_text_prints_as_written_whether_it_fits_on_one_line_or_wraps(tmp_path):
    registration = _registration(personnel=3)
    registration["personnel"][0]["person_name"] = "A&B<i>C"  # fits its column: drawn as it is
    registration["personnel"][1]["person_name"] = "D&E<b>F" + "某" * 20  # too wide: a paragraph that wraps
    path = _write(tmp_path / "markup.pdf", render_booklet(registration, BOOKLET_NO, VERIFY_URL, GENERATED_AT))
    text = _squeeze("".join(_pages_text(path)))
    assert "A&B<i>C" in text and "D&E<b>F某" in text
    assert "&amp;" not in text and "<b>" not in text.replace("D&E<b>F", "")


# -- structure -------------------------------------------------------------------------------------------

def test_500_filed_staff_continue_over_pages_with_the_header_repeated(large):
    assert _page_count(large["path"]) > 10
    pages = large["pages"]
    text = "\n".join(pages)
    assert "四、报送人员（共500人）" in _squeeze(text)
    assert "职工001" in text and "职工499" in text
    staff_pages = [page for page in pages if re.search(r"职工\d{3}", page)]
    assert len(staff_pages) > 10
    for page in staff_pages:
        assert "身份证号（脱敏）" in page and "证书类型与专业" in page
    assert FULL_ID.findall(text) == []


def test_the_cost_section_appears_only_with_cost_projects_and_the_tender_section_follows(sample, tmp_path):
    text = "\n".join(sample["pages"])
    assert text.index("五、造价咨询承揽业务") < text.index("六、招标项目填写栏")
    registration = _registration(cost_projects=0, enterprise_type="construction")
    path = _write(tmp_path / "construction.pdf", render_booklet(registration, BOOKLET_NO, VERIFY_URL, GENERATED_AT))
    text = _squeeze("".join(_pages_text(path)))
    assert "造价咨询承揽业务" not in text
    assert "五、招标项目填写栏" in text and "六、" not in text
    assert "（施工企业）" in text


def test_the_tender_section_offers_ruled_columns_to_fill_in(sample):
    page = next(page for page in sample["pages"] if "招标项目填写栏" in page)
    header = next(line for line in page.splitlines() if "招标编号" in line)
    assert re.search(r"项目名称\s+招标编号\s+投标日期\s+经办人\s+备注", header), header
    assert booklet.TENDER_BLANK_ROWS >= 8


def test_an_expired_registration_says_so_on_the_cover(tmp_path):
    registration = _registration(status="expired")
    path = _write(tmp_path / "expired.pdf", render_booklet(registration, BOOKLET_NO, VERIFY_URL, GENERATED_AT))
    assert re.search(r"登记状态\s+已过期", _pages_text(path)[0])


# -- QR code ----------------------------------------------------------------------------------------------

def _qr_modules(value):
    widget = QrCodeWidget(value, barLevel=booklet.QR_LEVEL)
    widget.qr.make()
    return [[bool(module) for module in row] for row in widget.qr.modules]


def _grey_page(pdf_path, tmp_path, dpi):
    """Page 1 as 8-bit grey pixels (pdftoppm's binary PGM): (width, height, bytes)."""
    prefix = str(tmp_path / "cover")
    _run("pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf_path, prefix)
    with open(prefix + ".pgm", "rb") as handle:
        data = handle.read()
    magic, width, height, maximum, pixels = re.match(rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S).groups()
    assert int(maximum) == 255
    return int(width), int(height), pixels


def _printed_modules(pdf_path, tmp_path, count):
    """Reads the cover's QR square module by module (dark or not) at the centre of each module."""
    dpi = 144
    width, _, pixels = _grey_page(pdf_path, tmp_path, dpi)
    scale = dpi / 72
    box = booklet.QR_SIZE / (count + 2 * booklet.QR_BORDER)
    top = booklet.QR_Y + booklet.QR_SIZE

    def dark(row, column):
        x = booklet.QR_X + (column + booklet.QR_BORDER + 0.5) * box
        y = booklet.PAGE_HEIGHT - (top - (row + booklet.QR_BORDER + 0.5) * box)
        return pixels[round(y * scale) * width + round(x * scale)] < 128

    border = booklet.QR_BORDER
    return [[dark(row, column) for column in range(-border, count + border)] for row in range(-border, count + border)]


def test_the_cover_prints_the_qr_code_of_the_verification_url(sample, tmp_path):
    expected = _qr_modules(VERIFY_URL)
    count = len(expected)
    printed = _printed_modules(sample["path"], tmp_path, count)
    border = booklet.QR_BORDER
    quiet = [printed[r][c] for r in range(len(printed)) for c in range(len(printed))
             if not (border <= r < border + count and border <= c < border + count)]
    assert not any(quiet), "the quiet zone around the QR code is not white"
    assert [row[border:border + count] for row in printed[border:border + count]] == expected
    other = _qr_modules(VERIFY_URL.replace("000123", "000124"))
    assert len(other) != count or other != expected  # the check above can tell two URLs apart
    cover = sample["pages"][0]
    assert booklet.QR_CAPTION in cover and VERIFY_URL in cover


def test_the_same_input_gives_the_same_bytes_and_another_url_changes_them(sample):
    again = render_booklet(sample["registration"], BOOKLET_NO, VERIFY_URL, GENERATED_AT)
    assert again == sample["pdf"]
    other = render_booklet(sample["registration"], BOOKLET_NO, VERIFY_URL + "?v=2", GENERATED_AT)
    assert other != sample["pdf"]


# -- font configuration -----------------------------------------------------------------------------------

def test_a_missing_font_fails_with_an_error_naming_the_package_to_install(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-font.ttc"
    monkeypatch.setenv(booklet.FONT_ENV, str(missing))
    with pytest.raises(BookletFontError) as raised:
        render_booklet(_registration(personnel=1), BOOKLET_NO, VERIFY_URL, GENERATED_AT)
    message = str(raised.value)
    assert str(missing) in message and "fonts-wqy-microhei" in message and booklet.FONT_ENV in message


def test_a_file_that_is_not_a_truetype_font_fails_with_a_clear_error(monkeypatch, tmp_path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"this is not a font" * 10)
    monkeypatch.setenv(booklet.FONT_ENV, str(bogus))
    with pytest.raises(BookletFontError, match="not a usable TrueType font.*fonts-wqy-microhei"):
        render_booklet(_registration(personnel=1), BOOKLET_NO, VERIFY_URL, GENERATED_AT)


def test_the_font_file_comes_from_XJ_BOOKLET_FONT(monkeypatch, tmp_path):
    default = booklet.DEFAULT_FONT_PATH
    if not os.path.isfile(default):
        pytest.fail(f"{default} is missing (Debian package fonts-wqy-microhei): run `make install`")
    copy = tmp_path / "renamed-cjk.ttc"
    os.symlink(default, copy)
    monkeypatch.setenv(booklet.FONT_ENV, str(copy))
    assert booklet.booklet_font_path() == str(copy)
    path = _write(tmp_path / "configured.pdf",
                  render_booklet(_registration(personnel=1), BOOKLET_NO, VERIFY_URL, GENERATED_AT))
    fonts = _fonts(path)
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    monkeypatch.delenv(booklet.FONT_ENV)
    assert booklet.booklet_font_path() == default


def test_the_printer_points_the_qr_code_at_the_public_check_and_uses_its_configured_font():
    calls = []
    printer = booklet.ReportlabBookletPrinter("https://xj.example.cn/", font_path="/fonts/cjk.ttc",
                                              offload=lambda function, *args: calls.append((function, args)) or b"pdf")
    assert printer.render({"uscc": "U"}, "XJ0120260000000000001", "at") == b"pdf"
    assert calls == [(booklet.render_booklet, ({"uscc": "U"}, "XJ0120260000000000001",
                                                "https://xj.example.cn/public/booklets/XJ0120260000000000001",
                                                "at", "/fonts/cjk.ttc"))]
