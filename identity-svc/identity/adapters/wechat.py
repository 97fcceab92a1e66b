"""WeChat clients: login (code2session) through wechatpy, face verification 2.0 through requests.

Base URLs are configurable so development and tests talk to deploy/stubs, which speaks the same
wire format as api.weixin.qq.com.
"""
import base64
import hashlib
import logging

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from identity.domain.errors import WeChatCodeInvalid, WeChatRateLimited, WeChatUnavailable
from identity.service_layer import ports

log = logging.getLogger(__name__)

INVALID_CODE_ERRCODES = {40029, 40163, 40226}  # invalid, already used, high-risk user
RATE_LIMIT_ERRCODES = {45011, 45009}  # per-minute and daily quota reached
FACE_CERT_TYPE = "IDENTITY_CARD"


class XjWeChatClient(WeChatClient):
    """wechatpy's client with every base URL pointing at ``api_base`` (the real one or the stub)."""

    def __init__(self, appid, secret, api_base="https://api.weixin.qq.com", timeout=5):
        super().__init__(appid, secret, timeout=timeout)
        self.api_base = api_base.rstrip("/")
        self.API_BASE_URL = f"{self.api_base}/cgi-bin/"
        self.wxa.API_BASE_URL = f"{self.api_base}/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=f"{self.api_base}/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class WeChatCodeLogin(ports.WeChatLogin):
    def __init__(self, client):
        self.client = client

    def openid_for_code(self, code):
        try:
            answer = self.client.wxa.code_to_session(code)
        except WeChatClientException as error:
            if error.errcode in INVALID_CODE_ERRCODES:
                raise WeChatCodeInvalid()
            if error.errcode in RATE_LIMIT_ERRCODES:
                raise WeChatRateLimited()
            log.warning("code2session failed: errcode=%s", error.errcode)
            raise WeChatUnavailable()
        except requests.RequestException as error:
            log.warning("code2session unreachable: %s", type(error).__name__)
            raise WeChatUnavailable()
        return answer["openid"]


def cert_hash(cert_type, cert_name, cert_no):
    """WeChat's digest of the identity given to getverifyid (see queryverifyinfo's docs)."""
    def b64(value):
        return base64.b64encode(value.encode("utf-8")).decode("ascii")

    text = f"cert_type={b64(cert_type)}&cert_name={b64(cert_name)}&cert_no={b64(cert_no)}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


class WeChatFaceVerifier(ports.FaceVerifier):
    def __init__(self, client, timeout=5):
        self.client = client  # for the access token
        self.timeout = timeout
        self.http = requests.Session()

    def _post(self, path, body):
        url = f"{self.client.api_base}/cityservice/face/identify/{path}"
        try:
            response = self.http.post(url, params={"access_token": self.client.access_token},
                                      json=body, timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError, WeChatClientException) as error:
            log.warning("face verification %s unreachable: %s", path, type(error).__name__)
            raise WeChatUnavailable()

    def start(self, openid, out_seq_no, cert_name, cert_no):
        answer = self._post("getverifyid", {
            "out_seq_no": out_seq_no,
            "cert_info": {"cert_type": FACE_CERT_TYPE, "cert_name": cert_name, "cert_no": cert_no},
            "openid": openid,
        })
        if answer.get("errcode", 0) != 0 or not answer.get("verify_id"):
            log.warning("getverifyid refused: errcode=%s", answer.get("errcode"))
            raise WeChatUnavailable()
        return answer["verify_id"], int(answer.get("expires_in") or 3600)

    def result(self, verify_id, out_seq_no, openid, cert_name, cert_no):
        answer = self._post("queryverifyinfo", {
            "verify_id": verify_id,
            "out_seq_no": out_seq_no,
            "cert_hash": cert_hash(FACE_CERT_TYPE, cert_name, cert_no),
            "openid": openid,
        })
        # a pass needs errcode 0 AND verify_ret 10000; errcode alone never passes
        if answer.get("errcode", 0) != 0:
            log.warning("queryverifyinfo refused: errcode=%s", answer.get("errcode"))
            return None
        return answer.get("verify_ret")


class WeChatSubscribeMessenger(ports.SubscribeMessenger):
    """subscribeMessage.send through wechatpy; a refusal is logged, never raised (the inbox has it)."""

    def __init__(self, client, miniprogram_state="formal"):
        self.client = client
        self.miniprogram_state = miniprogram_state

    def send(self, openid, template_id, data, page):
        try:
            self.client.post("message/subscribe/send", data={
                "touser": openid, "template_id": template_id, "page": page, "data": data,
                "miniprogram_state": self.miniprogram_state, "lang": "zh_CN",
            })
            return True
        except WeChatClientException as error:
            log.warning("subscribe message refused: errcode=%s", error.errcode)
        except requests.RequestException as error:
            log.warning("subscribe message unreachable: %s", type(error).__name__)
        return False
