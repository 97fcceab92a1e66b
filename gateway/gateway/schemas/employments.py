"""Schemas of employment (聘用): the enterprise's offers and the person's decisions."""
from gateway.schemas.base import (
    Bool, Date, DateTime, IdCardNo, List, Nested, PageQuery, RequestSchema, ResponseSchema, Str, length, one_of,
    page_of,
)

STATUSES = ("pending", "active", "rejected", "cancelled", "terminated", "expired")


class PersonLookupQuery(RequestSchema):
    id_card_no = IdCardNo(required=True)


class PersonLookupResponse(ResponseSchema):
    person_id = Str()
    name = Str()
    id_card_masked = Str()
    realname_status = Str(metadata={"enum": ["unverified", "verified"]})
    employable = Bool()
    reason = Str(allow_none=True)


class OfferRequest(RequestSchema):
    id_card_no = IdCardNo(required=True)
    contract_start = Date(required=True)
    contract_end = Date(required=True)
    contract_file_id = Str(required=True, validate=length(1, 64))


class EmploymentListQuery(PageQuery):
    status = Str(validate=one_of(STATUSES))


class EmploymentSchema(ResponseSchema):
    id = Str()
    person_id = Str()
    person_name = Str()
    id_card_masked = Str()
    enterprise_uscc = Str()
    enterprise_name = Str()
    contract_start = Str(metadata={"format": "date"})
    contract_end = Str(metadata={"format": "date"})
    contract_file_id = Str()
    status = Str(metadata={"enum": list(STATUSES)})
    created_at = DateTime()
    decided_at = DateTime(allow_none=True)
    ended_at = DateTime(allow_none=True)
    end_reason = Str(allow_none=True)


EmploymentPage = page_of(EmploymentSchema)


class PersonEmploymentList(ResponseSchema):
    items = List(Nested(EmploymentSchema))


class AcceptRequest(RequestSchema):
    verify_id = Str(required=True, validate=length(1, 256), metadata={"description": "POST /mp/face 所得、已完成人脸核身的 verify_id"})


class RejectRequest(RequestSchema):
    reason = Str(validate=length(1, 200))
