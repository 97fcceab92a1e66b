"""Mini-program: WeChat login, real-name verification, the person's own record."""
from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth import PERSON, issue_token, person_required
from gateway.schemas.persons import (
    FaceSessionResponse, PersonLoginResponse, PersonSchema, RealnameCompleteRequest,
    RealnameStartRequest, WeChatLoginRequest,
)

blp = Blueprint("mp-persons", __name__, url_prefix="/api/v1/mp",
                description="小程序：微信登录、实名认证、个人信息")
BEARER = [{"bearerAuth": []}]


def services():
    return current_app.extensions["xj_rpc"]


@blp.route("/auth/login")
class WeChatLogin(MethodView):
    @blp.arguments(WeChatLoginRequest)
    @blp.response(200, PersonLoginResponse)
    def post(self, body):
        """微信登录（code2session）"""
        login = services().call("identity", "login_with_wechat", code=body["code"])
        person = login["person"]
        token, expires_at = issue_token(
            PERSON, person["person_id"], current_app.extensions["xj_clock"].now(),
            current_app.config["XJ_TOKEN_TTL_SECONDS"],
        )
        return {"token": token, "expires_at": expires_at, "person": person}


@blp.route("/me")
class Me(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.response(200, PersonSchema)
    def get(self):
        """当前人员信息"""
        return services().call("identity", "get_person", person_id=g.subject)


@blp.route("/realname")
class RealnameStart(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.arguments(RealnameStartRequest)
    @blp.response(200, FaceSessionResponse)
    def post(self, body):
        """发起实名认证（人脸核身 getverifyid）"""
        return services().call("identity", "start_realname", person_id=g.subject,
                               name=body["name"], id_card_no=body["id_card_no"])


@blp.route("/realname/complete")
class RealnameComplete(MethodView):
    decorators = [person_required]

    @blp.doc(security=BEARER)
    @blp.arguments(RealnameCompleteRequest)
    @blp.response(200, PersonSchema)
    def post(self, body):
        """完成实名认证（queryverifyinfo，verify_ret 为 10000 才通过）"""
        return services().call("identity", "complete_realname", person_id=g.subject,
                               verify_id=body["verify_id"])
