"""The booklet (进疆报送册): an A4 PDF of one registration, as it stands when it is generated.

``render_booklet(registration, booklet_no, verify_url, generated_at)`` is a pure function: no store,
no broker, no clock. The same arguments give the same bytes (reportlab's invariant mode, with the
PDF's creation date set to ``generated_at``), so a booklet can be cached and compared.

Contents: a cover (title, enterprise, 统一社会信用代码, 企业类型, 报送册编号, 有效期至, 生成时间 and the QR
code of the public verification URL), then 一、企业基本信息 · 二、进疆负责人与技术负责人 · 三、资质信息 ·
四、报送人员 (a table that continues over as many pages as needed, its header repeated) ·
五、造价咨询承揽业务 (only when there are cost projects; otherwise the next section takes its number) ·
招标项目填写栏 (ruled blank rows the tenderer fills in by hand). Every page carries the booklet
number and 第 N 页 / 共 M 页.

Fonts: one TrueType CJK font, embedded (subset) so the booklet prints the same everywhere and its
text can be extracted. reportlab's built-in CID fonts (STSong-Light) are *not* embedded, so they are
not used. The font file is ``$XJ_BOOKLET_FONT``, by default WenQuanYi Micro Hei from the Debian
package ``fonts-wqy-microhei``; a missing or unusable font raises ``BookletFontError``.

Personal data: ID numbers only ever arrive masked (``id_card_masked``); the contact phone is masked
here. As a second line of defence every text taken from the registration (except the USCC, which is
public) passes ``xjkit.masking.redact_text``, so an ID-number-like or mobile-like token in any field
(a 特种作业 certificate number is often the holder's ID number) is printed masked.
"""
import io
import os
import threading
from datetime import date, datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Frame, KeepTogether, LongTable, NextPageTemplate, PageBreak, PageTemplate,
    Paragraph, Spacer, Table, TableStyle,
)

from xjkit.contract import CERTIFICATE_KIND_LABELS, ENTERPRISE_TYPES
from xjkit.masking import mask_phone, redact_text

from filing.service_layer import ports

FONT_ENV = "XJ_BOOKLET_FONT"
DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT_PACKAGE = "fonts-wqy-microhei"

TITLE = "区外进疆企业信息报送册"
QR_CAPTION = "扫码核验本报送册的真实性与时效"
TENDER_SECTION = "招标项目填写栏"
TENDER_COLUMNS = ("项目名称", "招标编号", "投标日期", "经办人", "备注")
TENDER_BLANK_ROWS = 8

ENTERPRISE_TYPE_LABELS = ENTERPRISE_TYPES
STATUS_LABELS = {"valid": "有效", "expired": "已过期"}
SECTION_NUMBERS = "一二三四五六七八九十"
SHANGHAI = ZoneInfo("Asia/Shanghai")
EMPTY = "—"

# Page geometry (points; reportlab's origin is the bottom-left corner).
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
# The cover's QR code: a fixed square, centred, so a scanner (and a test) knows where it is.
QR_LEVEL = "M"
QR_BORDER = 4  # quiet zone, in modules
QR_SIZE = 50 * mm
QR_X = (PAGE_WIDTH - QR_SIZE) / 2
QR_Y = 52 * mm
COVER_FRAME_BOTTOM = QR_Y + QR_SIZE + 6 * mm

INK = colors.HexColor("#1F2933")
GREY = colors.HexColor("#616E7C")
RULE = colors.HexColor("#9AA5B1")
HEADER_FILL = colors.HexColor("#E4EBF2")
STRIPE_FILL = colors.HexColor("#F5F7FA")
ALERT = colors.HexColor("#B42318")


class BookletFontError(RuntimeError):
    """The CJK font the booklet embeds is missing or unusable."""


# -- font ------------------------------------------------------------------------------------------

_fonts = {}  # font file path -> registered reportlab font name
_fonts_lock = threading.Lock()


