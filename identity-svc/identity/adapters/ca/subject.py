"""The enterprise's unified social credit code (统一社会信用代码, USCC) and display name in a certificate subject.

Chinese CAs put the USCC in ``serialNumber`` (2.5.4.5), ``OU`` or ``CN``, sometimes alone
(``serialNumber=91510100MA6CXXXX5X``), sometimes inside a longer value (``CN=041@91510100…@公司名@1``,
``serialNumber=SF91510100…``). Every 18-character token passing ``xjkit.validators.check_uscc``
(GB 32100 with its GB 11714 body check) counts; whole tokens are preferred to tokens glued to other
letters, and serialNumber to OU to CN.
"""

import re
from datetime import date

from cryptography import x509
from cryptography.x509.oid import NameOID
from xjkit.validators import check_id_card, check_uscc

USCC_ATTRIBUTES = (NameOID.SERIAL_NUMBER, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.COMMON_NAME)
_RUN = re.compile(r"[0-9A-Za-z]+")
# 17 digits and a digit or X, not inside a longer run of digits: "110101199003071234",
# "SF11010119900307123X", "041@Z110101199003071234@张三@1" (personal certificates of Chinese CAs)
_RESIDENT_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def is_valid_uscc(value: str) -> bool:
    """GB 32100 (check character) and its GB 11714 organisation-code check, as everywhere in xjcloud."""
    return check_uscc(value) is None


def find_uscc(subject: x509.Name) -> str | None:
    """The first USCC in the subject's serialNumber, OU or CN attributes, or None."""
    values = [value.upper() for value in _attribute_values(subject)]
    runs = [match.group() for value in values for match in _RUN.finditer(value)]
    for run in runs:  # a whole token: "91510100MA6CXXXX5X", "041@91510100MA6CXXXX5X@…"
        if len(run) == 18 and is_valid_uscc(run):
            return run
    for run in runs:  # glued to a prefix or suffix: "SF91510100MA6CXXXX5X"
        if len(run) > 18:
            for start in range(len(run) - 17):
                if is_valid_uscc(run[start : start + 18]):
                    return run[start : start + 18]
    return None


def find_resident_id(subject: x509.Name, today: date | None = None) -> str | None:
    """A resident ID number (GB 11643: region, birth date, check digit) in the subject's
    serialNumber, OU or CN attributes, or None. Such a subject is a person, even when the number
    also happens to pass GB 32100 as a credit code."""
    for value in _attribute_values(subject):
        for match in _RESIDENT_ID.finditer(value):
            if check_id_card(match.group().upper(), today) is None:
                return match.group().upper()
    return None


def _attribute_values(subject: x509.Name) -> list[str]:
    return [
        str(attribute.value)
        for oid in USCC_ATTRIBUTES
        for attribute in subject.get_attributes_for_oid(oid)
        if isinstance(attribute.value, str)
    ]


def display_name(subject: x509.Name) -> str:
    """The organisation name (O), else the common name (CN), else the whole subject."""
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        for attribute in subject.get_attributes_for_oid(oid):
            if isinstance(attribute.value, str) and attribute.value.strip():
                return attribute.value.strip()
    return subject.rfc4514_string()
