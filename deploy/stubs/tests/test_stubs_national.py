"""The national construction-market platform's REST API over the fixture dataset."""
import json
import time

import pytest
import requests

API = "/national/api/v1"
SICHUAN = "9151010029141777XB"          # 四川黄河建设集团有限公司 in the fixture
WAN_XIU = "510100198612235495"          # 万秀: one certificate with two specialities, registered to SICHUAN
XIAO = "510100196609086389"             # 萧杰然: one certificate, one speciality, registered to SICHUAN


def test_enterprise_record_is_served_as_in_the_dataset(stub, national_fixture):
    for ent in national_fixture["enterprises"]:
        response = requests.get(f"{stub}{API}/enterprises/{ent['uscc']}")
        assert response.status_code == 200
        assert response.json() == ent


def test_unknown_enterprise_is_404_not_found(stub):
    for path in ("", "/qualifications", "/certificates"):
        response = requests.get(f"{stub}{API}/enterprises/91110000000000000X{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "NOT_FOUND"


def test_qualifications_are_the_enterprises_items(stub, national_fixture):
    ent = next(e for e in national_fixture["enterprises"] if e["uscc"] == SICHUAN)
    answer = requests.get(f"{stub}{API}/enterprises/{SICHUAN}/qualifications").json()
    assert answer == {"items": ent["qualifications"]}
    assert [q["name"] for q in answer["items"]] == ["建筑工程施工总承包", "地基基础工程专业承包"]


def test_qualifications_filter_by_category(stub):
    answer = requests.get(f"{stub}{API}/enterprises/{SICHUAN}/qualifications",
                          params={"category": "supervision"}).json()
    assert answer == {"items": []}


def test_person_certificates_come_one_row_per_speciality(stub):
    rows = requests.get(f"{stub}{API}/persons/{WAN_XIU}/certificates").json()["items"]
    assert [r["specialty"] for r in rows] == ["建筑工程", "市政公用工程"]
    for row in rows:
        assert row["cert_no"] == "川658091973797" and row["type"] == "二级注册建造师"
        assert row["id_card_no"] == WAN_XIU and row["name"] == "万秀"
        assert row["registered_uscc"] == SICHUAN and row["registered_unit"] == "四川黄河建设集团有限公司"
        assert row["valid_from"] == "2024-12-24" and row["valid_until"] == "2027-12-24"
        assert "specialties" not in row


def test_person_without_certificates_has_no_rows_and_unknown_person_is_404(stub, national_fixture):
    bare = next(p for p in national_fixture["persons"] if not p["registered_certs"])
    assert requests.get(f"{stub}{API}/persons/{bare['id_card_no']}/certificates").json() == {"items": []}
    response = requests.get(f"{stub}{API}/persons/110101199003070000/certificates")
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"


def test_person_record_is_served_without_its_certificates(stub):
    answer = requests.get(f"{stub}{API}/persons/{XIAO}").json()
    assert answer == {"id_card_no": XIAO, "name": "萧杰然", "gender": "女"}
    assert requests.get(f"{stub}{API}/persons/110101199003070000").status_code == 404


def test_enterprise_certificates_are_every_row_registered_to_it(stub, national_fixture):
    expected = sum(len(c["specialties"]) for p in national_fixture["persons"]
                   for c in p["registered_certs"] if c["registered_uscc"] == SICHUAN)
    rows = requests.get(f"{stub}{API}/enterprises/{SICHUAN}/certificates").json()["items"]
    assert len(rows) == expected
    assert {r["registered_uscc"] for r in rows} == {SICHUAN}
    assert {WAN_XIU, XIAO} <= {r["id_card_no"] for r in rows}


def test_enterprise_certificates_filter_by_a_batch_of_id_numbers(stub):
    other_enterprise_person = "610100196604217435"      # registered to the Shaanxi supervisor
    for params in ({"id_card_no": f"{WAN_XIU},{XIAO},{other_enterprise_person},110101199003070000"},
                   [("id_card_no", WAN_XIU), ("id_card_no", f"{XIAO},{other_enterprise_person}")]):
        rows = requests.get(f"{stub}{API}/enterprises/{SICHUAN}/certificates", params=params).json()["items"]
        assert sorted((r["id_card_no"], r["specialty"]) for r in rows) == sorted([
            (WAN_XIU, "建筑工程"), (WAN_XIU, "市政公用工程"), (XIAO, "市政公用工程")])


def test_enterprise_certificates_batch_over_500_is_400(stub):
    ids = ",".join(f"{110101199003070000 + i}" for i in range(501))
    response = requests.get(f"{stub}{API}/enterprises/{SICHUAN}/certificates", params={"id_card_no": ids})
    assert response.status_code == 400


def test_outage_down_answers_503_until_ok(stub):
    requests.post(f"{stub}/stub/national/outage", json={"mode": "down"}).raise_for_status()
    response = requests.get(f"{stub}{API}/enterprises/{SICHUAN}")
    assert response.status_code == 503 and response.json()["code"] == "UNAVAILABLE"
    assert requests.get(f"{stub}/stub/health").status_code == 200       # only the national API is down
    requests.post(f"{stub}/stub/national/outage", json={"mode": "ok"}).raise_for_status()
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 200


def test_outage_slow_delays_every_answer(stub):
    requests.post(f"{stub}/stub/national/outage", json={"mode": "slow", "delay_seconds": 0.4}).raise_for_status()
    started = time.monotonic()
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 200
    assert time.monotonic() - started >= 0.4
    with pytest.raises(requests.Timeout):
        requests.get(f"{stub}{API}/enterprises/{SICHUAN}", timeout=0.1)


def test_outage_with_a_bad_mode_or_delay_is_400(stub):
    for body in ({"mode": "broken"}, {}, {"mode": "slow", "delay_seconds": -1}, {"mode": "slow", "delay_seconds": "2"}):
        assert requests.post(f"{stub}/stub/national/outage", json=body).status_code == 400


def test_reset_ends_an_outage(stub):
    requests.post(f"{stub}/stub/national/outage", json={"mode": "down"})
    requests.post(f"{stub}/stub/reset").raise_for_status()
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 200


REPLACEMENT = {
    "source": "test", "generated_for": "2026-11-25",
    "enterprises": [{"uscc": "91440300MA5XXXXXXA", "name": "广东测试建设有限公司", "qualifications": [
        {"cert_no": "D1", "code": "D101A", "category": "construction", "name": "建筑工程施工总承包", "grade": "一级",
         "issued_on": "2025-01-01", "expires_on": "2030-01-01", "issuer": "住房和城乡建设部"}]}],
    "persons": [{"id_card_no": "440300199001010011", "name": "测试", "gender": "男", "registered_certs": [
        {"cert_no": "粤1", "type": "一级注册建造师", "specialties": ["建筑工程"], "seal_no": "粤S1",
         "registered_uscc": "91440300MA5XXXXXXA", "registered_unit": "广东测试建设有限公司",
         "valid_from": "2025-01-01", "valid_until": "2028-01-01"}]}],
}


def test_dataset_replacement_serves_the_new_data_and_reset_restores_the_file(stub):
    answer = requests.post(f"{stub}/stub/national/dataset", json=REPLACEMENT)
    assert answer.status_code == 200 and answer.json() == {"enterprises": 1, "persons": 1}
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 404
    assert requests.get(f"{stub}{API}/enterprises/91440300MA5XXXXXXA").json()["name"] == "广东测试建设有限公司"
    rows = requests.get(f"{stub}{API}/enterprises/91440300MA5XXXXXXA/certificates").json()["items"]
    assert [(r["id_card_no"], r["specialty"]) for r in rows] == [("440300199001010011", "建筑工程")]
    requests.post(f"{stub}/stub/reset").raise_for_status()
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 200
    assert requests.get(f"{stub}{API}/enterprises/91440300MA5XXXXXXA").status_code == 404


@pytest.mark.parametrize("bad", [
    [], {"enterprises": []}, {"enterprises": [{"name": "no uscc", "qualifications": []}], "persons": []},
    {"enterprises": [], "persons": [{"id_card_no": "1", "name": "x", "registered_certs": [{"cert_no": "c"}]}]},
    {"enterprises": [{"uscc": "A", "name": "a", "qualifications": []},
                     {"uscc": "A", "name": "b", "qualifications": []}], "persons": []},
])
def test_dataset_replacement_with_a_bad_document_is_400_and_keeps_the_data(stub, bad):
    response = requests.post(f"{stub}/stub/national/dataset", json=bad)
    assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 200


def test_dataset_replacement_with_a_body_that_is_not_json_is_400(stub):
    assert requests.post(f"{stub}/stub/national/dataset", data=b"{not json").status_code == 400


def test_xj_national_data_names_the_served_file(start_stub, tmp_path):
    path = tmp_path / "national.json"
    path.write_text(json.dumps(REPLACEMENT, ensure_ascii=False), encoding="utf-8")
    stub = start_stub(national_data=str(path))
    assert requests.get(f"{stub}{API}/enterprises/91440300MA5XXXXXXA").status_code == 200
    assert requests.get(f"{stub}{API}/enterprises/{SICHUAN}").status_code == 404
