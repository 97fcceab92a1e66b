"""The baseline of bench_gateway: a bare Flask app answering what the gateway's /healthz answers.

Served by gunicorn with the gateway's own gunicorn.conf.py, so only the application differs.
"""
from flask import Flask, jsonify


def create_app():
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app
