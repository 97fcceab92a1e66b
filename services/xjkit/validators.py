"""Checks for Chinese identifiers: resident ID numbers, unified social credit codes, mobiles.

Each ``check_*`` returns ``None`` when the value is valid and a Chinese message otherwise, so the
gateway (marshmallow) and the domain layer report the same words. Checks do not normalise: call
``normalize_*`` first and store the normalised value.
"""
import re
import unicodedata
from datetime import date

from xjkit.clock import SystemClock

# --- resident ID number, GB 11643-1999 ------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # index = weighted sum mod 11 (ISO 7064 MOD 11-2)
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")  # [0-9], not \d: \d also matches non-ASCII digits
_PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
     *range(61, 66), 71, 81, 82, 83, 91]
)
_EARLIEST_BIRTH = date(1900, 1, 1)


def _canonical(value) -> str:
    """NFKC (full-width characters typed on phones become ASCII), trimmed, upper-case; "" for None."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


def _not_18_characters(value, name) -> str | None:
    """Why ``value`` is not a string of 18 characters (in words naming ``name``), else None."""
    if value is None or value == "":
        return f"{name}不能为空"
    if not isinstance(value, str):
        return f"{name}格式不正确"
    if len(value) != 18:
        return f"{name}应为18位"
    return None


def normalize_id_card(value) -> str:
    """Canonical form: NFKC (full-width digits typed on phones become ASCII), trimmed, upper-case X."""
    return _canonical(value)


def id_card_check_char(first17: str) -> str:
    """The GB 11643 check character for 17 ASCII digits."""
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise ValueError("need exactly 17 digits")
    return _ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def check_id_card(value, today: date | None = None) -> str | None:
    """``None`` when valid, else why not. ``today`` bounds the birth date (pass ``clock.today()``)."""
    problem = _not_18_characters(value, "身份证号码")
    if problem:
        return problem
    if not _ID_SHAPE.fullmatch(value):
        return "身份证号码格式不正确，应为17位数字加1位数字或X"
    if int(value[:2]) not in _PROVINCES:
        return "身份证号码地区码无效"
    if not _valid_birth(value[6:14], today or SystemClock().today()):
        return "身份证号码出生日期无效"
    if id_card_check_char(value[:17]) != value[17].upper():
        return "身份证号码校验位错误"
    return None


def _valid_birth(yyyymmdd, today):
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:  # 19900230 and the like
        return False
    return _EARLIEST_BIRTH <= born <= today


# --- unified social credit code, GB 32100-2015 (with its GB 11714 organisation code) --------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O Z S V: they look like 1 0 2 5 U
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Registration authorities of GB 32100 (1 机构编制 … 9 工商, A 军队, N 农业, Y 其他).
_USCC_AUTHORITIES = frozenset("123456789ANY")


def normalize_uscc(value) -> str:
    """Canonical form: NFKC, trimmed, upper-case."""
    return _canonical(value)


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character for the 8-character organisation code body."""
    if not re.fullmatch(r"[0-9A-Z]{8}", body8):
        raise ValueError("need 8 characters from 0-9 and A-Z")
    total = sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char):
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise ValueError("need 17 characters from the USCC charset")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(value) -> str | None:
    """``None`` when valid, else why not. Letters are compared case-insensitively."""
    problem = _not_18_characters(value, "统一社会信用代码")
    if problem:
        return problem
    code = value.upper()
    if any(c not in USCC_CHARSET for c in code):
        return "统一社会信用代码含有非法字符"
    if code[0] not in _USCC_AUTHORITIES:
        return "统一社会信用代码登记管理部门代码无效"
    # Institution types are digits 1-9 under every authority; the full per-authority table keeps
    # changing with amendments, so a stricter check would refuse real codes.
    if code[1] not in "123456789":
        return "统一社会信用代码机构类别代码无效"
    if not code[2:8].isdigit():
        return "统一社会信用代码行政区划码无效"
    # The whole-code check first: it catches any single typo, wherever it is.
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误"
    if org_code_check_char(code[8:16]) != code[16]:
        return "统一社会信用代码中的组织机构代码校验位错误"
    return None


def uscc_region_code(uscc: str) -> str:
    """Positions 3-8: the registering authority's administrative region (call after ``check_uscc``)."""
    code = normalize_uscc(uscc)
    if len(code) != 18:
        raise ValueError("a unified social credit code has 18 characters")
    return code[2:8]


def is_xinjiang_uscc(uscc: str) -> bool:
    """Registered in Xinjiang (65…) or with the XPCC (66…): such enterprises need no 进疆 filing."""
    return uscc_region_code(uscc).startswith(("65", "66"))


# --- mainland mobile number ---------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def check_mobile(value) -> str | None:
    if value is None or value == "":
        return "手机号码不能为空"
    if not isinstance(value, str) or not _MOBILE.fullmatch(value):
        return "手机号码格式不正确"
    return None
