"""The refusals of a CA-certificate login: a stable code, its HTTP status and a Chinese message
that tells the user what to do."""

CA_CERT_UNTRUSTED = "CA_CERT_UNTRUSTED"
CA_CERT_EXPIRED = "CA_CERT_EXPIRED"
CA_CERT_REVOKED = "CA_CERT_REVOKED"
CA_CERT_NOT_ENTERPRISE = "CA_CERT_NOT_ENTERPRISE"
CA_CRL_UNAVAILABLE = "CA_CRL_UNAVAILABLE"
CA_SIGNATURE_INVALID = "CA_SIGNATURE_INVALID"
CA_NO_USCC = "CA_NO_USCC"

DEFAULT_MESSAGES = {
    CA_CERT_UNTRUSTED: "证书不是由受信任的CA机构签发的",
    CA_CERT_EXPIRED: "证书不在有效期内",
    CA_CERT_REVOKED: "证书已被CA机构吊销",
    CA_CERT_NOT_ENTERPRISE: "该证书不是企业身份认证证书，请使用CA机构签发的企业证书（CA锁）登录",
    CA_CRL_UNAVAILABLE: "暂时无法核验证书是否已被吊销（证书吊销列表不可用），请稍后重试；如持续出现请联系平台运维",
    CA_SIGNATURE_INVALID: "签名验证失败",
    CA_NO_USCC: "证书中未找到有效的统一社会信用代码",
}

# 503: the platform cannot check revocation right now; the certificate may well be fine (retry later)
STATUSES = {code: 401 for code in DEFAULT_MESSAGES} | {CA_CRL_UNAVAILABLE: 503}


class CaLoginError(Exception):
    """A certificate login refused. ``code`` is one of the ``CA_*`` constants above; ``status`` the
    HTTP status API.md gives it (401, or 503 for CA_CRL_UNAVAILABLE)."""

    def __init__(self, code: str, message: str | None = None):
        if code not in DEFAULT_MESSAGES:
            raise ValueError(f"unknown CA login error code {code!r}")
        self.code = code
        self.status = STATUSES[code]
        self.message = message or DEFAULT_MESSAGES[code]
        super().__init__(self.code, self.message)

    def __str__(self):
        return f"{self.code}: {self.message}"


class TrustStoreError(Exception):
    """The configured roots, CRLs or CA settings cannot be used (a deployment problem, not a login refusal)."""
