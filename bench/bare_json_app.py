"""The baseline of bench_public: a bare Flask app answering the public list's exact bytes.

``GET /api/v1/public/enterprises`` returns the body recorded from the gateway in the same run
(read once, at start-up, from the file named by ``XJ_BENCH_JSON_BODY``) as ``application/json``.
No RPC, no schema, no ETag, no rate limit: served by gunicorn with the gateway's own
gunicorn.conf.py, it is what the same JSON costs without the platform behind it.
"""
import os

from flask import Flask, Response

BODY_ENV = "XJ_BENCH_JSON_BODY"
PATH = "/api/v1/public/enterprises"


def create_app():
    with open(os.environ[BODY_ENV], "rb") as handle:
        body = handle.read()
    app = Flask(__name__)

    @app.get(PATH)
    def enterprises():
        return Response(body, mimetype="application/json")

    return app
