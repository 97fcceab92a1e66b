"""Mini-program: the person's offers and employments; accept (with a face ticket) or reject."""
from flask import current_app, g
from flask.views import MethodView

from gateway.auth import person_required
from gateway.blueprint import Blueprint
from gateway.idempotency import idempotency_of
from gateway.resources.ent_files import download_response
from gateway.schemas.employments import AcceptRequest, EmploymentSchema, PersonEmploymentList, RejectRequest
from gateway.schemas.files import DOWNLOAD_RESPONSES

blp = Blueprint("mp-employments", __name__, url_prefix="/api/v1/mp", description="小程序：聘用邀请与在职")
BEARER = [{"bearerAuth": []}]


def services():
    return current_app.extensions["xj_rpc"]


@blp.route("/employments")
class MyEmployments(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.response(200, PersonEmploymentList)
    def get(self):
        """我的聘用邀请、当前与历史聘用"""
        return services().call("employment", "list_for_person", person_id=g.subject)


@blp.route("/employments/<string:employment_id>/contract")
class OfferContract(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER, responses={**DOWNLOAD_RESPONSES, 404: {"description": "聘用记录不存在或不属于本人"}})
    def get(self, employment_id):
        """下载本人聘用邀请（或聘用）的劳动合同"""
        return download_response(services().call("employment", "read_contract_for_person", person_id=g.subject,
                                                 employment_id=employment_id))


@blp.route("/employments/<string:employment_id>/accept")
class AcceptOffer(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.arguments(AcceptRequest)
    @blp.response(200, EmploymentSchema)
    def post(self, body, employment_id):
        """接受聘用：需先为该邀请完成一次人脸核身（POST /mp/face，purpose=employment.accept）"""
        return services().call("employment", "accept_offer", person_id=g.subject, employment_id=employment_id,
                               verify_id=body["verify_id"], **idempotency_of(body))


@blp.route("/employments/<string:employment_id>/reject")
class RejectOffer(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.arguments(RejectRequest)
    @blp.response(200, EmploymentSchema)
    def post(self, body, employment_id):
        """拒绝聘用邀请"""
        return services().call("employment", "reject_offer", person_id=g.subject, employment_id=employment_id,
                               reason=body.get("reason"), **idempotency_of(body))


@blp.route("/employments/<string:employment_id>/terminate")
class LeaveEmployment(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.response(200, EmploymentSchema)
    def post(self, employment_id):
        """本人解除在职的聘用关系"""
        return services().call("employment", "terminate_by_person", person_id=g.subject, employment_id=employment_id,
                               **idempotency_of({}))
