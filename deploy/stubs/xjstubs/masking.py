"""Masking of personal numbers before anything reaches a log line."""
from __future__ import annotations

import re

# A resident ID number (GB 11643): region code (never starts with 9, unlike a USCC), birth date,
# sequence, check character. Masked as 510104********1234.
_ID_RE = re.compile(r"(?<!\d)([1-8]\d{5})\d{8}(\d{3}[\dXx])(?![\dXx])")
# A mainland mobile number, masked as 138****8000.
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_id(id_card_no: str) -> str:
    """First 6 + ******** + last 4; anything too short to mask that way is hidden whole."""
    if len(id_card_no) < 12:
        return "*" * len(id_card_no)
    return f"{id_card_no[:6]}********{id_card_no[-4:]}"


def mask_sensitive(text: str) -> str:
    """Every ID number and mobile number in free text, masked."""
    text = _ID_RE.sub(r"\1********\2", text)
    return _PHONE_RE.sub(r"\1****\2", text)
