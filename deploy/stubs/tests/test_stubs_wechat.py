"""WeChat wire format: access tokens, code2session, subscribe messages."""
import base64

import pytest
import requests


@pytest.fixture
def code2session(stub, creds):
    def call(code, **overrides):
        params = {**creds, "js_code": code, "grant_type": "authorization_code", **overrides}
        response = requests.get(f"{stub}/sns/jscode2session", params=params)
        assert response.status_code == 200          # WeChat answers errors with HTTP 200 too
        return response.json()
    return call


def send(stub, token, body):
    params = {} if token is None else {"access_token": token}
    response = requests.post(f"{stub}/cgi-bin/message/subscribe/send", params=params, json=body)
    assert response.status_code == 200
    return response.json()


MESSAGE = {"touser": "alice", "template_id": "tmpl-offer", "page": "pages/offer/index?id=1",
           "data": {"thing1": {"value": "新疆某建设集团有限公司"}, "time2": {"value": "2026-11-25 10:00"}},
           "miniprogram_state": "developer", "lang": "zh_CN"}


# --- access tokens ---------------------------------------------------------------------------
def test_token_is_issued_for_any_nonempty_appid_and_secret(stub):
    answer = requests.get(f"{stub}/cgi-bin/token", params={
        "grant_type": "client_credential", "appid": "wxanything", "secret": "whatever"}).json()
    assert answer["expires_in"] == 7200 and len(answer["access_token"]) > 20
    assert "errcode" not in answer


def test_token_with_wrong_grant_type_is_40002(stub, creds):
    answer = requests.get(f"{stub}/cgi-bin/token", params={
        "grant_type": "password", **creds}).json()
    assert answer["errcode"] == 40002


def test_token_without_appid_is_41002_and_without_secret_is_41004(stub, creds):
    base = {"grant_type": "client_credential"}
    assert requests.get(f"{stub}/cgi-bin/token", params={**base, "secret": creds["secret"]}).json()["errcode"] == 41002
    assert requests.get(f"{stub}/cgi-bin/token", params={**base, "appid": creds["appid"]}).json()["errcode"] == 41004


def test_configured_apps_refuse_unknown_appid_40013_and_wrong_secret_40125(start_stub, creds):
    stub = start_stub(wechat_apps={creds["appid"]: creds["secret"]})
    base = {"grant_type": "client_credential"}
    assert requests.get(f"{stub}/cgi-bin/token", params={
        **base, "appid": "wxother", "secret": creds["secret"]}).json()["errcode"] == 40013
    assert requests.get(f"{stub}/cgi-bin/token", params={
        **base, "appid": creds["appid"], "secret": "wrong"}).json()["errcode"] == 40125
    assert "access_token" in requests.get(f"{stub}/cgi-bin/token", params={
        **base, **creds}).json()


def test_stable_token_returns_the_same_token_until_force_refresh(stub, creds):
    body = {"grant_type": "client_credential", **creds}
    first = requests.post(f"{stub}/cgi-bin/stable_token", json=body).json()
    again = requests.post(f"{stub}/cgi-bin/stable_token", json=body).json()
    refreshed = requests.post(f"{stub}/cgi-bin/stable_token", json={**body, "force_refresh": True}).json()
    assert again["access_token"] == first["access_token"]
    assert refreshed["access_token"] != first["access_token"]
    assert send(stub, refreshed["access_token"], MESSAGE)["errcode"] == 0


def test_stable_token_with_wrong_grant_type_is_40002(stub, creds):
    answer = requests.post(f"{stub}/cgi-bin/stable_token", json={
        "grant_type": "authorization_code", **creds}).json()
    assert answer["errcode"] == 40002


