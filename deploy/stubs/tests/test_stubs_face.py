"""WeChat face verification 2.0: getverifyid, queryverifyinfo, cert_hash, presets."""
import base64
import hashlib

import pytest
import requests


CERT = {"cert_type": "IDENTITY_CARD", "cert_name": "萧杰然", "cert_no": "510100196609086389"}


def independent_cert_hash(cert_info):
    """WeChat's documented algorithm, written out again here so the stub's own copy is checked."""
    encoded = {k: base64.b64encode(cert_info[k].encode("utf-8")).decode() for k in
               ("cert_type", "cert_name", "cert_no")}
    joined = "cert_type={cert_type}&cert_name={cert_name}&cert_no={cert_no}".format(**encoded)
    return hashlib.sha256(joined.encode()).hexdigest()


def call(stub, token, name, body):
    response = requests.post(f"{stub}/cityservice/face/identify/{name}", params={"access_token": token}, json=body)
    assert response.status_code == 200
    return response.json()


def start(stub, token, cert=CERT, openid="alice", out_seq_no="seq-1"):
    answer = call(stub, token, "getverifyid", {"out_seq_no": out_seq_no, "cert_info": cert, "openid": openid})
    assert answer["errcode"] == 0, answer
    return answer["verify_id"]


def query(stub, token, verify_id, cert=CERT, openid="alice", out_seq_no="seq-1", cert_hash=None):
    return call(stub, token, "queryverifyinfo", {
        "verify_id": verify_id, "out_seq_no": out_seq_no, "openid": openid,
        "cert_hash": cert_hash or independent_cert_hash(cert)})


def test_cert_hash_matches_wechats_documented_test_vector():
    from xjstubs import cert_hash
    vector = {"cert_type": "IDENTITY_CARD", "cert_name": "张三", "cert_no": "310101199801011234"}
    expected = "3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b"
    joined = "cert_type=SURFTlRJVFlfQ0FSRA==&cert_name=5byg5LiJ&cert_no=MzEwMTAxMTk5ODAxMDExMjM0"
    assert hashlib.sha256(joined.encode()).hexdigest() == expected
    assert independent_cert_hash(vector) == expected
    assert cert_hash(vector) == expected


def test_getverifyid_answers_a_verify_id_valid_for_3600_seconds(stub, token):
    answer = call(stub, token, "getverifyid", {"out_seq_no": "seq-1", "cert_info": CERT, "openid": "alice"})
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok"
    assert answer["expires_in"] == 3600 and 0 < len(answer["verify_id"]) <= 256


def test_getverifyid_and_queryverifyinfo_need_a_valid_access_token(stub, token):
    verify_id = start(stub, token)
    assert call(stub, "bogus", "getverifyid", {"out_seq_no": "s", "cert_info": CERT, "openid": "a"})["errcode"] == 40001
    assert query(stub, "bogus", verify_id)["errcode"] == 40001


def test_queryverifyinfo_with_the_right_cert_hash_passes_with_10000(stub, token):
    assert query(stub, token, start(stub, token)) == {"errcode": 0, "errmsg": "ok", "verify_ret": 10000}


@pytest.mark.parametrize("missing", ["out_seq_no", "openid", "cert_info", "cert_info.cert_name",
                                     "cert_info.cert_no", "cert_info.cert_type"])
def test_getverifyid_with_a_missing_field_is_47001(stub, token, missing):
    body = {"out_seq_no": "seq-1", "cert_info": dict(CERT), "openid": "alice"}
    if missing.startswith("cert_info."):
        del body["cert_info"][missing.split(".")[1]]
    else:
        del body[missing]
    assert call(stub, token, "getverifyid", body) == {"errcode": 47001, "errmsg": "data format error"}


def test_getverifyid_with_another_cert_type_is_47003(stub, token):
    body = {"out_seq_no": "seq-1", "cert_info": {**CERT, "cert_type": "PASSPORT"}, "openid": "alice"}
    assert call(stub, token, "getverifyid", body)["errcode"] == 47003


