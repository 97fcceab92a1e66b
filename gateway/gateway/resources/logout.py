"""The logout route both signed-in roles have: the same view on each role's blueprint."""
from flask import current_app, g
from flask.views import MethodView


def add_logout_route(blp, rule="/auth/logout"):
    """Registers ``POST <rule>`` on ``blp``: ends the caller's session (its token stops working)."""

    @blp.route(rule)
    class Logout(MethodView):
        @blp.response(204)
        def post(self):
            """退出登录：结束本次会话，此后该登录凭证（token）不再有效"""
            current_app.extensions["xj_sessions"].end(g.claims, current_app.extensions["xj_rpc"])

    return Logout
