"""Public API (进疆企业信息公示，API.md "Public"): no login, rate limited per client, cacheable
with ETag. The search, one enterprise's detail, the change feed for bidding platforms and the
verification of a printed booklet (进疆报送册), all read from publicity-svc.

A malformed USCC or booklet number cannot name anything: 404 without a call. Responses only
carry public fields (see ``gateway.schemas.public``), and every string in them has been through
the one public redaction (``gateway.public_reads``). Answers are cached in Redis per version of
the public read model, their ETag is that version, and a matching ``If-None-Match`` is a 304 that
reaches no service (``gateway.public_cache``).
"""

from flask.views import MethodView

from xjkit.booklets import is_booklet_no, normalize_booklet_no
from xjkit.errors import NotFound, PublicEnterpriseNotFound
from xjkit.validators import check_uscc, normalize_uscc

from gateway import http_cache
from gateway.public_cache import cached_public
from gateway.blueprint import Blueprint
from gateway.ratelimit import RATE_LIMITED_DOC, limit_blueprint
from gateway.schemas.public import (
    BookletVerification, EnterpriseSearchQuery, Feed, FeedQuery, PublicEnterpriseDetail, PublicEnterprisePage,
)

LIST_MAX_AGE = 30
FEED_MAX_AGE = 5

blp = Blueprint("public-api", __name__, url_prefix="/api/v1/public",
                description="公开接口（无需登录，按客户端限流，可按 ETag 缓存）：进疆企业公示、变更订阅、报送册核验")
limit_blueprint(blp, "XJ_LIMIT_PUBLIC")  # one budget per client with the public pages
http_cache.init_blueprint(blp)


class BookletNotFound(NotFound, code="BOOKLET_NOT_FOUND", message="报送册编号不正确，请核对纸质报送册封面上的编号"): ...




def cache_doc(max_age):
    return {
        200: {"headers": {
            "ETag": {"schema": {"type": "string"}, "description": "公示数据的版本与业务日期（强校验；公示有任何变更即改变）"},
            "Cache-Control": {"schema": {"type": "string", "enum": [f"public, max-age={max_age}"]}},
        }},
        304: {"description": "If-None-Match 与当前 ETag 相符，无响应体"},
        **RATE_LIMITED_DOC,
    }


@blp.route("/enterprises")
class Enterprises(MethodView):
    @blp.doc(responses=cache_doc(LIST_MAX_AGE))
    @blp.arguments(EnterpriseSearchQuery(), location="query")  # one instance: not rebuilt per request
    @blp.response(200, PublicEnterprisePage)
    @http_cache.cacheable(LIST_MAX_AGE)
    def get(self, query):
        """查询进疆企业公示：仅含有效登记；q 匹配企业名称（包含）或统一社会信用代码"""
        return cached_public("search", PublicEnterprisePage, LIST_MAX_AGE, q=query.get("q"),
                             enterprise_type=query.get("enterprise_type"), qualification=query.get("qualification"),
                             page=query["page"], per_page=query["per_page"])


@blp.route("/enterprises/<string:uscc>")
class Enterprise(MethodView):
    @blp.doc(responses=cache_doc(LIST_MAX_AGE))
    @blp.response(200, PublicEnterpriseDetail)
    @blp.alt_response(404, description="统一社会信用代码无效，或该企业没有有效的进疆登记（PUBLIC_ENTERPRISE_NOT_FOUND）")
    @http_cache.cacheable(LIST_MAX_AGE)
    def get(self, uscc):
        """一家企业的公示：有效登记、资质、已报送人员（身份证号码脱敏）、承揽业务备案"""
        code = normalize_uscc(uscc)
        if check_uscc(code):
            raise PublicEnterpriseNotFound()
        return cached_public("enterprise", PublicEnterpriseDetail, LIST_MAX_AGE, uscc=code)


@blp.route("/feed")
class ChangeFeed(MethodView):
    @blp.doc(responses=cache_doc(FEED_MAX_AGE))
    @blp.arguments(FeedQuery(), location="query")
    @blp.response(200, Feed)
    @http_cache.cacheable(FEED_MAX_AGE)
    def get(self, query):
        """变更订阅（供招标投标平台）：since 之后的变更，每家企业为其最新状态；下次以 next 作为 since"""
        return cached_public("feed", Feed, FEED_MAX_AGE, since=query.get("since"), limit=query["limit"])


@blp.route("/booklets/<string:booklet_no>")
class Booklet(MethodView):
    @blp.doc(responses=cache_doc(LIST_MAX_AGE))
    @blp.response(200, BookletVerification)
    @blp.alt_response(404, description="报送册编号不正确：格式或校验位不符（BOOKLET_NOT_FOUND），不查询任何服务")
    @http_cache.cacheable(LIST_MAX_AGE)
    def get(self, booklet_no):
        """核验纸质进疆报送册：是否为本系统出具（authentic），是否为当前有效的一册（current）"""
        number = normalize_booklet_no(booklet_no)
        if not is_booklet_no(number):  # a typo never names another booklet: its check character fails
            raise BookletNotFound()
        return cached_public("verify_booklet", BookletVerification, LIST_MAX_AGE, booklet_no=number)
