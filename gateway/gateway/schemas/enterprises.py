"""Schemas of the enterprise CA login (API.md "Enterprise login (CA)")."""
from gateway.schemas.base import DateTime, List, Nested, RequestSchema, ResponseSchema, Str, length
from gateway.schemas.filings import RegistrationBrief, RegistrationCounts


class ChallengeResponse(ResponseSchema):
    challenge_id = Str()
    nonce = Str(metadata={"description": "Base64 编码的随机数（32 字节），CA锁对其原始字节签名"})
    expires_at = DateTime()


class CaLoginRequest(RequestSchema):
    challenge_id = Str(required=True, validate=length(1, 64))
    certificate = Str(required=True, validate=length(1, 20000), metadata={"description": "PEM 格式的签名证书"})
    signature = Str(required=True, validate=length(1, 2000), metadata={"description": "对 nonce 原始字节的签名（Base64）"})


class EnterpriseBrief(ResponseSchema):
    uscc = Str()
    name = Str()


class CaLoginResponse(ResponseSchema):
    token = Str()
    expires_at = DateTime()
    enterprise = Nested(EnterpriseBrief)


class CertificateBrief(ResponseSchema):
    issuer = Str()
    serial_hex = Str()
    algorithm = Str()
    not_after = DateTime()
    last_login_at = DateTime()


class EnterpriseMe(ResponseSchema):
    uscc = Str()
    name = Str()
    last_login_at = DateTime(allow_none=True)
    certificates = List(Nested(CertificateBrief))
    registrations = List(Nested(RegistrationBrief))
    counts = Nested(RegistrationCounts)
