"""Public web pages (进疆企业信息公示): the enterprise search, one enterprise's detail, and the
verification of a printed booklet.

Server-rendered Chinese HTML for anyone, no login and no JavaScript: ``GET /public/``,
``GET /public/enterprises/<uscc>`` and ``GET /public/booklets/<booklet_no>`` (where a printed
booklet's QR code leads): the same data as the public API, read through ``read_public``, which
redacts every string, so a full ID or mobile number can never show on a public page. Query
arguments are checked here (a bad one re-renders the form with a Chinese message, status 400, and
reaches no service); a malformed USCC or booklet number is a 404 without a call. Autoescaping stays on.
"""
import logging
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from flask import Blueprint, render_template, request
from werkzeug.exceptions import HTTPException

from xjkit.booklets import is_booklet_no, normalize_booklet_no
from xjkit.clock import shanghai_date
from xjkit.contract import CERTIFICATE_KIND_LABELS
from xjkit.errors import DomainError
from xjkit.validators import check_uscc, normalize_uscc

from gateway.public_reads import SERVICE, read_public
from gateway.ratelimit import limit_blueprint
from gateway.schemas.filings import ENTERPRISE_TYPES

log = logging.getLogger(__name__)

blp = Blueprint("public-pages", __name__, url_prefix="/public", template_folder="../templates",
                static_folder="../static", static_url_path="/static")
limit_blueprint(blp, "XJ_LIMIT_PUBLIC")  # one budget per client with the public API

PER_PAGE = 20
MAX_PAGE = 10000
MAX_Q_LENGTH = 100
MAX_QUALIFICATION_LENGTH = 50
CACHE_CONTROL = "public, max-age=30"
# no scripts at all; styles and images from this site only
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

MESSAGES = {
    "q_too_long": f"企业名称或统一社会信用代码不能超过{MAX_Q_LENGTH}个字符",
    "qualification_too_long": f"资质名称不能超过{MAX_QUALIFICATION_LENGTH}个字符",
    "bad_characters": "查询条件含有不允许的字符",
    "bad_type": "请从列表中选择企业类型",
    "bad_page": f"页码应为1到{MAX_PAGE}之间的整数",
    "not_found": "未找到该企业的公示信息",
    "not_found_hint": "该企业可能尚未进行进疆信息报送，或其公示已过有效期。请核对统一社会信用代码后重新查询。",
    "booklet_not_found": "报送册编号不正确",
    "booklet_not_found_hint": "请核对纸质报送册封面或页脚上的编号后重新输入，或扫描封面上的二维码。",
    "rate_limited": "访问过于频繁",
    "rate_limited_hint": "您的访问次数超过了限制，请稍等片刻后再刷新页面。批量获取数据请使用公开接口的变更订阅（/api/v1/public/feed）。",
    "unavailable": "公示服务暂时不可用",
    "unavailable_hint": "系统正在维护或访问量较大，请稍后刷新页面重试。",
    "failed": "页面暂时无法显示",
    "failed_hint": "请稍后重试。",
}


# --- filters --------------------------------------------------------------------------------

@blp.app_template_filter("pub_text")
def public_text(value):
    """Text from the service as shown to the public (already redacted by ``read_public``)."""
    if value is None:
        return ""
    return str(value)


@blp.app_template_filter("pub_date")
def public_date(value):
    """The Shanghai date a reader should see: ``2026-11-25`` as it is, an instant such as
    ``2026-11-29T23:18:38+00:00`` converted first (``2026-11-30``)."""
    day = shanghai_date(value)
    return day.isoformat() if day else ""


@blp.app_template_filter("pub_yuan")
def public_yuan(fen):
    """An amount in fen (int) → yuan with thousands separators and 2 decimals: ``123456789`` → ``1,234,567.89``."""
    if fen is None or isinstance(fen, bool):
        return ""
    try:
        amount = Decimal(int(fen)) / 100
    except (TypeError, ValueError, InvalidOperation):
        return ""
    return f"{amount:,.2f}"


