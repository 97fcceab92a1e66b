"""The refusals of a CA-certificate login: a stable code and a Chinese message for the user."""

CA_CERT_UNTRUSTED = "CA_CERT_UNTRUSTED"
CA_CERT_EXPIRED = "CA_CERT_EXPIRED"
CA_CERT_REVOKED = "CA_CERT_REVOKED"
CA_SIGNATURE_INVALID = "CA_SIGNATURE_INVALID"
CA_NO_USCC = "CA_NO_USCC"

DEFAULT_MESSAGES = {
    CA_CERT_UNTRUSTED: "证书不是由受信任的CA机构签发的",
    CA_CERT_EXPIRED: "证书不在有效期内",
    CA_CERT_REVOKED: "证书已被CA机构吊销",
    CA_SIGNATURE_INVALID: "签名验证失败",
    CA_NO_USCC: "证书中未找到有效的统一社会信用代码",
}


class CaLoginError(Exception):
    """A certificate login refused. ``code`` is one of the ``CA_*`` constants above."""

    def __init__(self, code: str, message: str | None = None):
        if code not in DEFAULT_MESSAGES:
            raise ValueError(f"unknown CA login error code {code!r}")
        self.code = code
        self.message = message or DEFAULT_MESSAGES[code]
        super().__init__(self.code, self.message)

    def __str__(self):
        return f"{self.code}: {self.message}"


class TrustStoreError(Exception):
    """The configured roots or CRLs cannot be loaded (a deployment problem, not a login refusal)."""
