"""Serving the stub: in a background thread (tests, the platform launcher) or as `xj-stubs`."""
from __future__ import annotations

import logging
import signal
import sys
import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import create_app
from .config import StubConfigError
from .masking import mask_sensitive

log = logging.getLogger("xjstubs")


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler without its unmasked access log (the app logs each request, masked)."""

    def log_request(self, code="-", size="-") -> None:
        pass

    def log(self, type: str, message: str, *args) -> None:
        super().log(type, "%s", mask_sensitive(message % args if args else message))


def _make_server(app: Flask, port: int) -> BaseWSGIServer:
    host = app.config["XJ_STUBS"]["host"]
    return make_server(host, port, app, threaded=True, request_handler=_RequestHandler)


def serve_in_thread(port: int = 0, **config) -> tuple[BaseWSGIServer, str]:
    """Start the stub on `port` (0: any free one) in a daemon thread.

    Returns (server, base_url); stop it with `server.shutdown(); server.server_close()`.
    `config` overrides the environment: host, env, national_data, ca_crl_dir, wechat_apps,
    token_expires_in, face_expires_in, clock. Raises StubConfigError as create_app does.
    """
    app = create_app({**config, "port": port})
    server = _make_server(app, port)
    # a short poll interval so that shutdown() returns quickly (tests start many servers)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     name="xj-stubs", daemon=True).start()
    return server, f"http://{server.host}:{server.server_port}"


def _stop(signum, frame):
    raise SystemExit(0)


def main() -> int:
    """`xj-stubs` / `python -m xjstubs`: serve on XJ_STUBS_HOST:XJ_STUBS_PORT until SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app()
    except (StubConfigError, OSError) as exc:
        print(f"xj-stubs: {exc}", file=sys.stderr)
        return 2
    cfg = app.config["XJ_STUBS"]
    try:
        server = _make_server(app, cfg["port"])
    except OSError as exc:
        print(f"xj-stubs: cannot listen on {cfg['host']}:{cfg['port']}: {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop)
    log.info("xj-stubs listening on http://%s:%s (XJ_ENV=%s, national dataset %s)",
             cfg["host"], server.server_port, cfg["env"], cfg["national_data"])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
