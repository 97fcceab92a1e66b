"""Booklet numbers (进疆报送册编号): unique, unguessable, and self-checking.

    XJ 01 26 7K3M9QW2HD4R C
    |  |  |  |            └ check character (Luhn mod 32 over the whole number)
    |  |  |  └ 12 random characters (60 bits from ``secrets``): nobody can compute a current number
    |  |  └ the business year it was issued in
    |  └ the enterprise type, one code each (施工 01, 监理 02, 勘察 03, 设计 04, 质量检测 05, 招标代理 06, 造价咨询 07)
    └ the platform

Every change of a registration issues a new number, so an older printed booklet stops being
current. Filing keeps the numbers unique in its store (a unique index); the gateway refuses a
number whose check character is wrong before asking anyone, so a typo never names another booklet.
The alphabet is Crockford's base 32: no I, L, O or U to misread on paper.
"""
import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TYPE_CODES = {
    "construction": "01", "supervision": "02", "survey": "03", "design": "04",
    "quality_testing": "05", "bidding_agency": "06", "cost_consulting": "07",
}
RANDOM_CHARS = 12
PATTERN = re.compile(rf"^XJ({'|'.join(TYPE_CODES.values())})[0-9]{{2}}[{ALPHABET}]{{{RANDOM_CHARS}}}[{ALPHABET}]$")


def check_character(body: str) -> str:
    """Luhn mod 32 over ``body``: catches every single wrong character and most swaps of two."""
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_booklet_no(enterprise_type: str, year: int, choose=secrets.choice) -> str:
    """A fresh number for a registration of ``enterprise_type`` changed in business ``year``."""
    body = f"XJ{TYPE_CODES[enterprise_type]}{year % 100:02d}" + "".join(choose(ALPHABET) for _ in range(RANDOM_CHARS))
    return body + check_character(body)


_SEPARATORS = re.compile(r"[\s\-－—_]+")
# what people misread or mistype on paper, read as Crockford base 32 reads it
_CROCKFORD_READS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalize_booklet_no(text: str) -> str:
    """A number as typed from paper: full-width characters, spaces and dashes, lower case, and
    O/I/L/U after "XJ" are read as the characters they stand for."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(text))).upper()
    return compact[:2] + compact[2:].translate(_CROCKFORD_READS)


def is_booklet_no(text) -> bool:
    """Well formed, of a known type, and its check character right."""
    return isinstance(text, str) and bool(PATTERN.match(text)) and check_character(text[:-1]) == text[-1]


def enterprise_type_of(booklet_no: str) -> str | None:
    code = booklet_no[2:4] if is_booklet_no(booklet_no) else None
    return next((kind for kind, known in TYPE_CODES.items() if known == code), None)
