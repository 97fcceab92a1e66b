"""Enterprise portal: CA-certificate login (challenge → signature), logout, and the enterprise's account."""
from flask import g
from flask.views import MethodView

from gateway.auth import ENTERPRISE, issue_token
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.resources.logout import add_logout_route
from gateway.bodies import body_limit
from gateway.ratelimit import RATE_LIMITED_DOC, everyone, limit
from gateway.schemas.enterprises import CaLoginRequest, CaLoginResponse, ChallengeResponse, EnterpriseMe
from gateway.schemas.filings import registration_summary

blp = Blueprint("ent-auth", __name__, signed_in=ENTERPRISE, url_prefix="/api/v1/ent", description="企业端：CA证书登录")


# a login carries the certificate chain: identity-svc reads up to 64 K characters of it
LOGIN_BODY_LIMIT = 128 * 1024


@blp.route("/auth/challenge", signed_in=None)
class Challenge(MethodView):
    @limit("XJ_LIMIT_CA_CHALLENGE")
    @blp.doc(responses=RATE_LIMITED_DOC)
    @blp.response(200, ChallengeResponse)
    def post(self):
        """获取登录挑战码（随机数，一次有效，5分钟内使用）"""
        return clients().identity.create_login_challenge()


@blp.route("/auth/login", signed_in=None)
@body_limit(LOGIN_BODY_LIMIT)
class CaLogin(MethodView):
    @limit("XJ_LIMIT_CA_LOGIN_ALL", key_func=everyone)
    @limit("XJ_LIMIT_CA_LOGIN")
    @blp.doc(responses=RATE_LIMITED_DOC)
    @blp.arguments(CaLoginRequest)
    @blp.response(200, CaLoginResponse)
    def post(self, body):
        """CA证书登录：提交证书和对挑战码的签名（RSA、ECDSA 或 SM2）"""
        account = clients().identity.login_with_certificate(**body)
        # the name travels in the token: offers and filings show it without asking identity again
        token, expires_at = issue_token(ENTERPRISE, account["uscc"], account["session"],
                                        extra={"name": account["name"]})
        return {"token": token, "expires_at": expires_at,
                "enterprise": {"uscc": account["uscc"], "name": account["name"]}}


Logout = add_logout_route(blp)


@blp.route("/me")
class EnterpriseAccount(MethodView):
    @blp.response(200, EnterpriseMe)
    def get(self):
        """当前企业：账户、各企业类型的进疆登记及统计"""
        enterprise = clients().identity.get_enterprise(uscc=g.subject)
        registrations = clients().filing.registrations(enterprise_uscc=g.subject)
        return {**enterprise, **registration_summary(registrations)}
