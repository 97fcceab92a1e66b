"""Where a certificate subject carries the enterprise's unified social credit code, and its display name."""

import json

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from identity.adapters.ca.subject import display_name, find_uscc, is_valid_uscc
from xjstubs.config import DEFAULT_NATIONAL_DATA

USCC = "9151010029141777XB"
OTHER = "91610100859574891U"
BAD_CHECK = USCC[:-1] + "A"
DATASET = DEFAULT_NATIONAL_DATA  # the development dataset in the repository


def name(*pairs) -> x509.Name:
    oids = {"CN": NameOID.COMMON_NAME, "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
            "serialNumber": NameOID.SERIAL_NUMBER, "C": NameOID.COUNTRY_NAME, "L": NameOID.LOCALITY_NAME,
            "emailAddress": NameOID.EMAIL_ADDRESS}
    return x509.Name([x509.NameAttribute(oids[key], value) for key, value in pairs])


def test_every_uscc_of_the_national_platform_dataset_is_valid():
    for enterprise in json.loads(DATASET.read_text(encoding="utf-8"))["enterprises"]:
        assert is_valid_uscc(enterprise["uscc"]), enterprise["uscc"]


@pytest.mark.parametrize("value", [BAD_CHECK, USCC[:17], USCC + "0", "9151010029141777IB", "", "9151010029141777XB "])
def test_codes_failing_gb_32100_are_not_usccs(value):
    assert not is_valid_uscc(value)


@pytest.mark.parametrize(
    "subject",
    [
        name(("serialNumber", USCC)),
        name(("OU", USCC)),
        name(("CN", USCC)),
        name(("CN", f"041@{USCC}@黄河建设@00000001")),  # CFCA style
        name(("serialNumber", f"SF{USCC}")),  # a prefix glued on
        name(("serialNumber", f"{USCC}01")),  # a suffix glued on
        name(("OU", "Organizational-1"), ("OU", f"USCC:{USCC}")),
        name(("serialNumber", USCC.lower())),
    ],
    ids=["serialNumber", "OU", "CN", "CN-cfca", "prefix", "suffix", "second-OU", "lower-case"],
)
def test_uscc_is_found_in_serial_number_ou_or_cn(subject):
    assert find_uscc(subject) == USCC


@pytest.mark.parametrize(
    "subject",
    [
        name(("CN", "四川黄河建设集团有限公司"), ("O", "四川黄河建设集团有限公司")),
        name(("serialNumber", BAD_CHECK)),
        name(("O", USCC)),  # not an attribute the contract names
        name(("L", USCC), ("emailAddress", f"{USCC}@example.com")),
        name(("serialNumber", "1234567890ABCDEFGH")),
        name(("serialNumber", USCC[:10] + "-" + USCC[10:])),
    ],
    ids=["none", "bad-check", "in-O-only", "other-attributes", "not-a-code", "split"],
)
def test_no_uscc_in_the_named_attributes_means_none(subject):
    assert find_uscc(subject) is None


def test_serial_number_wins_over_ou_and_cn():
    assert find_uscc(name(("CN", OTHER), ("OU", OTHER), ("serialNumber", USCC))) == USCC
    assert find_uscc(name(("CN", OTHER), ("OU", USCC))) == USCC


def test_a_whole_token_wins_over_one_glued_to_other_letters():
    assert find_uscc(name(("serialNumber", f"SF{OTHER}"), ("CN", USCC))) == USCC


def test_display_name_is_the_organisation_else_the_common_name():
    assert display_name(name(("CN", "张三@企业"), ("O", "四川黄河建设集团有限公司"))) == "四川黄河建设集团有限公司"
    assert display_name(name(("CN", "四川黄河建设集团有限公司"), ("serialNumber", USCC))) == "四川黄河建设集团有限公司"
    assert display_name(name(("serialNumber", USCC))) == f"2.5.4.5={USCC}"