def booklet_font_path(configured=None) -> str:
    """The font file: the service's setting (config.yml BOOKLET_FONT), else XJ_BOOKLET_FONT (tools
    and tests that render without a service), else the Debian package's file."""
    return configured or os.environ.get(FONT_ENV) or DEFAULT_FONT_PATH


def _font_name(configured=None) -> str:
    """Registers the configured TrueType font once per path and returns its reportlab name."""
    path = booklet_font_path(configured)
    with _fonts_lock:
        name = _fonts.get(path)
        if name:
            return name
        if not os.path.isfile(path):
            raise BookletFontError(
                f"booklet font not found: {path}. Install the Debian package {FONT_PACKAGE} "
                f"(`apt-get install {FONT_PACKAGE}`, or `make install`), or set {FONT_ENV} to a "
                f"TrueType CJK font file (.ttf/.ttc)")
        name = f"XJBookletCJK{len(_fonts)}"
        try:
            # subfontIndex selects the face in a TrueType collection (.ttc); ignored for a .ttf
            font = TTFont(name, path, subfontIndex=0)
        except (TTFError, OSError, ValueError) as error:
            raise BookletFontError(
                f"booklet font {path} is not a usable TrueType font ({error}). Install the Debian "
                f"package {FONT_PACKAGE} or set {FONT_ENV} to a TrueType CJK font file (.ttf/.ttc)") from error
        pdfmetrics.registerFont(font)
        # no bold or italic face: <b>/<i> in a paragraph fall back to the same font
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _fonts[path] = name
        return name


# -- formatting ------------------------------------------------------------------------------------

def _text(value) -> str:
    """Text from the registration for the page: empty → —, ID/mobile-like tokens masked."""
    if value is None:
        return EMPTY
    text = str(value).strip()
    return redact_text(text) if text else EMPTY


def _instant(value, seconds=False) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # naive means Asia/Shanghai
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _date(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime):
        return _instant(value)[:10]
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def format_yuan(fen) -> str:
    """Fen (int) → yuan with two decimals and thousands separators: 1234567 → ``12,345.67 元``."""
    if fen is None:
        return EMPTY
    fen = int(fen)
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan:,}.{cents:02d} 元"


def format_wan(amount) -> str:
    """Registered capital in 万元: 5000 → ``5,000 万元``, 1234.5 → ``1,234.5 万元``."""
    if amount is None or amount == "":
        return EMPTY
    text = f"{float(amount):,.6f}".rstrip("0").rstrip(".")
    return f"{text} 万元"


def enterprise_type_label(enterprise_type) -> str:
    return ENTERPRISE_TYPE_LABELS.get(enterprise_type, _text(enterprise_type))


# -- styles ----------------------------------------------------------------------------------------

class _Styles:
    def __init__(self, font):
        self.font = font

        def style(name, size, leading, **extra):
            return ParagraphStyle(name, **{"fontName": font, "fontSize": size, "leading": leading,
                                           "textColor": INK, "wordWrap": "CJK", **extra})

        self.title = style("title", 26, 34, alignment=TA_CENTER, spaceAfter=4 * mm)
        self.subtitle = style("subtitle", 12, 16, alignment=TA_CENTER, textColor=GREY)
        self.cover_label = style("cover_label", 12, 16, textColor=GREY)
        self.cover_value = style("cover_value", 12, 16)
        self.note = style("note", 9, 13, textColor=GREY)
        self.heading = style("heading", 14, 20, spaceBefore=6 * mm, spaceAfter=3 * mm)
        self.cell = style("cell", 9, 12)
        self.cell_small = style("cell_small", 8, 10.5)
        self.head = style("head", 9, 12, alignment=TA_CENTER)
        self.head_small = style("head_small", 8, 10.5, alignment=TA_CENTER)
        self.label = style("label", 9, 12, textColor=GREY)
        self.url = style("url", 8, 10, alignment=TA_CENTER, textColor=GREY)
        self.caption = style("caption", 11, 14, alignment=TA_CENTER)

    def p(self, text, style=None):
        """A paragraph of plain text (escaped: names and addresses are not markup)."""
        return Paragraph(escape(text), style or self.cell)

    def fitted(self, text, width, style=None):
        """A table cell of ``width`` points: the text itself when it fits on one line, else a
        paragraph that wraps. A plain string is drawn as it is, while a paragraph is parsed, broken
        into lines and measured again each time its table is laid out (a long table: several times
        per row), so in the 报送人员 table of 500 rows most of the rendering time went to cells
        of one short line. The table's own style sets the string's font, size and colour."""
        style = style or self.cell_small
        line = " ".join(text.split())  # a paragraph collapses whitespace the same way
        if pdfmetrics.stringWidth(line, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING:
            return line
        return self.p(text, style)


CELL_PADDING = 3  # left and right, in every table (_grid)


def _grid(font, size=9, header=True, stripes=False):
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    if stripes:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE_FILL]))
    return commands


