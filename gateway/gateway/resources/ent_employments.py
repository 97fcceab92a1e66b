"""Enterprise portal: look up a person, make offers, cancel, terminate (聘用)."""
from flask import g
from flask.views import MethodView

from gateway.auth import ENTERPRISE
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.ratelimit import RATE_LIMITED_DOC, account_or_address, limit
from gateway.idempotency import idempotency_of
from gateway.schemas.employments import (
    EmploymentListQuery, EmploymentPage, EmploymentSchema, OfferRequest, PersonLookupQuery,
    PersonLookupResponse,
)

blp = Blueprint("ent-employments", __name__, signed_in=ENTERPRISE, url_prefix="/api/v1/ent", description="企业端：人员查询与聘用")


@blp.route("/persons/lookup")
class PersonLookup(MethodView):
    @limit("XJ_LIMIT_LOOKUP_ADDRESS")
    @limit("XJ_LIMIT_LOOKUP_ACCOUNT", key_func=account_or_address)
    @blp.doc(responses=RATE_LIMITED_DOC)
    @blp.arguments(PersonLookupQuery, location="query")
    @blp.response(200, PersonLookupResponse)
    def get(self, query):
        """按身份证号查询人员（是否实名、能否聘用及原因）"""
        return clients().employment.lookup_person(enterprise_uscc=g.subject,
                                                  id_card_no=query["id_card_no"])


@blp.route("/employments")
class Employments(MethodView):
    @blp.arguments(EmploymentListQuery, location="query")
    @blp.response(200, EmploymentPage)
    def get(self, query):
        """本企业的聘用记录，可按状态筛选"""
        return clients().employment.list_for_enterprise(enterprise_uscc=g.subject, **query)

    @blp.arguments(OfferRequest)
    @blp.response(201, EmploymentSchema)
    def post(self, body):
        """发起聘用：人员须已实名且未在职；合同期限与劳动合同文件必填。支持 Idempotency-Key。"""
        offer = {"id_card_no": body["id_card_no"], "contract_start": body["contract_start"].isoformat(),
                 "contract_end": body["contract_end"].isoformat(), "contract_file_id": body["contract_file_id"]}
        return clients().employment.make_offer(enterprise_uscc=g.subject,
                                               enterprise_name=g.claims.get("name") or g.subject, **offer,
                                               **idempotency_of(offer))


@blp.route("/employments/<string:employment_id>")
class EmploymentDetail(MethodView):
    @blp.response(200, EmploymentSchema)
    def get(self, employment_id):
        """一条聘用记录"""
        return clients().employment.get_for_enterprise(enterprise_uscc=g.subject,
                                                       employment_id=employment_id)


@blp.route("/employments/<string:employment_id>/cancel")
class CancelOffer(MethodView):
    @blp.response(200, EmploymentSchema)
    def post(self, employment_id):
        """撤销待确认的聘用邀请"""
        return clients().employment.cancel_offer(enterprise_uscc=g.subject, employment_id=employment_id,
                                                 **idempotency_of({}))


@blp.route("/employments/<string:employment_id>/terminate")
class TerminateEmployment(MethodView):
    @blp.response(200, EmploymentSchema)
    def post(self, employment_id):
        """解除在职的聘用关系"""
        return clients().employment.terminate_by_enterprise(enterprise_uscc=g.subject,
                                                            employment_id=employment_id, **idempotency_of({}))
