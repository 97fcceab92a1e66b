"""The end-to-end fixture: the whole platform, started by deploy/run_platform.py as `make run` does.

Each platform gets its own RabbitMQ vhost, ports and data directory, so it never meets a
developer's running platform.

Two clocks: the platform's business clock starts on the day the national-platform dataset
describes (its ``generated_for``), so the tests' business dates (contracts, validity, the 20
December window) agree with the dataset's certificates and qualifications, whatever the real date.
Housekeeping (tokens, face checks, challenges, TTLs, settle windows) reads the wall clock, which
runs free: the suite passes on any real date, and a platform may be started with its wall clock
moved (``wall_offset``, Debian's faketime) to prove it.
"""
import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
import requests
from gateway.ratelimit import DEFAULT_LIMITS
from xjkit.polling import free_port
from xjstubs.config import dataset_day

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RABBIT_API = os.environ.get("RABBIT_API_URI", "http://127.0.0.1:15672")
RABBIT_AUTH = ("guest", "guest")
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def faketime_offset_of_this_process(environ=os.environ):
    """How far libfaketime moved this process's clock (``FAKETIME=+400d`` and the like: a signed
    number with an optional s/m/h/d/y unit); zero without faketime. A platform started with its
    own offset replaces this one, so offsets for it are counted from the real time."""
    spec = environ.get("FAKETIME", "").strip() if environ.get("LD_PRELOAD", "").find("faketime") >= 0 else ""
    if not spec:
        return datetime.timedelta(0)
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400}
    number, unit = (spec[:-1], spec[-1]) if spec[-1] in units else (spec, "s")
    try:
        return datetime.timedelta(seconds=float(number) * units[unit])
    except ValueError:
        raise RuntimeError(f"cannot move a platform's wall clock under FAKETIME={spec!r}") from None


def real_now():
    return datetime.datetime.now(datetime.timezone.utc) - faketime_offset_of_this_process()


# where every e2e platform's business clock starts (a test may start one elsewhere)
BUSINESS_DAY = dataset_day()
BUSINESS_NOW = f"{BUSINESS_DAY.isoformat()}T12:00:00"


class RunningPlatform:
    """``wall_offset``: a libfaketime offset (``"+365d"``, ``"-365d"``) for the wall clock of every
    process of the platform; the business clock still starts at XJ_FAKE_NOW."""

    def __init__(self, data_dir, vhost, extra_env=None, wall_offset=None):
        self.data_dir = data_dir
        self.vhost = vhost
        self.gateway_port = free_port()
        self.stubs_port = free_port()
        self.store_port = free_port()
        self.ca_helper_port = free_port()
        self.env = {
            **os.environ,
            "XJ_ENV": "test",
            "XJ_FAKE_NOW": BUSINESS_NOW,
            "XJ_DATA_DIR": data_dir,
            "XJ_GATEWAY_PORT": str(self.gateway_port),
            "XJ_STUBS_PORT": str(self.stubs_port),
            "XJ_STORE_PORT": str(self.store_port),
            "XJ_METRICS_PORT_BASE": "0",  # the launcher picks a free /metrics port per service
            "XJ_CA_HELPER_PORT": str(self.ca_helper_port),
            "AMQP_URI": f"pyamqp://guest:guest@127.0.0.1:5672/{vhost}",
            # limits high enough for a whole test session from one address (tests of the limits
            # themselves set their own); the launcher keeps each platform's counts under its own prefix
            **{name: "100000/second" for name in DEFAULT_LIMITS},
            **(extra_env or {}),
        }
        self.env.pop("MONGO_URI", None)
        if "XJ_FAKE_NOW_SINCE" not in (extra_env or {}):
            self.env.pop("XJ_FAKE_NOW_SINCE", None)  # the launcher anchors the business clock at its start
        self.wall_offset = wall_offset
        self.process = None
        self.started_at = None
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
        command = [sys.executable, os.path.join(ROOT, "deploy", "run_platform.py")]
        if self.wall_offset:
            faketime = shutil.which("faketime")
            if faketime is None:
                raise RuntimeError("moving the wall clock needs Debian's faketime (make install adds it)")
            command = [faketime, "-m", "-f", self.wall_offset, *command]
        self.started_at = time.monotonic()
        # SIGINT ignored, as a launcher started with `&` from a script inherits it
        self.process = subprocess.Popen(command,
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

    def business_now(self):
        """The platform's business instant now (to within the second it took to start)."""
        start = datetime.datetime.fromisoformat(self.env["XJ_FAKE_NOW"])
        if start.tzinfo is None:
            start = start.replace(tzinfo=SHANGHAI)
        return (start + datetime.timedelta(seconds=time.monotonic() - self.started_at)).astimezone(SHANGHAI)

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

    def start(data_dir=None, vhost=None, extra_env=None, wall_offset=None):
        running = RunningPlatform(data_dir or tempfile.mkdtemp(prefix="xj-e2e-"), vhost or create_vhost(), extra_env,
                                  wall_offset)
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