def test_queryverifyinfo_with_a_missing_field_is_47001(stub, token):
    verify_id = start(stub, token)
    answer = call(stub, token, "queryverifyinfo", {"verify_id": verify_id, "openid": "alice", "out_seq_no": "seq-1"})
    assert answer["errcode"] == 47001 and "verify_ret" not in answer


def test_queryverifyinfo_of_an_unknown_verify_id_is_refused_without_verify_ret(stub, token):
    answer = query(stub, token, "no-such-verify-id")
    assert answer["errcode"] == 9430001 and "verify_ret" not in answer


def test_queryverifyinfo_with_a_wrong_cert_hash_is_refused_without_verify_ret(stub, token):
    verify_id = start(stub, token)
    other = {**CERT, "cert_name": "萧杰"}                       # hash of another name
    for wrong in (independent_cert_hash(other), independent_cert_hash(CERT).upper(), "0" * 64):
        answer = query(stub, token, verify_id, cert_hash=wrong)
        assert answer["errcode"] == 9430004 and "verify_ret" not in answer


def test_queryverifyinfo_with_another_openid_is_40003_without_verify_ret(stub, token):
    answer = query(stub, token, start(stub, token), openid="mallory")
    assert answer["errcode"] == 40003 and "verify_ret" not in answer


def test_queryverifyinfo_with_another_out_seq_no_is_refused_without_verify_ret(stub, token):
    answer = query(stub, token, start(stub, token), out_seq_no="seq-2")
    assert answer["errcode"] == 9430003 and "verify_ret" not in answer


def test_queryverifyinfo_after_expires_in_is_refused_without_verify_ret(start_stub, get_token, clock):
    stub = start_stub(clock=clock)
    token = get_token(stub)
    verify_id = start(stub, token)
    clock.advance(3599)
    assert query(stub, token, verify_id)["verify_ret"] == 10000
    clock.advance(1)
    answer = query(stub, token, verify_id)
    assert answer["errcode"] == 9430002 and "verify_ret" not in answer


def test_preset_verify_ret_is_returned_for_that_cert_no_only(stub, token):
    requests.post(f"{stub}/stub/face/preset", json={"cert_no": CERT["cert_no"], "verify_ret": 10003}).raise_for_status()
    assert query(stub, token, start(stub, token)) == {"errcode": 0, "errmsg": "ok", "verify_ret": 10003}
    other = {**CERT, "cert_no": "110105199602214828", "cert_name": "孔明"}
    assert query(stub, token, start(stub, token, cert=other), cert=other)["verify_ret"] == 10000


def test_preset_applies_to_a_verify_id_issued_before_it(stub, token):
    verify_id = start(stub, token)
    requests.post(f"{stub}/stub/face/preset", json={"cert_no": CERT["cert_no"], "verify_ret": 90002})
    assert query(stub, token, verify_id)["verify_ret"] == 90002


def test_preset_is_cleared_by_delete_by_10000_and_by_reset(stub, token):
    preset = {"cert_no": CERT["cert_no"], "verify_ret": 90002}
    for clear in (lambda: requests.delete(f"{stub}/stub/face/preset/{CERT['cert_no']}"),
                  lambda: requests.post(f"{stub}/stub/face/preset", json={**preset, "verify_ret": 10000}),
                  lambda: requests.post(f"{stub}/stub/reset")):
        requests.post(f"{stub}/stub/face/preset", json=preset).raise_for_status()
        clear().raise_for_status()
        assert query(stub, token, start(stub, token))["verify_ret"] == 10000


def test_preset_with_a_bad_body_is_400(stub):
    for body in ({"cert_no": CERT["cert_no"]}, {"verify_ret": 10003}, {"cert_no": "x", "verify_ret": "10003"}):
        assert requests.post(f"{stub}/stub/face/preset", json=body).status_code == 400


def test_reset_forgets_verify_ids(stub, token):
    verify_id = start(stub, token)
    requests.post(f"{stub}/stub/reset").raise_for_status()
    assert query(stub, token, verify_id)["errcode"] == 9430001
