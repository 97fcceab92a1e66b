"""The baseline of bench_public: a bare Flask app answering the public API's exact bytes.

``GET /api/v1/public/enterprises`` returns the list body recorded from the gateway in the same run
(read once, at start-up, from the file named by ``XJ_BENCH_JSON_BODY``) and
``GET /api/v1/public/enterprises/<uscc>`` the detail body (``XJ_BENCH_JSON_DETAIL``, optional), as
``application/json``. No RPC, no schema, no ETag, no rate limit: served by gunicorn with the
gateway's own gunicorn.conf.py, it is what the same JSON costs without the platform behind it.
"""
import os

from flask import Flask, Response

BODY_ENV = "XJ_BENCH_JSON_BODY"
DETAIL_ENV = "XJ_BENCH_JSON_DETAIL"
PATH = "/api/v1/public/enterprises"


def _read(name):
    if not os.environ.get(name):
        return b"{}"
    with open(os.environ[name], "rb") as handle:
        return handle.read()


def create_app():
    body, detail_body = _read(BODY_ENV), _read(DETAIL_ENV)
    app = Flask(__name__)

    @app.get(PATH)
    def enterprises():
        return Response(body, mimetype="application/json")

    @app.get(f"{PATH}/<uscc>")
    def enterprise(uscc):
        return Response(detail_body, mimetype="application/json")

    return app
