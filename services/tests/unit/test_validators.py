import json
from datetime import date

import pytest

from xjkit.testdata import make_id_card, make_uscc
from xjkit.validators import (
    check_id_card, check_mobile, check_uscc, id_card_check_char, is_xinjiang_uscc,
    normalize_id_card, normalize_uscc, org_code_check_char, uscc_check_char, uscc_region_code,
)

TODAY = date(2026, 12, 20)

# Check characters below were computed by hand-written MOD 11-2 code outside this package;
# 11010519491231002X is the worked example of GB 11643-1999 itself.
KNOWN_GOOD_IDS = [
    "11010519491231002X",
    "65010219850101006X",
    "650102198501011230",
    "310115200002294567",  # born on a leap day
    "370202198808088089",
    "510100196609086389",  # from the national-platform fixture
    "61010019660513245X",  # from the national-platform fixture
]


@pytest.mark.parametrize("number", KNOWN_GOOD_IDS)
def test_known_good_id_numbers_pass(number):
    assert check_id_card(number, today=TODAY) is None


def test_id_card_check_char_matches_the_standard_example():
    assert id_card_check_char("11010519491231002") == "X"
    assert id_card_check_char("51010419900101123") == "0"


# One number for each of the 11 possible check characters, so every entry of the map is exercised.
@pytest.mark.parametrize("number", [
    "510104199001010000", "510104199001010051", "510104199001010182", "510104199001010043",
    "510104199001010094", "510104199001010035", "510104199001010086", "510104199001010027",
    "510104199001010078", "510104199001010019", "51010419900101006X",
])
def test_every_check_character_is_computed_right(number):
    assert id_card_check_char(number[:17]) == number[17]
    assert check_id_card(number, today=TODAY) is None


def test_id_card_with_lowercase_x_is_accepted_and_normalised_to_uppercase():
    assert check_id_card("11010519491231002x", today=TODAY) is None
    assert normalize_id_card(" 11010519491231002x ") == "11010519491231002X"


