"""Mini-program: WeChat login, real-name verification, the person's own record."""
from flask import g
from flask.views import MethodView

from gateway.auth import PERSON, issue_token
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.resources.logout import add_logout_route
from gateway.ratelimit import RATE_LIMITED_DOC, account_or_address, limit
from gateway.schemas.base import PageQuery
from gateway.schemas.persons import (
    FaceSessionResponse, FaceTicketRequest, MessagePage, MessageSchema, PersonLoginResponse,
    PersonSchema, ProfileRequest, RealnameCompleteRequest, RealnameStartRequest,
    SubscriptionGrantRequest, SubscriptionGrantResponse, SubscriptionStatus, WeChatLoginRequest,
)

blp = Blueprint("mp-persons", __name__, signed_in=PERSON, url_prefix="/api/v1/mp",
                description="小程序：微信登录、实名认证、个人信息")


@blp.route("/auth/login", signed_in=None)
class WeChatLogin(MethodView):
    @limit("XJ_LIMIT_MP_LOGIN")
    @blp.doc(responses=RATE_LIMITED_DOC)
    @blp.arguments(WeChatLoginRequest)
    @blp.response(200, PersonLoginResponse)
    def post(self, body):
        """微信登录（code2session）"""
        login = clients().identity.login_with_wechat(code=body["code"])
        person = login["person"]
        token, expires_at = issue_token(PERSON, person["person_id"], login["session"])
        return {"token": token, "expires_at": expires_at, "person": person}


Logout = add_logout_route(blp)


def face_check_limits(per_person):
    """The budget of face checks (each one costs a WeChat call): per client address and, for the
    routes that start one, per person too; documents the 429."""

    def decorator(view):
        view = blp.doc(responses=RATE_LIMITED_DOC)(view)
        if per_person:
            view = limit("XJ_LIMIT_FACE_PERSON", key_func=account_or_address)(view)
        return limit("XJ_LIMIT_FACE_ADDRESS")(view)

    return decorator


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, PersonSchema)
    def get(self):
        """当前人员信息，含当前在职的聘用（无则为 null）"""
        person = clients().identity.get_person(person_id=g.subject)
        person["employment"] = clients().employment.current_employment(person_id=g.subject)
        return person

    @blp.arguments(ProfileRequest)
    @blp.response(200, PersonSchema)
    def put(self, body):
        """修改个人资料（手机号、学历、地址）"""
        return clients().identity.update_profile(person_id=g.subject, **body)


@blp.route("/realname")
class RealnameStart(MethodView):
    @face_check_limits(per_person=True)
    @blp.arguments(RealnameStartRequest)
    @blp.response(200, FaceSessionResponse)
    def post(self, body):
        """发起实名认证（人脸核身 getverifyid）"""
        return clients().identity.start_realname(person_id=g.subject,
                                                 name=body["name"], id_card_no=body["id_card_no"])


@blp.route("/realname/complete")
class RealnameComplete(MethodView):
    @face_check_limits(per_person=False)
    @blp.arguments(RealnameCompleteRequest)
    @blp.response(200, PersonSchema)
    def post(self, body):
        """完成实名认证（queryverifyinfo，verify_ret 为 10000 才通过）"""
        return clients().identity.complete_realname(person_id=g.subject,
                                                    verify_id=body["verify_id"])


@blp.route("/face")
class FaceTicket(MethodView):
    @face_check_limits(per_person=True)
    @blp.arguments(FaceTicketRequest)
    @blp.response(200, FaceSessionResponse)
    def post(self, body):
        """为一次操作发起人脸核身（如接受聘用），该操作使用一次即失效"""
        return clients().identity.start_face_ticket(person_id=g.subject,
                                                    purpose=body["purpose"], target_id=body["target_id"])


@blp.route("/messages")
class Messages(MethodView):
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, MessagePage)
    def get(self, query):
        """消息列表（聘用邀请等通知，最新在前）"""
        return clients().identity.list_messages(person_id=g.subject, **query)


@blp.route("/messages/<string:message_id>/read")
class MessageRead(MethodView):
    @blp.response(200, MessageSchema)
    def post(self, message_id):
        """标记消息已读"""
        return clients().identity.mark_message_read(person_id=g.subject, message_id=message_id)


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.response(200, SubscriptionStatus)
    def get(self):
        """可订阅的消息模板（及各自对应的通知类别）与本人剩余可接收的条数，供 wx.requestSubscribeMessage 使用"""
        return clients().identity.subscriptions(person_id=g.subject)

    @blp.arguments(SubscriptionGrantRequest)
    @blp.response(200, SubscriptionGrantResponse)
    def post(self, body):
        """登记 wx.requestSubscribeMessage 中用户同意的订阅消息模板（每次同意可推送一条）"""
        return clients().identity.grant_subscriptions(person_id=g.subject,
                                                      template_ids=body["template_ids"])
