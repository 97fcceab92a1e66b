"""Valid identifiers for tests and seed data: the check characters are computed, never typed in.

Any test that needs a real-looking ID number or credit code builds one here, so tests do not
depend on hand-copied numbers that may belong to real people or companies.
"""
import re

from xjkit.validators import (
    check_id_card, check_uscc, id_card_check_char, org_code_check_char, uscc_check_char,
)


def make_id_card(region="510104", birth="19900101", seq="123") -> str:
    """An 18-character resident ID number with a correct GB 11643 check character.

    ``seq`` (3 digits) varies the number; its last digit is odd for men and even for women.
    The birth date must be real and not in the future (ValueError otherwise).
    """
    first17 = f"{region}{birth}{seq}"
    if not re.fullmatch(r"[0-9]{6}", region) or not re.fullmatch(r"[0-9]{8}", birth) \
            or not re.fullmatch(r"[0-9]{3}", seq):
        raise ValueError("region: 6 digits, birth: YYYYMMDD, seq: 3 digits")
    return _valid(first17 + id_card_check_char(first17), check_id_card)


def make_uscc(region="510100", body8="MA6CXXXX", authority="9", kind="1") -> str:
    """An 18-character unified social credit code with both check characters computed.

    Defaults give a company (9 工商, 1 企业) registered in Chengdu; pass ``region="650100"`` for a
    Xinjiang one. ``body8`` is the organisation code body; vary it for distinct codes.
    """
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ValueError("region: 6 digits")
    first17 = f"{authority}{kind}{region}{body8}{org_code_check_char(body8)}"
    return _valid(first17 + uscc_check_char(first17), check_uscc)


def _valid(value, check):
    # A helper that quietly produced an invalid number would make tests pass for the wrong reason.
    problem = check(value)
    if problem:
        raise ValueError(f"{value}: {problem}")
    return value
