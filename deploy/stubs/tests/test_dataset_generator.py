"""The seeded national-platform dataset generator (xj-national-dataset)."""
import json
from datetime import date, timedelta

import pytest
import requests

from xjkit.validators import check_id_card, check_uscc
from xjstubs.dataset import ENTERPRISE_TYPES, generate, main
from xjstubs.national import validate_dataset

FOR = date(2026, 11, 25)


@pytest.fixture(scope="module")
def dataset():
    return generate(140, 3, seed=11, generated_for=FOR, expired_share=0.2, xinjiang_every=10)


def test_the_same_seed_gives_the_same_dataset_and_another_seed_another():
    assert generate(20, 2, seed=5) == generate(20, 2, seed=5)
    assert generate(20, 2, seed=5) != generate(20, 2, seed=6)


def test_the_dataset_has_the_shape_the_stub_serves(dataset):
    validate_dataset(dataset)
    assert (len(dataset["enterprises"]), len(dataset["persons"])) == (140, 420)
    assert dataset["generated_for"] == "2026-11-25"


def test_every_credit_code_and_id_number_passes_its_check_and_is_unique(dataset):
    usccs = [e["uscc"] for e in dataset["enterprises"]]
    ids = [p["id_card_no"] for p in dataset["persons"]]
    assert [check_uscc(u) for u in usccs] == [None] * len(usccs)
    assert [check_id_card(i, FOR) for i in ids] == [None] * len(ids)
    assert len(set(usccs)) == len(usccs) and len(set(ids)) == len(ids)
    assert len({e["name"] for e in dataset["enterprises"]}) == len(usccs)


def test_every_type_has_only_its_own_qualifications_and_staff_registered_to_it(dataset):
    by_uscc = {e["uscc"]: e for e in dataset["enterprises"]}
    assert {q["category"] for e in dataset["enterprises"] for q in e["qualifications"]} == set(ENTERPRISE_TYPES)
    for enterprise in dataset["enterprises"]:
        assert len({q["category"] for q in enterprise["qualifications"]}) == 1
    for person in dataset["persons"]:
        for cert in person["registered_certs"]:
            assert by_uscc[cert["registered_uscc"]]["name"] == cert["registered_unit"]


def test_dates_sit_around_the_business_date_expired_ones_before_and_valid_ones_a_year_beyond(dataset):
    ends = [q["expires_on"] for e in dataset["enterprises"] for q in e["qualifications"]]
    ends += [c["valid_until"] for p in dataset["persons"] for c in p["registered_certs"]]
    expired = [end for end in ends if end < FOR.isoformat()]
    valid = [end for end in ends if end >= FOR.isoformat()]
    assert 0.1 < len(expired) / len(ends) < 0.3  # expired_share=0.2
    assert min(valid) >= (FOR + timedelta(days=400)).isoformat()
    starts = [q["issued_on"] for e in dataset["enterprises"] for q in e["qualifications"]]
    assert max(starts) <= FOR.isoformat()


def test_every_nth_enterprise_is_registered_in_xinjiang(dataset):
    regions = [e["region_code"][:2] for e in dataset["enterprises"]]
    assert regions.count("65") == 14 and regions[9] == "65" and regions[0] != "65"


def test_the_command_writes_a_file_the_stub_server_serves(tmp_path, start_stub):
    out = tmp_path / "big.json"
    assert main(["--enterprises", "30", "--persons-per-enterprise", "2", "--seed", "3", "--out", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    stub = start_stub(national_data=str(out))
    uscc = document["enterprises"][7]["uscc"]
    answer = requests.get(f"{stub}/national/api/v1/enterprises/{uscc}", timeout=10)
    assert answer.status_code == 200 and answer.json()["name"] == document["enterprises"][7]["name"]


def test_bad_counts_are_refused():
    with pytest.raises(ValueError):
        generate(-1)
    with pytest.raises(ValueError):
        generate(1, expired_share=2)
