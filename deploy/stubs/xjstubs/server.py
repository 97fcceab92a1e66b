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


def _make_server(app: Flask, port: int, config_key: str = "XJ_STUBS") -> BaseWSGIServer:
    host = app.config[config_key]["host"]
    return make_server(host, port, app, threaded=True, request_handler=_RequestHandler)


def serve_app_in_thread(app: Flask, port: int, config_key: str, name: str) -> tuple[BaseWSGIServer, str]:
    """Serve `app` (its host in ``app.config[config_key]``) on `port` in a daemon thread called
    `name`; (server, base_url)."""
    server = _make_server(app, port, config_key)
    # a short poll interval so that shutdown() returns quickly (tests start many servers)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     name=name, daemon=True).start()
    return server, f"http://{server.host}:{server.server_port}"


def serve_in_thread(port: int = 0, **config) -> tuple[BaseWSGIServer, str]:
    """Start the stub on `port` (0: any free one) in a daemon thread.

    Returns (server, base_url); stop it with `server.shutdown(); server.server_close()`.
    `config` overrides the environment: host, env, national_data, ca_crl_dir, wechat_apps,
    token_expires_in, face_expires_in, clock. Raises StubConfigError as create_app does.
    """
    return serve_app_in_thread(create_app({**config, "port": port}), port, "XJ_STUBS", "xj-stubs")


def _stop(signum, frame):
    raise SystemExit(0)


def run_until_stopped(name: str, create, config_key: str, startup_errors: tuple, logger: logging.Logger,
                      banner) -> int:
    """``main()`` of a stub command `name`: build the app (`create()`, its settings in
    ``app.config[config_key]``), listen, log ``banner(app, settings, server)`` (a message and its
    arguments) and serve until SIGTERM or Ctrl-C. The exit status: 2 when `create` raises one of
    `startup_errors`, 1 when it cannot listen, else 0."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create()
    except startup_errors as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    cfg = app.config[config_key]
    try:
        server = _make_server(app, cfg["port"], config_key)
    except OSError as exc:
        print(f"{name}: cannot listen on {cfg['host']}:{cfg['port']}: {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop)
    logger.info(*banner(app, cfg, server))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main() -> int:
    """`xj-stubs` / `python -m xjstubs`: serve on XJ_STUBS_HOST:XJ_STUBS_PORT until SIGTERM or Ctrl-C."""
    return run_until_stopped(
        "xj-stubs", create_app, "XJ_STUBS", (StubConfigError, OSError), log,
        lambda app, cfg, server: ("xj-stubs listening on http://%s:%s (XJ_ENV=%s, national dataset %s)",
                                  cfg["host"], server.server_port, cfg["env"], cfg["national_data"]))
