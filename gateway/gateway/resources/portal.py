"""The enterprise portal (企业服务平台): its runtime settings, and its built single-page app.

``GET /api/v1/portal/settings`` (no login) tells the portal at run time what the build cannot know:
the environment, the business date, whether the development "software certificate" login is allowed
(only in dev and test) and where the user's local CA helper listens (the fixed 127.0.0.1:21051 /
21061 of the real helper; in dev and test the stub's address, ``XJ_CA_HELPER_URL``).

``/portal/…`` serves the Vite build (``XJ_PORTAL_DIR``, default ``portal/dist``): its files, and for
any other path under /portal/ the app's ``index.html`` (the router decides). In production the
web-server container serves the same files; the gateway serves them for ``make run``.
"""
import os

from flask import Blueprint as FlaskBlueprint
from flask import current_app, redirect, send_from_directory
from flask.views import MethodView

from xjkit.config import is_dev_or_test, xj_env

from gateway.blueprint import Blueprint
from gateway.schemas.base import Bool, List, ResponseSchema, Str

# where a real 新疆CA / BJCA helper listens on the user's PC: HTTP, and HTTPS for pages served over HTTPS
PRODUCTION_HELPER_URLS = ("http://127.0.0.1:21051", "https://127.0.0.1:21061")
DEFAULT_PORTAL_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "portal", "dist"))

blp = Blueprint("portal", __name__, url_prefix="/api/v1/portal", description="企业服务平台：运行配置")
web = FlaskBlueprint("portal-web", __name__)

def helper_urls(environ=os.environ):
    """The helper's addresses, in the order the portal tries them."""
    configured = (environ.get("XJ_CA_HELPER_URL") or "").strip().rstrip("/")
    if configured and is_dev_or_test(environ):
        return [configured]
    return list(PRODUCTION_HELPER_URLS)


def portal_settings(environ=os.environ):
    env = xj_env(environ)
    return {
        "env": env,
        "today": current_app.config["XJ_BUSINESS_CLOCK"].today().isoformat(),
        "software_certificate": env in ("dev", "test"),
        "ca_helper_urls": helper_urls(environ),
    }


class PortalSettings(ResponseSchema):
    env = Str(metadata={"enum": ["dev", "test", "prod"], "description": "运行环境"})
    today = Str(metadata={"format": "date", "description": "业务日期（Asia/Shanghai），办理期限按此日期计算"})
    software_certificate = Bool(metadata={"description": "是否允许“软证书”（选择PEM证书和私钥）登录：仅开发和测试环境"})
    ca_helper_urls = List(Str(), metadata={
        "description": "本机CA助手（证书应用环境）的地址，按顺序尝试；生产环境为 http://127.0.0.1:21051 与 "
                       "https://127.0.0.1:21061"})


@blp.route("/settings")
class Settings(MethodView):
    @blp.response(200, PortalSettings)
    def get(self):
        """企业服务平台的运行配置（无需登录）：运行环境、业务日期、是否允许软证书登录、本机CA助手地址"""
        return portal_settings()


@blp.after_request
def settings_not_cached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the built app ---------------------------------------------------------------------------

def portal_dir():
    return current_app.config.get("XJ_PORTAL_DIR") or os.environ.get("XJ_PORTAL_DIR") or DEFAULT_PORTAL_DIR


def content_security_policy():
    helpers = " ".join(helper_urls())
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            f"font-src 'self' data:; connect-src 'self' {helpers}; frame-src 'self' blob:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


NOT_BUILT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>企业服务平台尚未构建</title></head>
<body><h1>企业服务平台尚未构建</h1><p>请在项目目录运行 <code>make run</code>（或 <code>cd portal &amp;&amp; npm ci &amp;&amp;
npm run build</code>）后刷新本页。生产环境由 Web 服务器容器提供 /portal/。</p></body></html>"""


@web.get("/portal")
def portal_root():
    return redirect("/portal/", code=308)


@web.get("/portal/")
@web.get("/portal/<path:path>")
def portal_file(path=""):
    directory = portal_dir()
    if not os.path.isfile(os.path.join(directory, "index.html")):
        return NOT_BUILT, 503, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    candidate = os.path.normpath(os.path.join(directory, path)) if path else ""
    if path and candidate.startswith(directory + os.sep) and os.path.isfile(candidate):
        response = send_from_directory(directory, path)
        if path.startswith("assets/"):  # content-hashed names: never change
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "public, max-age=3600"
    elif "." in path.rsplit("/", 1)[-1]:
        # a missing file (an old asset, a typo): a 404, not the app's page with status 200
        return "Not Found", 404, {"Content-Type": "text/plain; charset=utf-8"}
    else:
        response = send_from_directory(directory, "index.html")  # a route of the app
        response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = content_security_policy()
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
    return response
