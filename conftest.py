"""Fixtures shared by every test folder.

nameko runs on eventlet, so the test process is monkey-patched first (what `nameko test` does).
The document store is the real nx-27017 server started for the session, unless MONGO_URI names
another server (for example a real MongoDB 7, to run the conformance test against it).
"""
import warnings

warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402  (must come before anything opens sockets or threads)

import os
import shutil
import subprocess
import tempfile
import uuid

import pymongo
import pytest

from xjkit.polling import free_port, wait_for_port

ROOT = os.path.dirname(os.path.abspath(__file__))
STORE_BIN = os.path.join(ROOT, ".venv-store", "bin", "nx-27017")
ARTIFACTS = os.path.join(ROOT, "test-artifacts")

os.environ.setdefault("XJ_ENV", "test")


@pytest.fixture(scope="session")
def store_uri():
    """A running wire-protocol document store for the whole session."""
    configured = os.environ.get("MONGO_URI")
    if configured:
        yield configured
        return
    if not os.path.exists(STORE_BIN):
        pytest.fail("nx-27017 is not installed: run `make install` (it creates .venv-store)")
    data_dir = tempfile.mkdtemp(prefix="xj-store-")
    port = free_port()
    log_path = os.path.join(data_dir, "server.log")
    process = subprocess.Popen(
        [STORE_BIN, "--data-dir", data_dir, "--host", "127.0.0.1", "-p", str(port),
         "--log-file", log_path, "--pid-file", os.path.join(data_dir, "server.pid")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        yield f"mongodb://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def mongo_client(store_uri):
    client = pymongo.MongoClient(store_uri, serverSelectionTimeoutMS=5000, tz_aware=True)
    yield client
    client.close()


@pytest.fixture
def database(mongo_client):
    """A database of its own for one test, dropped afterwards."""
    name = f"xjtest_{uuid.uuid4().hex[:12]}"
    yield mongo_client[name]
    mongo_client.drop_database(name)


@pytest.fixture
def service_config(rabbit_config, store_uri):
    """nameko config for a service container under test: its own vhost, its own database, and a
    business clock starting on the day the development dataset describes (as the e2e platform's)."""
    from xjstubs.config import dataset_day
    return {
        **rabbit_config,
        "MONGO_URI": store_uri,
        "MONGO_DATABASE": f"xjtest_{uuid.uuid4().hex[:12]}",
        "XJ_FAKE_NOW": f"{dataset_day().isoformat()}T12:00:00",
        "METRICS_PORT": 0,  # each container serves /metrics on a free port of its own
    }


def load_service_config(service_folder, **overrides):
    """A service's own config.yml, resolved as `nameko run` resolves it (``${ENV:default}``)."""
    import yaml
    from nameko.cli.main import setup_yaml_parser

    setup_yaml_parser()
    with open(os.path.join(ROOT, service_folder, "config.yml"), encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config.pop("LOGGING", None)  # tests keep pytest's logging
    config.update(overrides)
    return config


@pytest.fixture
def service_config_of(service_config):
    """``service_config_of("identity-svc")``: that service's config.yml with the test's broker and store."""
    return lambda folder, **overrides: load_service_config(folder, **{**service_config, **overrides})


@pytest.fixture(scope="session")
def stubs():
    """The outside systems' stub server (WeChat, face verification, national platform), in a thread."""
    from xjstubs.server import serve_in_thread

    server, base_url = serve_in_thread(port=0)
    yield base_url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def artifacts_dir():
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS
