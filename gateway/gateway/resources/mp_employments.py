"""Mini-program: the person's offers and employments; accept (with a face ticket) or reject."""
from flask import g
from flask.views import MethodView

from gateway.auth import PERSON
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.idempotency import idempotency_of
from gateway.resources.ent_files import download_response
from gateway.schemas.employments import AcceptRequest, EmploymentSchema, PersonEmploymentList, RejectRequest
from gateway.schemas.files import DOWNLOAD_RESPONSES

blp = Blueprint("mp-employments", __name__, signed_in=PERSON, url_prefix="/api/v1/mp", description="小程序：聘用邀请与在职")


@blp.route("/employments")
class MyEmployments(MethodView):
    @blp.response(200, PersonEmploymentList)
    def get(self):
        """我的聘用邀请、当前与历史聘用"""
        return clients().employment.list_for_person(person_id=g.subject)


@blp.route("/employments/<string:employment_id>/contract")
class OfferContract(MethodView):
    @blp.doc(responses={**DOWNLOAD_RESPONSES, 404: {"description": "聘用记录不存在或不属于本人"}})
    def get(self, employment_id):
        """下载本人聘用邀请（或聘用）的劳动合同"""
        return download_response(clients().employment.read_contract_for_person(person_id=g.subject,
                                                                               employment_id=employment_id))


@blp.route("/employments/<string:employment_id>/accept")
class AcceptOffer(MethodView):
    @blp.arguments(AcceptRequest)
    @blp.response(200, EmploymentSchema)
    def post(self, body, employment_id):
        """接受聘用：需先为该邀请完成一次人脸核身（POST /mp/face，purpose=employment.accept）"""
        return clients().employment.accept_offer(person_id=g.subject, employment_id=employment_id,
                                                 verify_id=body["verify_id"], **idempotency_of(body))


@blp.route("/employments/<string:employment_id>/reject")
class RejectOffer(MethodView):
    @blp.arguments(RejectRequest)
    @blp.response(200, EmploymentSchema)
    def post(self, body, employment_id):
        """拒绝聘用邀请"""
        return clients().employment.reject_offer(person_id=g.subject, employment_id=employment_id,
                                                 reason=body.get("reason"), **idempotency_of(body))


@blp.route("/employments/<string:employment_id>/terminate")
class LeaveEmployment(MethodView):
    @blp.response(200, EmploymentSchema)
    def post(self, employment_id):
        """本人解除在职的聘用关系"""
        return clients().employment.terminate_by_person(person_id=g.subject, employment_id=employment_id,
                                                        **idempotency_of({}))
