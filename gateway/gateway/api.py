"""The gateway's flask-smorest ``Api``: every operation documents its errors with the API.md body."""
from flask_smorest import Api

from gateway.schemas.base import ErrorBody


class GatewayApi(Api):
    # the documentation of the DEFAULT_ERROR response every operation carries; the bodies
    # themselves are written by gateway.errors
    ERROR_SCHEMA = ErrorBody