@blp.app_template_filter("pub_number")
def public_number(value):
    """Registered capital (万元) and the like: ``5000.0`` → ``5,000``, ``1234.5`` → ``1,234.5``."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return public_text(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


@blp.app_template_filter("pub_kind")
def public_kind(kind):
    return CERTIFICATE_KIND_LABELS.get(kind, kind or "")


@blp.app_template_filter("pub_list")
def public_list(values):
    if not values:
        return ""
    if isinstance(values, str):
        return public_text(values)
    return "、".join(public_text(value) for value in values if value not in (None, ""))


# --- pages ----------------------------------------------------------------------------------

@blp.after_request
def page_headers(response):
    if response.status_code < 500:
        response.headers["Cache-Control"] = CACHE_CONTROL
    else:  # an outage must not be kept by caches for everyone
        response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["Referrer-Policy"] = "same-origin"
    return response


@blp.errorhandler(Exception)
def page_failed(error):
    """Nothing on a public page answers with a stack trace or a JSON body."""
    if isinstance(error, HTTPException):
        status = error.code or 500
        if status == 404:
            return _error_page(404, MESSAGES["not_found"], MESSAGES["not_found_hint"])
        if status == 429:
            page, _ = _error_page(429, MESSAGES["rate_limited"], MESSAGES["rate_limited_hint"])
            return page, 429, getattr(error, "xj_headers", None) or {"Retry-After": "1"}
        return _error_page(status, MESSAGES["failed"], MESSAGES["failed_hint"])
    if isinstance(error, DomainError):
        return _domain_error_page(error)
    log.exception("public page failed")
    return _error_page(500, MESSAGES["failed"], MESSAGES["failed_hint"])


@blp.get("/")
def search():
    form, errors = _read_search_form(request.args)
    context = {"form": form, "types": ENTERPRISE_TYPES, "errors": errors, "result": None}
    if errors:
        return render_template("public/search.html", **context), 400
    result = read_public("search", q=form["q"] or None, enterprise_type=form["enterprise_type"] or None,
                  qualification=form["qualification"] or None, page=form["page"], per_page=PER_PAGE)
    total = int(result.get("total") or 0)
    pages = max(1, math.ceil(total / PER_PAGE))
    filters = {key: form[key] for key in ("q", "enterprise_type", "qualification") if form[key]}
    context.update(result=result, total=total, pages=pages, page=form["page"], filters=filters,
                   filtered=bool(filters))
    return render_template("public/search.html", **context)


@blp.get("/enterprises/<string:uscc>")
def enterprise(uscc):
    code = normalize_uscc(uscc) if len(uscc) <= 64 else ""
    if check_uscc(code) is not None:
        return _error_page(404, MESSAGES["not_found"], MESSAGES["not_found_hint"])
    detail = read_public("enterprise", uscc=code)
    if not detail:
        return _error_page(404, MESSAGES["not_found"], MESSAGES["not_found_hint"])
    return render_template("public/detail.html", enterprise=detail, types=ENTERPRISE_TYPES)


@blp.get("/booklets/<string:booklet_no>")
def booklet(booklet_no):
    """Where a printed booklet's QR code leads: is it authentic, and is it the current one."""
    number = normalize_booklet_no(booklet_no) if len(booklet_no) <= 64 else ""
    if not is_booklet_no(number):
        return _error_page(404, MESSAGES["booklet_not_found"], MESSAGES["booklet_not_found_hint"])
    return render_template("public/booklet.html", result=read_public("verify_booklet", booklet_no=number),
                           types=ENTERPRISE_TYPES)


# --- helpers --------------------------------------------------------------------------------

def _clean(value):
    return unicodedata.normalize("NFKC", value or "").strip()


def _read_search_form(args):
    errors = []
    q = _clean(args.get("q"))
    qualification = _clean(args.get("qualification"))
    enterprise_type = (args.get("enterprise_type") or "").strip()
    raw_page = (args.get("page") or "").strip()

    if len(q) > MAX_Q_LENGTH:
        errors.append(MESSAGES["q_too_long"])
    if len(qualification) > MAX_QUALIFICATION_LENGTH:
        errors.append(MESSAGES["qualification_too_long"])
    if _CONTROL.search(q) or _CONTROL.search(qualification):
        errors.append(MESSAGES["bad_characters"])
    if enterprise_type and enterprise_type not in ENTERPRISE_TYPES:
        errors.append(MESSAGES["bad_type"])
        enterprise_type = ""
    page = 1
    if raw_page:
        if raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE:
            page = int(raw_page)
        else:
            errors.append(MESSAGES["bad_page"])
    if q and len(q) == 18 and check_uscc(q.upper()) is None:
        q = q.upper()  # a USCC typed in lower case still finds the enterprise
    # what the form shows again: never more than the limits, so a long value is not echoed back whole
    form = {"q": q[:MAX_Q_LENGTH], "qualification": qualification[:MAX_QUALIFICATION_LENGTH],
            "enterprise_type": enterprise_type, "page": page}
    return form, errors


def _domain_error_page(error):
    if error.status == 404:
        return _error_page(404, MESSAGES["not_found"], MESSAGES["not_found_hint"])
    if error.status >= 500:
        if error.status != 503:
            log.warning("public page: %s answered %s", SERVICE, error.code)
        return _error_page(503, MESSAGES["unavailable"], MESSAGES["unavailable_hint"])
    log.warning("public page: %s refused with %s", SERVICE, error.code)
    return _error_page(400, MESSAGES["failed"], error.message)


def _error_page(status, title, hint):
    return render_template("public/error.html", status=status, title=title, hint=hint), status
