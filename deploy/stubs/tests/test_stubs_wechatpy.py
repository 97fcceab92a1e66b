"""wechatpy 1.8.18, the services' WeChat client, talks to the stub.

wechatpy has three fixed bases, so pointing it at the stub takes three settings (see the README):
- `client.API_BASE_URL` ("<stub>/cgi-bin/"): the cgi-bin APIs (message, template, ...);
- `client.wxa.API_BASE_URL` ("<stub>/"): WeChatWxa has its own base, used by code_to_session
  ("sns/jscode2session") and send_subscribe_message ("cgi-bin/message/subscribe/send");
- `fetch_access_token`, which has "https://api.weixin.qq.com/cgi-bin/token" written into it.
"""
import pytest
import requests
from wechatpy.exceptions import WeChatClientException

# the services' own client (identity's adapter): one base URL for every WeChat call
from identity.adapters.wechat import XjWeChatClient


@pytest.fixture
def client(stub, creds):
    return XjWeChatClient(creds["appid"], creds["secret"], api_base=stub, timeout=5)


def test_wechatpy_code_to_session_returns_the_dev_openid(client):
    answer = client.wxa.code_to_session("dev-alice")
    assert answer["openid"] == "alice" and answer["session_key"]


def test_wechatpy_code_to_session_of_a_bad_code_raises_40029(client):
    with pytest.raises(WeChatClientException) as raised:
        client.wxa.code_to_session("not-a-dev-code")
    assert raised.value.errcode == 40029


def test_wechatpy_code_to_session_of_a_used_code_raises_40163(client):
    client.wxa.code_to_session("dev-alice")
    with pytest.raises(WeChatClientException) as raised:
        client.wxa.code_to_session("dev-alice")
    assert raised.value.errcode == 40163


def test_wechatpy_send_subscribe_message_is_delivered_and_recorded(client, stub, creds):
    data = {"thing1": {"value": "四川黄河建设集团有限公司"}, "phrase2": {"value": "待确认"}}
    answer = client.wxa.send_subscribe_message("alice", "tmpl-offer", data, page="pages/offer/index?id=7")
    assert answer["errcode"] == 0 and isinstance(answer["msgid"], int)
    sent = requests.get(f"{stub}/stub/wechat/messages", params={"touser": "alice"}).json()["items"]
    assert len(sent) == 1
    assert sent[0]["appid"] == creds["appid"]
    assert sent[0]["data"] == data and sent[0]["page"] == "pages/offer/index?id=7"


def test_wechatpy_send_subscribe_message_to_a_refusing_user_raises_43101(client, stub):
    requests.post(f"{stub}/stub/wechat/refuse", json={"openid": "alice"}).raise_for_status()
    with pytest.raises(WeChatClientException) as raised:
        client.wxa.send_subscribe_message("alice", "tmpl-offer", {"thing1": {"value": "x"}})
    assert raised.value.errcode == 43101


def test_wechatpy_refetches_an_expired_token_from_the_stub_and_retries(client, stub):
    client.wxa.send_subscribe_message("alice", "tmpl-offer", {"thing1": {"value": "first"}})
    first_token = client.access_token
    requests.post(f"{stub}/stub/wechat/tokens/expire").raise_for_status()
    assert client.wxa.send_subscribe_message("alice", "tmpl-offer", {"thing1": {"value": "second"}})["errcode"] == 0
    assert client.access_token != first_token
    assert len(requests.get(f"{stub}/stub/wechat/messages").json()["items"]) == 2


def test_wechatpy_face_verification_round_trip(client):
    from xjstubs import cert_hash
    cert = {"cert_type": "IDENTITY_CARD", "cert_name": "万秀", "cert_no": "510100198612235495"}
    started = client.post(f"{client.api_base}/cityservice/face/identify/getverifyid",
                          data={"out_seq_no": "seq-9", "cert_info": cert, "openid": "alice"})
    result = client.post(f"{client.api_base}/cityservice/face/identify/queryverifyinfo",
                         data={"verify_id": started["verify_id"], "out_seq_no": "seq-9",
                               "cert_hash": cert_hash(cert), "openid": "alice"})
    assert result == {"errcode": 0, "errmsg": "ok", "verify_ret": 10000}
