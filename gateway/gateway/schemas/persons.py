"""Schemas of the mini-program's person endpoints (API.md "Person login")."""
from xjkit.contract import FACE_PURPOSES

from gateway.schemas.base import (
    Bool, DateTime, Dict, IdCardNo, Int, List, Mobile, Nested, RequestSchema, ResponseSchema, Str, length,
    one_of, page_of,
)
from gateway.schemas.employments import EmploymentSchema

EDUCATION_LEVELS = ("初中及以下", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")


class WeChatLoginRequest(RequestSchema):
    code = Str(required=True, validate=length(1, 128), metadata={"description": "wx.login() 返回的 code"})


class PersonSchema(ResponseSchema):
    person_id = Str()
    name = Str(allow_none=True)
    id_card_masked = Str(allow_none=True, metadata={"example": "510104********1234"})
    realname_status = Str(metadata={"enum": ["unverified", "verified"]})
    phone_masked = Str(allow_none=True, metadata={"example": "138****8000"})
    education = Str(allow_none=True, metadata={"enum": list(EDUCATION_LEVELS)})
    address = Str(allow_none=True)
    employment = Nested(EmploymentSchema, allow_none=True, dump_default=None)


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


class ProfileRequest(RequestSchema):
    phone = Mobile()
    education = Str(validate=one_of(EDUCATION_LEVELS))
    address = Str(validate=length(1, 200))


class FaceTicketRequest(RequestSchema):
    purpose = Str(required=True, validate=one_of(FACE_PURPOSES))
    target_id = Str(required=True, validate=length(1, 64))


class MessageSchema(ResponseSchema):
    id = Str()
    kind = Str()
    title = Str()
    body = Str()
    target_id = Str(allow_none=True)
    created_at = DateTime()
    read = Bool()


MessagePage = page_of(MessageSchema)


class SubscriptionGrantRequest(RequestSchema):
    template_ids = List(Str(validate=length(1, 128)), required=True, validate=length(1, 10))


class SubscriptionGrantResponse(ResponseSchema):
    subscribe_grants = Nested(ResponseSchema)


class SubscriptionTemplate(ResponseSchema):
    template_id = Str()
    kinds = List(Str(), metadata={"description": "此模板推送的通知类别，如 employment_offer、title_confirmed"})


class SubscriptionStatus(ResponseSchema):
    templates = List(Nested(SubscriptionTemplate))
    subscribe_grants = Dict(keys=Str(), values=Int(), metadata={"description": "模板ID → 剩余可推送条数"})