def _widths(*millimetres):
    assert abs(sum(millimetres) * mm - CONTENT_WIDTH) < 0.5, sum(millimetres)
    return [value * mm for value in millimetres]


# -- sections --------------------------------------------------------------------------------------

def _cover(registration, booklet_no, generated_at, st):
    status = registration.get("status")
    status_text = STATUS_LABELS.get(status, _text(status))
    rows = [
        ("企业名称", _text(registration.get("enterprise_name") or (registration.get("basic") or {}).get("name"))),
        ("统一社会信用代码", str(registration.get("uscc") or EMPTY)),
        ("企业类型", enterprise_type_label(registration.get("enterprise_type"))),
        ("报送册编号", booklet_no),
        ("登记状态", status_text),
        ("登记核准时间", _instant(registration.get("approved_at"))),
        ("有效期至", _date(registration.get("valid_until"))),
        ("生成时间", _instant(generated_at, seconds=True)),
    ]
    data = [[st.p(label, st.cover_label), st.p(value, st.cover_value)] for label, value in rows]
    if status != "valid":
        data[4][1] = st.p(status_text, ParagraphStyle("alert", parent=st.cover_value, textColor=ALERT))
    table = Table(data, colWidths=[42 * mm, 112 * mm], hAlign="CENTER")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), st.font),  # a table selects its cell font even for paragraphs
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    table.setStyle(TableStyle(commands))
    note = ("本报送册依据生成时的进疆登记信息生成。登记信息变更或延续后，将生成新的报送册编号，"
            "原编号即不再为现行版本；使用前请扫描下方二维码或访问核验地址，核验本报送册的真实性与时效。")
    return [
        Spacer(1, 16 * mm),
        Paragraph(TITLE, st.title),
        Paragraph(escape(f"（{enterprise_type_label(registration.get('enterprise_type'))}企业）"), st.subtitle),
        Spacer(1, 14 * mm),
        table,
        Spacer(1, 8 * mm),
        Paragraph(note, st.note),
    ]


class _Headings:
    def __init__(self, st):
        self.st = st
        self.count = 0

    def __call__(self, title):
        self.count += 1
        return Paragraph(escape(f"{SECTION_NUMBERS[self.count - 1]}、{title}"), self.st.heading)