def test_unknown_access_token_is_40001_and_missing_one_is_41001(stub):
    assert send(stub, "not-a-token", MESSAGE) == {
        "errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
    assert send(stub, None, MESSAGE)["errcode"] == 41001


def test_token_past_its_lifetime_is_42001(start_stub, clock, creds):
    stub = start_stub(clock=clock)
    token = requests.get(f"{stub}/cgi-bin/token", params={
        "grant_type": "client_credential", **creds}).json()["access_token"]
    clock.advance(7199)
    assert send(stub, token, MESSAGE)["errcode"] == 0
    clock.advance(1)
    assert send(stub, token, MESSAGE)["errcode"] == 42001


def test_expire_control_makes_every_issued_token_42001(stub, token):
    assert requests.post(f"{stub}/stub/wechat/tokens/expire").json()["expired"] >= 1
    assert send(stub, token, MESSAGE)["errcode"] == 42001


# --- code2session ----------------------------------------------------------------------------
def test_code2session_of_dev_code_returns_that_openid_and_a_16_byte_session_key(code2session):
    answer = code2session("dev-alice")
    assert answer["openid"] == "alice"
    assert len(base64.b64decode(answer["session_key"], validate=True)) == 16
    assert "unionid" not in answer and "errcode" not in answer


def test_code2session_needs_no_access_token_but_ignores_one_sent(code2session):
    assert code2session("dev-bob", access_token="anything")["openid"] == "bob"


def test_code2session_of_any_other_code_is_40029(code2session):
    for code in ("0a3Xyz000abc", "dev-", "dev-has space", "alice"):
        assert code2session(code) == {"errcode": 40029, "errmsg": "invalid code"}


def test_code2session_code_used_twice_is_40163(code2session):
    assert code2session("dev-alice")["openid"] == "alice"
    assert code2session("dev-alice") == {"errcode": 40163, "errmsg": "code been used"}


def test_code2session_ratelimited_code_is_45011_every_time(code2session):
    for _ in range(2):
        assert code2session("dev-ratelimited") == {
            "errcode": 45011, "errmsg": "api minute-quota reach limit"}


def test_code2session_without_code_is_41008_and_wrong_grant_type_40002(code2session):
    assert code2session("")["errcode"] == 41008
    assert code2session("dev-alice", grant_type="client_credential")["errcode"] == 40002


def test_code2session_without_appid_is_41002(code2session):
    assert code2session("dev-alice", appid="")["errcode"] == 41002


def test_reset_makes_used_codes_usable_again(stub, code2session):
    code2session("dev-alice")
    requests.post(f"{stub}/stub/reset").raise_for_status()
    assert code2session("dev-alice")["openid"] == "alice"


# --- subscribe messages ----------------------------------------------------------------------
def test_subscribe_send_answers_msgid_and_is_recorded(stub, token, creds):
    answer = send(stub, token, MESSAGE)
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok" and isinstance(answer["msgid"], int)
    sent = requests.get(f"{stub}/stub/wechat/messages", params={"touser": "alice"}).json()["items"]
    assert len(sent) == 1
    assert sent[0]["msgid"] == answer["msgid"]
    assert sent[0]["appid"] == creds["appid"]
    assert {k: sent[0][k] for k in ("touser", "template_id", "page", "data")} == {
        k: MESSAGE[k] for k in ("touser", "template_id", "page", "data")}
    assert requests.get(f"{stub}/stub/wechat/messages", params={"touser": "bob"}).json()["items"] == []


def test_subscribe_send_to_a_refusing_user_is_43101_and_not_recorded(stub, token):
    requests.post(f"{stub}/stub/wechat/refuse", json={"openid": "alice"}).raise_for_status()
    assert send(stub, token, MESSAGE) == {"errcode": 43101, "errmsg": "user refuse to accept the msg"}
    assert requests.get(f"{stub}/stub/wechat/messages").json()["items"] == []
    requests.delete(f"{stub}/stub/wechat/refuse/alice").raise_for_status()
    assert send(stub, token, MESSAGE)["errcode"] == 0


def test_subscribe_send_without_touser_or_template_id_is_47003(stub, token):
    for field in ("touser", "template_id"):
        body = {k: v for k, v in MESSAGE.items() if k != field}
        assert send(stub, token, body)["errcode"] == 47003


def test_subscribe_send_with_bad_data_is_47003(stub, token):
    for data in (None, {}, {"thing1": "no value object"}, {"thing1": {"val": "x"}},
                 {"thing1": {"value": "二十一个字二十一个字二十一个字二十一个字啊"}},   # thing: 20 at most
                 {"phrase2": {"value": "六个字的短语"}}):                              # phrase: 5 at most
        assert send(stub, token, {**MESSAGE, "data": data})["errcode"] == 47003, data


def test_subscribe_send_with_bad_miniprogram_state_is_47003(stub, token):
    assert send(stub, token, {**MESSAGE, "miniprogram_state": "production"})["errcode"] == 47003


def test_subscribe_send_with_a_body_that_is_not_json_is_47001(stub, token):
    answer = requests.post(f"{stub}/cgi-bin/message/subscribe/send", params={"access_token": token},
                           data=b"touser=alice").json()
    assert answer["errcode"] == 47001


def test_reset_clears_messages_and_refusals_but_keeps_issued_tokens(stub, token):
    send(stub, token, MESSAGE)
    requests.post(f"{stub}/stub/wechat/refuse", json={"openid": "bob"})
    requests.post(f"{stub}/stub/reset").raise_for_status()
    assert requests.get(f"{stub}/stub/wechat/messages").json()["items"] == []
    assert send(stub, token, {**MESSAGE, "touser": "bob"})["errcode"] == 0
