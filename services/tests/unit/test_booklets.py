"""Booklet numbers are unique per type by construction, unguessable, and carry a check character."""
import itertools
import random

import pytest

from xjkit.booklets import ALPHABET, TYPE_CODES, check_character, enterprise_type_of, is_booklet_no, new_booklet_no
from xjkit.contract import ENTERPRISE_TYPES


def test_every_enterprise_type_has_its_own_code():
    assert set(TYPE_CODES) == set(ENTERPRISE_TYPES)
    assert len(set(TYPE_CODES.values())) == len(TYPE_CODES)


@pytest.mark.parametrize("enterprise_type", sorted(ENTERPRISE_TYPES))
def test_a_new_number_is_well_formed_and_names_its_type_and_year(enterprise_type):
    number = new_booklet_no(enterprise_type, 2026)
    assert is_booklet_no(number) and len(number) == 19
    assert number.startswith(f"XJ{TYPE_CODES[enterprise_type]}26")
    assert enterprise_type_of(number) == enterprise_type


def test_construction_and_cost_consulting_never_share_a_number():
    # the old scheme gave both "CO" and the same serial: one enterprise's two booklets collided
    fixed = lambda alphabet: "7"  # noqa: E731  (the same random part on purpose)
    assert new_booklet_no("construction", 2026, fixed) != new_booklet_no("cost_consulting", 2026, fixed)
    assert new_booklet_no("supervision", 2026, fixed) != new_booklet_no("survey", 2026, fixed)


def test_numbers_are_random_so_nobody_can_compute_a_current_one():
    numbers = {new_booklet_no("construction", 2026) for _ in range(2000)}
    assert len(numbers) == 2000
    assert len({number[6:18] for number in numbers}) == 2000


def test_the_check_character_catches_every_single_wrong_character():
    number = new_booklet_no("design", 2026, random.Random(4).choice)
    for position in range(6, len(number)):
        for char in ALPHABET:
            if char != number[position]:
                assert not is_booklet_no(number[:position] + char + number[position + 1:]), (position, char)


def test_the_check_character_catches_most_swaps_of_neighbours():
    rng = random.Random(9)
    caught = total = 0
    for _ in range(300):
        number = new_booklet_no("survey", 2026, rng.choice)
        for position in range(6, len(number) - 1):
            swapped = number[:position] + number[position + 1] + number[position] + number[position + 2:]
            if swapped != number:
                total += 1
                caught += not is_booklet_no(swapped)
    assert caught / total > 0.9


@pytest.mark.parametrize("text", ["", None, 123, "XJ29141777CO0003", "XJ0126" + "0" * 12, "xj012600000000000000",
                                  "XJ0926" + "0" * 13, "XJ0126" + "I" * 12 + "0"])
def test_anything_else_is_not_a_booklet_number(text):
    assert not is_booklet_no(text)


def test_the_check_character_is_computed_over_the_whole_body():
    body = "XJ0126" + "".join(itertools.islice(itertools.cycle(ALPHABET), 12))
    assert is_booklet_no(body + check_character(body))
