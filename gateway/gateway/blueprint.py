"""The gateway's Blueprint: flask-smorest's, with the strict JSON parser (``gateway.bodies``) and
the sign-in a route needs.

Every resource module builds its blueprint from this class, so no route can parse a body more
leniently than the rest. A blueprint made with ``signed_in=ENTERPRISE`` (or ``PERSON``) puts every
route behind that role's token and session check, and documents the bearer token on each of its
operations; a route that must stay open (the login itself) says ``blp.route(rule, signed_in=None)``.
"""
import flask_smorest
from flask.views import MethodView

from gateway.auth import role_required
from gateway.bodies import StrictJSONParser

BEARER = [{"bearerAuth": []}]
_BLUEPRINT_DEFAULT = object()


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictJSONParser()

    def __init__(self, *args, signed_in=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in

    def route(self, rule, *, signed_in=_BLUEPRINT_DEFAULT, **options):
        role = self.signed_in if signed_in is _BLUEPRINT_DEFAULT else signed_in
        register = super().route(rule, **options)
        if role is None:
            return register

        def decorator(view):
            view = self._decorate_view_func_or_method_view(self.doc(security=BEARER), view)
            required = role_required(role)
            if isinstance(view, type) and issubclass(view, MethodView):
                # as_view() wraps the dispatch in these, the last outermost: the check runs first
                view.decorators = [*view.decorators, required]
            else:
                view = required(view)
            return register(view)

        return decorator
