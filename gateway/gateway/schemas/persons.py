"""Schemas of the mini-program's person endpoints (API.md "Person login")."""
from gateway.schemas.base import (
    IdCardNo, Nested, RequestSchema, ResponseSchema, Str, DateTime, Int, length, one_of,
)


class WeChatLoginRequest(RequestSchema):
    code = Str(required=True, validate=length(1, 128), metadata={"description": "wx.login() 返回的 code"})


class PersonSchema(ResponseSchema):
    person_id = Str()
    name = Str(allow_none=True)
    id_card_masked = Str(allow_none=True, metadata={"example": "510104********1234"})
    realname_status = Str(metadata={"enum": ["unverified", "verified"]})
    phone_masked = Str(allow_none=True, metadata={"example": "138****8000"})
    employment = Nested(ResponseSchema, allow_none=True, dump_default=None)


class PersonLoginResponse(ResponseSchema):
    token = Str()
    expires_at = DateTime()
    person = Nested(PersonSchema, allow_none=True)


class RealnameStartRequest(RequestSchema):
    name = Str(required=True, validate=length(1, 30))
    id_card_no = IdCardNo(required=True)


class FaceSessionResponse(ResponseSchema):
    verify_id = Str()
    expires_in = Int()


class RealnameCompleteRequest(RequestSchema):
    verify_id = Str(required=True, validate=length(1, 256))
