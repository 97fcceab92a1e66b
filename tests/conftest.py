"""The end-to-end fixture: the whole platform, started by deploy/run_platform.py as `make run` does.

Each platform gets its own RabbitMQ vhost, ports and data directory, so it never meets a
developer's running platform.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RABBIT_API = os.environ.get("RABBIT_API_URI", "http://127.0.0.1:15672")
RABBIT_AUTH = ("guest", "guest")
# every e2e platform runs on a frozen business clock, so the tests' dates (contracts, validity,
# the 20 December window) mean the same whatever day they run; a test may set another
BUSINESS_NOW = "2026-11-25T12:00:00"


def _free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningPlatform:
    def __init__(self, data_dir, vhost, extra_env=None):
        self.data_dir = data_dir
        self.vhost = vhost
        self.gateway_port = _free_port()
        self.stubs_port = _free_port()
        self.store_port = _free_port()
        self.ca_helper_port = _free_port()
        self.env = {
            **os.environ,
            "XJ_ENV": "test",
            "XJ_FAKE_NOW": BUSINESS_NOW,
            "XJ_DATA_DIR": data_dir,
            "XJ_GATEWAY_PORT": str(self.gateway_port),
            "XJ_STUBS_PORT": str(self.stubs_port),
            "XJ_STORE_PORT": str(self.store_port),
            "XJ_CA_HELPER_PORT": str(self.ca_helper_port),
            "AMQP_URI": f"pyamqp://guest:guest@127.0.0.1:5672/{vhost}",
            **(extra_env or {}),
        }
        self.env.pop("MONGO_URI", None)
        self.process = None
        self.output_path = os.path.join(data_dir, "launcher.out")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def stubs_url(self):
        return f"http://127.0.0.1:{self.stubs_port}"

    @property
    def ca_helper_url(self):
        return f"http://127.0.0.1:{self.ca_helper_port}"

    def start(self, timeout=150):
        os.makedirs(self.data_dir, exist_ok=True)
        self.output_offset = os.path.getsize(self.output_path) if os.path.exists(self.output_path) else 0
        output = open(self.output_path, "ab")
        # SIGINT ignored, as a launcher started with `&` from a script inherits it
        self.process = subprocess.Popen([sys.executable, os.path.join(ROOT, "deploy", "run_platform.py")],
                                        env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the platform exited early:\n{self.output()}")
            if "[xjcloud] ready" in self.output():
                return self
            time.sleep(0.5)
        raise RuntimeError(f"the platform was not ready in {timeout} s:\n{self.output()}")

    def output(self):
        """What this run of the launcher printed (a restart appends to the same file)."""
        with open(self.output_path, "rb") as handle:
            handle.seek(self.output_offset)
            return handle.read().decode("utf-8", errors="replace")

    def stop(self, signum=signal.SIGTERM):
        """Signal the launcher and wait for it; None when it is still running 40 s later."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                return None
        return self.process.returncode


def create_vhost():
    vhost = f"xj_e2e_{uuid.uuid4().hex[:10]}"
    requests.put(f"{RABBIT_API}/api/vhosts/{vhost}", auth=RABBIT_AUTH, timeout=10).raise_for_status()
    requests.put(f"{RABBIT_API}/api/permissions/{vhost}/guest", auth=RABBIT_AUTH, timeout=10,
                 json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
    return vhost


def delete_vhost(vhost):
    requests.delete(f"{RABBIT_API}/api/vhosts/{vhost}", auth=RABBIT_AUTH, timeout=10)


@pytest.fixture(scope="session")
def platform_factory():
    started = []

    def start(data_dir=None, vhost=None, extra_env=None):
        running = RunningPlatform(data_dir or tempfile.mkdtemp(prefix="xj-e2e-"), vhost or create_vhost(), extra_env)
        started.append(running)
        return running.start()

    yield start
    for running in started:
        running.stop()
    for vhost in {running.vhost for running in started}:
        delete_vhost(vhost)


@pytest.fixture(scope="session")
def platform(platform_factory):
    return platform_factory()