def _basic(registration, st, heading):
    basic = registration.get("basic") or {}
    label = lambda text: st.p(text, st.label)  # noqa: E731
    value = st.p
    data = [
        [label("企业名称"), value(_text(basic.get("name") or registration.get("enterprise_name"))), "", ""],
        [label("统一社会信用代码"), value(str(registration.get("uscc") or EMPTY)),
         label("企业类型"), value(enterprise_type_label(registration.get("enterprise_type")))],
        [label("法定代表人"), value(_text(basic.get("legal_representative"))),
         label("注册资本"), value(format_wan(basic.get("registered_capital_wan")))],
        [label("成立日期"), value(_date(basic.get("established_on"))),
         label("有效期至"), value(_date(registration.get("valid_until")))],
        [label("注册地址"), value(_text(basic.get("registered_address"))), "", ""],
        [label("联系人"), value(_text(basic.get("contact_name"))),
         label("联系电话"), value(mask_phone(basic.get("contact_phone")) or EMPTY)],
        [label("驻疆办公地址"), value(_text(basic.get("xj_office_address")) if basic.get("xj_office_address")
                                     else "未填写"), "", ""],
    ]
    table = Table(data, colWidths=_widths(30, 57, 30, 57))
    commands = _grid(st.font, header=False) + [
        ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
        ("BACKGROUND", (2, 1), (2, 3), HEADER_FILL),
        ("BACKGROUND", (2, 5), (2, 5), HEADER_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for row in (0, 4, 6):
        commands.append(("SPAN", (1, row), (3, row)))
    table.setStyle(TableStyle(commands))
    return [heading("企业基本信息"), table]


def _managers(registration, st, heading):
    data = [[st.p(text, st.head) for text in ("职务", "姓名", "身份证号（脱敏）")]]
    for role, key in (("进疆负责人", "manager"), ("技术负责人", "tech_manager")):
        person = registration.get(key) or {}
        data.append([st.p(role), st.p(_text(person.get("name"))), _text(person.get("id_card_masked"))])
    table = Table(data, colWidths=_widths(40, 67, 67), repeatRows=1)
    table.setStyle(TableStyle(_grid(st.font) + [("ALIGN", (2, 1), (2, -1), "CENTER")]))
    return [heading("进疆负责人与技术负责人"), table]


def _numbered_table(st, heading, title, labels, rows, widths, centered=(), empty_text=None):
    """A striped list of numbered rows under a header row, split over as many pages as needed with
    the header repeated on each (the time is linear in the rows). The number column and the columns
    ``centered`` are centred; without rows, ``empty_text`` fills one row across the table."""
    data = [[st.p(text, st.head_small) for text in labels]] + rows
    empty = not rows and empty_text is not None
    if empty:
        data.append([st.p(empty_text, st.cell_small)] + [""] * (len(labels) - 1))
    table = LongTable(data, colWidths=widths, repeatRows=1)
    commands = _grid(st.font, size=8, stripes=True) + [
        ("ALIGN", (column, 1), (column, -1), "CENTER") for column in (0, *centered)]
    if empty:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(commands))
    return [heading(title), table]


def _qualifications(registration, st, heading):
    items = registration.get("qualifications") or []
    rows = []
    for number, item in enumerate(items, 1):
        name = _text(item.get("name"))
        if item.get("code"):
            name = f"{name}（{_text(item.get('code'))}）"
        rows.append([str(number), st.p(_text(item.get("cert_no")), st.cell_small), st.p(name, st.cell_small),
                     st.p(_text(item.get("category")), st.cell_small), st.p(_text(item.get("grade")), st.cell_small),
                     _date(item.get("issued_on")), _date(item.get("expires_on"))])
    return _numbered_table(st, heading, f"资质信息（共 {len(items)} 项）",
                           ("序号", "资质证书编号", "资质名称", "资质类别", "等级", "发证日期", "有效期至"),
                           rows, _widths(10, 34, 50, 22, 18, 20, 20), empty_text="（无资质信息）")


def _personnel(registration, st, heading):
    items = registration.get("personnel") or []
    widths = _widths(9, 22, 32, 19, 32, 40, 20)
    rows = []
    for number, item in enumerate(items, 1):
        kind = item.get("kind")
        specialties = "、".join(_text(value) for value in item.get("specialties") or [])
        kind_text = _text(item.get("type"))
        if specialties:
            kind_text = f"{kind_text}：{specialties}" if item.get("type") else specialties
        rows.append([
            str(number),
            st.fitted(_text(item.get("person_name")), widths[1]),
            _text(item.get("id_card_masked")),
            st.fitted(CERTIFICATE_KIND_LABELS.get(kind, _text(kind)), widths[3]),
            st.fitted(_text(item.get("cert_no")), widths[4]),
            st.fitted(kind_text, widths[5]),
            _date(item.get("valid_until")),
        ])
    return _numbered_table(st, heading, f"报送人员（共 {len(items)} 人）",
                           ("序号", "姓名", "身份证号（脱敏）", "证书类别", "证书编号", "证书类型与专业", "有效期至"),
                           rows, widths, centered=(2, 6), empty_text="（无报送人员）")


def _cost_projects(registration, st, heading):
    items = registration.get("cost_projects") or []
    rows = [[
        str(number),
        st.p(_text(item.get("project_name")), st.cell_small),
        _text(item.get("location_code")),
        st.p(_text(item.get("client_name")), st.cell_small),
        st.p(format_yuan(item.get("contract_amount_fen")), st.cell_small),
        _date(item.get("contract_signed_on")),
        st.p(f"{_date(item.get('service_start'))} 至 {_date(item.get('service_end'))}", st.cell_small),
        st.p(_text(item.get("lead_person_name")), st.cell_small),
    ] for number, item in enumerate(items, 1)]
    return _numbered_table(st, heading, f"造价咨询承揽业务（共 {len(items)} 项）",
                           ("序号", "项目名称", "项目地点（区划代码）", "委托单位", "合同金额", "合同签订日期", "服务期限",
                            "项目负责人"),
                           rows, _widths(9, 35, 19, 30, 23, 19, 22, 17), centered=(2, 5))


def _tender(st, heading):
    intro = Paragraph("以下由招标人（招标代理机构）在使用本报送册时填写。", st.note)
    data = [[st.p(text, st.head) for text in TENDER_COLUMNS]]
    data += [[""] * len(TENDER_COLUMNS) for _ in range(TENDER_BLANK_ROWS)]
    table = Table(data, colWidths=_widths(54, 34, 24, 22, 40),
                  rowHeights=[None] + [10 * mm] * TENDER_BLANK_ROWS)
    table.setStyle(TableStyle(_grid(st.font)))
    signature = Paragraph("招标人（招标代理机构）经办人签字：____________________　　"
                          "日期：________年____月____日", st.cell)
    return [KeepTogether([heading(TENDER_SECTION), intro, Spacer(1, 2 * mm), table, Spacer(1, 6 * mm),
                          signature])]


# -- pages -----------------------------------------------------------------------------------------

def _draw_qr(canvas, verify_url, st):
    # The widget encodes and lays out the modules; its dark rectangles are painted here directly
    # (renderPDF would also select its default Helvetica, an unembedded font, into the page).
    widget = QrCodeWidget(verify_url, barLevel=QR_LEVEL, barBorder=QR_BORDER, barWidth=QR_SIZE,
                          barHeight=QR_SIZE, x=QR_X, y=QR_Y)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for shape in widget.draw().contents:
        if shape.fillColor is not None:
            canvas.rect(shape.x, shape.y, shape.width, shape.height, stroke=0, fill=1)
    canvas.restoreState()
    caption = Paragraph(QR_CAPTION, st.caption)
    _, height = caption.wrap(CONTENT_WIDTH, 20 * mm)
    caption.drawOn(canvas, MARGIN_X, QR_Y - 2 * mm - height)
    url = Paragraph(escape(verify_url), st.url)
    _, url_height = url.wrap(CONTENT_WIDTH - 30 * mm, 20 * mm)
    url.drawOn(canvas, MARGIN_X + 15 * mm, QR_Y - 4 * mm - height - url_height)


def _fit(text, font, size, width):
    """``text`` shortened with an ellipsis so that it fits ``width`` on one line."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _canvas_maker(font, booklet_no, running_head, generated_at):
    """A canvas class that holds the pages back until the end, to print 第 N 页 / 共 M 页 on each."""
    stamp = datetime.fromisoformat(_instant(generated_at, seconds=True)).strftime("D:%Y%m%d%H%M%S+08'00'")

    class BookletCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: stamp)  # the creation date is generated_at, not now
            self._held_pages = []

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                self._page_furniture(total)
                super().showPage()
            super().save()

        def _page_furniture(self, total):
            number = self.getPageNumber()
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.setFillColor(GREY)
            if number > 1:
                self.setFont(font, 8)
                head = _fit(running_head, font, 8, CONTENT_WIDTH - 50 * mm)
                self.drawString(MARGIN_X, PAGE_HEIGHT - 13 * mm, head)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 13 * mm, TITLE)
                self.line(MARGIN_X, PAGE_HEIGHT - 15 * mm, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 15 * mm)
            self.line(MARGIN_X, 14 * mm, PAGE_WIDTH - MARGIN_X, 14 * mm)
            self.setFont(font, 8.5)
            self.drawString(MARGIN_X, 9.5 * mm, f"报送册编号：{booklet_no}")
            self.drawRightString(PAGE_WIDTH - MARGIN_X, 9.5 * mm, f"第 {number} 页 / 共 {total} 页")
            self.restoreState()

    return BookletCanvas


def render_booklet(registration: dict, booklet_no: str, verify_url: str, generated_at: datetime,
                   font_path: str | None = None) -> bytes:
    """The booklet of ``registration`` as PDF bytes. Raises ``BookletFontError`` without a usable font."""
    font = _font_name(font_path)
    st = _Styles(font)
    enterprise_name = _text(registration.get("enterprise_name") or (registration.get("basic") or {}).get("name"))
    type_label = enterprise_type_label(registration.get("enterprise_type"))

    def cover_page(canvas, doc):
        _draw_qr(canvas, verify_url, st)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{TITLE} {booklet_no}", author=enterprise_name,
        subject=f"{enterprise_name}（{type_label}）进疆报送册", creator="xjcloud filing-svc",
        keywords=[booklet_no, str(registration.get("uscc") or "")], invariant=1, lang="zh-CN",
        initialFontName=font, initialFontSize=10,
    )
    cover_frame = Frame(MARGIN_X, COVER_FRAME_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - COVER_FRAME_BOTTOM,
                        id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body_frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                       id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("cover", [cover_frame], onPage=cover_page),
                          PageTemplate("body", [body_frame])])

    heading = _Headings(st)
    story = _cover(registration, booklet_no, generated_at, st)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _basic(registration, st, heading)
    story += _managers(registration, st, heading)
    story += _qualifications(registration, st, heading)
    story += _personnel(registration, st, heading)
    if registration.get("cost_projects"):
        story += _cost_projects(registration, st, heading)
    story += _tender(st, heading)

    running_head = f"{enterprise_name}（{type_label}）"
    doc.build(story, canvasmaker=_canvas_maker(font, booklet_no, running_head, generated_at))
    return buffer.getvalue()


class ReportlabBookletPrinter(ports.BookletPrinter):
    """Renders with reportlab off the eventlet hub (a few hundred ms of CPU: other workers go on);
    the QR code points at ``<public_base_url>/public/booklets/<number>``."""

    def __init__(self, public_base_url, font_path=None, offload=None):
        self.public_base_url = (public_base_url or "http://127.0.0.1:8000").rstrip("/")
        self.font_path = font_path or None
        self.offload = offload or (lambda function, *args: function(*args))

    def render(self, registration, booklet_no, generated_at):
        verify_url = f"{self.public_base_url}/public/booklets/{booklet_no}"
        return self.offload(render_booklet, registration, booklet_no, verify_url, generated_at, self.font_path)