def test_full_width_id_card_digits_are_normalised_to_ascii():
    assert normalize_id_card("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_empty_id_card_is_refused():
    assert check_id_card("") == "身份证号码不能为空"
    assert check_id_card(None) == "身份证号码不能为空"


@pytest.mark.parametrize("number", ["11010519491231002", "11010519491231002X1", "110105194912310"])
def test_id_card_of_wrong_length_is_refused(number):
    assert check_id_card(number, today=TODAY) == "身份证号码应为18位"


@pytest.mark.parametrize("number", ["1101051949123100AX", "11010519491231002Y", "X10105194912310021",
                                    "١١010519491231002X"])
def test_id_card_with_non_digits_is_refused(number):
    assert check_id_card(number, today=TODAY).startswith("身份证号码格式不正确")


def test_id_card_with_wrong_check_digit_is_refused():
    assert check_id_card("110105194912310021", today=TODAY) == "身份证号码校验位错误"
    assert check_id_card("650102198501011231", today=TODAY) == "身份证号码校验位错误"


# 66 is the XPCC in credit codes only; its people hold Xinjiang (65) ID numbers.
@pytest.mark.parametrize("number", ["99010419900101123X", "100104199001011234", "660001199912310010"])
def test_id_card_with_unknown_province_code_is_refused(number):
    # check characters are right, so only the region can be the reason
    assert check_id_card(number, today=TODAY) == "身份证号码地区码无效"


@pytest.mark.parametrize("number", [
    "51010419900230123X",  # 30 February
    "510104189912311235",  # before 1900
    "440524188001010014",  # GB 11643's second example, born 1880
    "510104202612211236",  # tomorrow
])
def test_id_card_with_impossible_birth_date_is_refused(number):
    assert check_id_card(number, today=TODAY) == "身份证号码出生日期无效"


def test_id_card_born_today_is_accepted():
    assert check_id_card("510104202612201230", today=TODAY) is None


def test_id_card_birth_date_is_bounded_by_the_real_date_when_no_today_is_given():
    assert check_id_card("510104199001011230") is None
    assert check_id_card(id_and_check("51010430000101123")) == "身份证号码出生日期无效"


def id_and_check(first17):
    return first17 + id_card_check_char(first17)


def test_make_id_card_builds_valid_distinct_numbers():
    first, second = make_id_card(seq="001"), make_id_card(seq="002")
    assert first != second
    assert check_id_card(first) is None and check_id_card(second) is None
    assert make_id_card(region="650102", birth="19850101", seq="006") == "65010219850101006X"


def test_make_id_card_refuses_to_build_an_invalid_number():
    with pytest.raises(ValueError):
        make_id_card(birth="19900230")


# --- unified social credit code ---------------------------------------------------------

def fixture_usccs():
    from xjstubs.config import DEFAULT_NATIONAL_DATA  # the development dataset in the repository
    data = json.loads(DEFAULT_NATIONAL_DATA.read_text(encoding="utf-8"))
    return [enterprise["uscc"] for enterprise in data["enterprises"]]


def test_every_uscc_in_the_national_platform_fixture_passes():
    usccs = fixture_usccs()
    assert usccs, "the fixture has no enterprises"
    assert {code: check_uscc(code) for code in usccs} == {code: None for code in usccs}


@pytest.mark.parametrize("code", ["9151010029141777XB", "911101054728576191", "91650100434820989D"])
def test_known_good_usccs_pass(code):
    assert check_uscc(code) is None


def test_org_code_check_matches_the_gb_11714_example():
    assert org_code_check_char("D2143569") == "X"


def test_uscc_check_char_matches_a_fixture_code():
    assert uscc_check_char("9151010029141777X") == "B"


def test_uscc_check_of_31_maps_to_zero():
    # weighted sum divisible by 31 gives 31 - 0 = 31, which the standard maps to "0"
    assert uscc_check_char("91510100100000286") == "0"
    assert check_uscc("915101001000002860") is None


def test_org_code_check_of_11_maps_to_zero():
    assert org_code_check_char("10000004") == "0"
    assert check_uscc("91510100100000040X") is None


def test_empty_uscc_is_refused():
    assert check_uscc("") == "统一社会信用代码不能为空"
    assert check_uscc(None) == "统一社会信用代码不能为空"


@pytest.mark.parametrize("code", ["9151010029141777X", "9151010029141777XBB"])
def test_uscc_of_wrong_length_is_refused(code):
    assert check_uscc(code) == "统一社会信用代码应为18位"


@pytest.mark.parametrize("code", ["9151010029141777XI", "91510100MA6CXOXX96", "91510100MA6CXXXZ96",
                                  "91510100MA6CXXXX9-"])
def test_uscc_with_characters_outside_the_charset_is_refused(code):
    assert check_uscc(code) == "统一社会信用代码含有非法字符"


def test_uscc_with_wrong_check_char_is_refused():
    assert check_uscc("9151010029141777XC") == "统一社会信用代码校验位错误"
    assert check_uscc("9151010029141778XB") == "统一社会信用代码校验位错误"


def test_uscc_with_corrupted_org_code_check_is_refused():
    # MA6CXXXX's GB 11714 check is 9; with 8 instead and the final check recomputed, only the
    # embedded organisation code is wrong.
    assert uscc_check_char("91510100MA6CXXXX8") == "3"
    assert check_uscc("91510100MA6CXXXX83") == "统一社会信用代码中的组织机构代码校验位错误"
    assert check_uscc("91510100MA6CXXXX96") is None


def test_uscc_with_unknown_registration_authority_is_refused():
    code = "01510100MA6CXXXX9"
    assert check_uscc(code + uscc_check_char(code)) == "统一社会信用代码登记管理部门代码无效"


def test_uscc_with_invalid_institution_type_is_refused():
    code = "90510100MA6CXXXX9"
    assert check_uscc(code + uscc_check_char(code)) == "统一社会信用代码机构类别代码无效"


def test_uscc_with_letters_in_the_region_code_is_refused():
    code = "9151A100MA6CXXXX9"
    assert check_uscc(code + uscc_check_char(code)) == "统一社会信用代码行政区划码无效"


def test_uscc_letters_are_case_insensitive_and_normalised_to_uppercase():
    assert check_uscc("9151010029141777xb") is None
    assert normalize_uscc(" 9151010029141777xb\n") == "9151010029141777XB"


def test_uscc_region_code_is_positions_3_to_8():
    assert uscc_region_code("9151010029141777XB") == "510100"


def test_xinjiang_and_xpcc_codes_are_detected():
    assert is_xinjiang_uscc("91650100434820989D") is True  # Urumqi, from the fixture
    assert is_xinjiang_uscc("92660100MA7B2K3L6J") is True  # XPCC
    assert check_uscc("92660100MA7B2K3L6J") is None
    assert is_xinjiang_uscc("9151010029141777XB") is False
    assert is_xinjiang_uscc("91610100859574891U") is False


def test_region_code_of_a_wrong_length_code_is_an_error():
    with pytest.raises(ValueError):
        uscc_region_code("916501")


def test_make_uscc_builds_valid_codes_for_any_region():
    assert make_uscc() == "91510100MA6CXXXX96"
    xinjiang = make_uscc(region="650100")
    assert check_uscc(xinjiang) is None and is_xinjiang_uscc(xinjiang)
    assert make_uscc(body8="12345678") != make_uscc(body8="12345679")


def test_make_uscc_refuses_characters_outside_the_charset():
    with pytest.raises(ValueError):
        make_uscc(body8="MA6COOOO")


# --- mobile -----------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["13800138000", "19912345678", "15000000000"])
def test_mainland_mobiles_pass(number):
    assert check_mobile(number) is None


@pytest.mark.parametrize("number", ["12345678901", "1380013800", "138001380001", "+8613800138000",
                                    "138 0013 8000", "23800138000", "1380013800a"])
def test_malformed_mobiles_are_refused(number):
    assert check_mobile(number) == "手机号码格式不正确"


def test_empty_mobile_is_refused():
    assert check_mobile("") == "手机号码不能为空"
