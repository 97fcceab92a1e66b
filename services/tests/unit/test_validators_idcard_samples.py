"""The mini-program checks ID numbers on the phone before sending them (miniprogram/utils/idcard.js).
Both implementations answer the same samples the same way: this test pins the Python side, and
miniprogram/tests/unit/idcard.test.js the JavaScript side, against one file of samples."""
import datetime
import json
import os

import pytest

from xjkit.validators import check_id_card, normalize_id_card

SAMPLES_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "miniprogram", "tests", "fixtures",
                            "idcard-samples.json")

with open(SAMPLES_PATH, encoding="utf-8") as handle:
    SAMPLES = json.load(handle)
TODAY = datetime.date.fromisoformat(SAMPLES["today"])


@pytest.mark.parametrize("sample", SAMPLES["samples"], ids=[s["note"] for s in SAMPLES["samples"]])
def test_the_server_answers_each_shared_id_number_sample_as_the_phone_does(sample):
    normalized = normalize_id_card(sample["input"])
    assert normalized == sample["normalized"]
    assert check_id_card(normalized, today=TODAY) == sample["problem"]


def test_the_shared_samples_cover_valid_numbers_and_every_kind_of_refusal():
    problems = {s["problem"] for s in SAMPLES["samples"]}
    assert None in problems
    assert {"身份证号码不能为空", "身份证号码应为18位", "身份证号码格式不正确，应为17位数字加1位数字或X",
            "身份证号码地区码无效", "身份证号码出生日期无效", "身份证号码校验位错误"} <= problems
