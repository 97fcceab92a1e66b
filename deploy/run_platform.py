"""Starts the whole platform locally: document store, stubs, five services, gateway.

Used by ``make run`` and by the end-to-end tests, so both start it the same way. Stdlib only:
it runs with the project's virtualenv but imports none of the project's packages.

Honours XJ_ENV, XJ_FAKE_NOW (the business clock starts there and travels on; every process gets
the same XJ_FAKE_NOW_SINCE, so they agree), XJ_GATEWAY_PORT (8000), XJ_STUBS_PORT (8900),
XJ_STORE_PORT (27017), XJ_CA_HELPER_PORT (21051), XJ_METRICS_PORT_BASE (9101: the services' /metrics on 9101…9105; 0 lets
each service bind a free port), XJ_NATIONAL_DATA, XJ_CA_ROOTS, XJ_CA_CRLS, XJ_CA_POLICIES,
XJ_DATA_DIR (var/), AMQP_URI, XJ_REDIS_URL (redis://127.0.0.1:6379/0; keys under a prefix of this
data directory's own).

It supervises, as compose's ``restart: unless-stopped`` does: a process that dies is started again
after a backoff (1 s, doubling to 30 s; back to 1 s once it ran a minute), with a log line each
time; meanwhile the gateway's ``/readyz`` shows the service down. SIGTERM or Ctrl-C stops every
process it started. Each child runs in a process group of its own and gets SIGTERM from the
kernel if the launcher itself dies, however it dies (``PR_SET_PDEATHSIG``): no orphans holding
the ports. ``XJ_RESTART_MAX_SECONDS`` caps the backoff.
"""
import ctypes
import ctypes.util
import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

from xjkit.polling import port_open, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
STORE_BIN = os.path.join(ROOT, ".venv-store", "bin", "nx-27017")

SERVICES = (
    ("identity", "identity-svc", "identity.service:IdentityService"),
    ("employment", "employment-svc", "employment.service:EmploymentService"),
    ("cert", "cert-svc", "certs.service:CertService"),
    ("filing", "filing-svc", "filing.service:FilingService"),
    ("publicity", "publicity-svc", "publicity.service:PublicityService"),
)

DEFAULT_NATIONAL_DATA = os.path.join(ROOT, "deploy", "stubs", "xjstubs", "data", "national-platform.json")

READY_TIMEOUT_SECONDS = 120
STOP_GRACE_SECONDS = 25  # longer than gunicorn's graceful_timeout (20 s): accepted requests finish
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 30.0
RESTART_RESET_AFTER_SECONDS = 60.0  # a child that ran this long starts its backoff again at 1 s
PR_SET_PDEATHSIG = 1


def log(message):
    print(f"[xjcloud] {message}", flush=True)


def wait_for(predicate, timeout, what):
    if not wait_until(predicate, timeout, interval=0.3):
        raise RuntimeError(f"{what} did not come up within {timeout} s")


def ensure_local_server(name, url, default_port, start, timeout):
    """Start the local ``name`` server that ``url`` names when it is installed but not running
    (``start(port)``: its command); a remote one that does not answer stops the launch."""
    host_port = url.split("://", 1)[-1].split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    host, port = host or "127.0.0.1", int(port or default_port)
    if port_open(port, host):
        return
    if host not in ("127.0.0.1", "localhost"):
        raise RuntimeError(f"{name} at {host}:{port} is not reachable")
    command = start(port)
    log(f"{name} is not running: starting it ({' '.join(command)})")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wait_for(lambda: port_open(port, host), timeout, name)


def ensure_redis(url):
    """Sessions, rate limits and the public cache live in Redis."""
    ensure_local_server("Redis", url, 6379,
                        lambda port: ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(port)], 30)


def ensure_rabbitmq(amqp_uri):
    ensure_local_server("RabbitMQ", amqp_uri, 5672, lambda port: ["rabbitmq-server", "-detached"], 90)


class Platform:
    def __init__(self, environ):
        self.env = dict(environ)
        self.data_dir = os.path.abspath(self.env.get("XJ_DATA_DIR") or os.path.join(ROOT, "var"))
        self.log_dir = os.path.join(self.data_dir, "logs")
        self.gateway_port = int(self.env.get("XJ_GATEWAY_PORT", 8000))
        self.stubs_port = int(self.env.get("XJ_STUBS_PORT", 8900))
        self.store_port = int(self.env.get("XJ_STORE_PORT", 27017))
        self.metrics_ports = metrics_ports(int(self.env.get("XJ_METRICS_PORT_BASE", 9101)))
        self.ca_helper_port = int(self.env.get("XJ_CA_HELPER_PORT", 21051))
        self.children = []  # Child, in start order
        self.stopping = False
        self.restart_max = float(self.env.get("XJ_RESTART_MAX_SECONDS") or RESTART_MAX_SECONDS)

    def _environment(self):
        env = dict(self.env)
        stubs = f"http://127.0.0.1:{self.stubs_port}"
        env.setdefault("XJ_ENV", "dev")
        env.setdefault("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")
        env["MONGO_URI"] = f"mongodb://127.0.0.1:{self.store_port}"
        env.setdefault("WECHAT_API_BASE", stubs)
        env.setdefault("NATIONAL_API_BASE", f"{stubs}/national/api/v1")
        env.setdefault("XJ_PUBLIC_BASE_URL", f"http://127.0.0.1:{self.gateway_port}")
        env["XJ_CA_HELPER_PORT"] = str(self.ca_helper_port)
        env["XJ_CA_HELPER_URL"] = f"http://127.0.0.1:{self.ca_helper_port}"  # the portal's page calls it
        env["XJ_DATA_DIR"] = self.data_dir
        env.setdefault("XJ_REDIS_URL", "redis://127.0.0.1:6379/0")
        # platforms started side by side (the tests) share one Redis: each keeps to its own keys
        env.setdefault("XJ_REDIS_KEY_PREFIX", f"xj:{hashlib.sha256(self.data_dir.encode()).hexdigest()[:10]}:")
        env.setdefault("XJ_NATIONAL_DATA", DEFAULT_NATIONAL_DATA)
        if env.get("XJ_FAKE_NOW", "").strip() and not env.get("XJ_FAKE_NOW_SINCE", "").strip():
            # one anchor for every process: they all read XJ_FAKE_NOW at this same wall instant
            env["XJ_FAKE_NOW_SINCE"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        env["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(self.data_dir, "run", "prometheus")
        env["PYTHONUNBUFFERED"] = "1"
        # eventlet prints a deprecation notice at import, before logging is set up: the one line of
        # a service's log that would not be JSON. This variable silences only that notice.
        env.setdefault("EVENTLET_TESTS", "1")
        return env

    def prepare_dev_ca(self):
        """Without XJ_CA_ROOTS, enterprises log in with certificates of the dev CA, made once per
        data directory: one per enterprise of the national dataset (see deploy/devca/README.md).
        Its CRLs are re-signed at every start (entries kept), so their freshness never depends on
        when the data directory was made; its roots, CRLs and certificate policies become the
        XJ_CA_* settings, unless they are set already."""
        if self.environment.get("XJ_CA_ROOTS"):
            return
        devca = os.path.join(VENV_BIN, "xj-dev-ca")
        directory = os.path.join(self.data_dir, "devca")
        if not os.path.exists(os.path.join(directory, "sample", "index.json")):
            log(f"creating the development CA and sample enterprise certificates in {directory}")
        # kept when current; samples an older tool made (without today's policy) are issued anew
        subprocess.run([devca, "sample", "--dir", directory, "--data", self.environment["XJ_NATIONAL_DATA"],
                        "--keep-current"], check=True, stdout=subprocess.DEVNULL, env=self.environment)
        subprocess.run([devca, "refresh-crl", "--dir", directory], check=True, stdout=subprocess.DEVNULL,
                       env=self.environment)
        settings = subprocess.run([devca, "env", "--dir", directory], check=True, capture_output=True, text=True,
                                  env=self.environment).stdout
        for line in settings.splitlines():
            name, _, value = line.partition("=")
            if not self.environment.get(name, "").strip():
                self.environment[name] = value
        self.environment.setdefault("XJ_CA_CRL_DIR", directory)
        # the CA helper stub "plugs in" a USB key for every sample certificate
        self.environment.setdefault("XJ_CA_HELPER_SAMPLES", os.path.join(directory, "sample", "index.json"))

    def spawn(self, name, argv, cwd=ROOT, extra_env=None):
        child = Child(name, argv, cwd, {**self.environment, **(extra_env or {})},
                      os.path.join(self.log_dir, f"{name}.log"))
        child.launch()
        self.children.append(child)
        return child.process

    def supervise(self):
        """Start again whatever died (with backoff); called every tick of the main loop."""
        if self.stopping:
            return
        now = time.monotonic()
        for child in self.children:
            code = child.process.poll()
            if code is None:
                continue
            if child.restart_at is None:
                ran = now - child.started_at
                if ran >= RESTART_RESET_AFTER_SECONDS:
                    child.backoff = RESTART_FIRST_SECONDS
                child.restart_at = now + child.backoff
                log(f"{child.name} exited with code {code} after {ran:.1f} s: restarting in {child.backoff:.0f} s "
                    f"(restart {child.restarts + 1}; see {child.log_path})")
                child.backoff = min(self.restart_max, child.backoff * 2)
            elif now >= child.restart_at:
                child.restarts += 1
                child.launch()
                log(f"{child.name} restarted (pid {child.process.pid})")

    def start(self):
        os.makedirs(self.log_dir, exist_ok=True)
        prometheus_dir = os.path.join(self.data_dir, "run", "prometheus")
        os.makedirs(prometheus_dir, exist_ok=True)
        for stale in os.listdir(prometheus_dir):  # samples of a previous run's workers
            os.remove(os.path.join(prometheus_dir, stale))
        for name in self.metrics_ports:  # ports a previous run's services bound
            if os.path.exists(self.metrics_port_file(name)):
                os.remove(self.metrics_port_file(name))
        self.environment = self._environment()
        if self.environment["XJ_ENV"] not in ("dev", "test"):
            raise RuntimeError("run_platform starts the development platform: XJ_ENV must be dev or test")
        ensure_rabbitmq(self.environment["AMQP_URI"])
        ensure_redis(self.environment["XJ_REDIS_URL"])
        self.prepare_dev_ca()

        if port_open(self.store_port):
            raise RuntimeError(f"port {self.store_port} is taken: another document store is running "
                               "(stop it, or set XJ_STORE_PORT)")
        for name, port in self.metrics_ports.items():
            if port and port_open(port):
                raise RuntimeError(f"port {port} (metrics of {name}) is taken: another platform is running "
                                   "(stop it, or set XJ_METRICS_PORT_BASE; 0 picks free ports)")
        store_dir = os.path.join(self.data_dir, "store")
        os.makedirs(store_dir, exist_ok=True)
        self.spawn("store", [STORE_BIN, "--data-dir", store_dir, "--host", "127.0.0.1",
                             "-p", str(self.store_port), "--log-file", os.path.join(self.log_dir, "store-server.log"),
                             "--pid-file", os.path.join(self.data_dir, "run", "store.pid")])
        wait_for(lambda: port_open(self.store_port), 30, "the document store")

        self.spawn("stubs", [os.path.join(VENV_BIN, "python"), "-m", "xjstubs"])
        wait_for(lambda: port_open(self.stubs_port), 30, "the stubs of outside systems")

        if port_open(self.ca_helper_port):
            raise RuntimeError(f"port {self.ca_helper_port} is taken: a CA helper (证书应用环境) already runs on this "
                               "machine (stop it, or set XJ_CA_HELPER_PORT)")
        self.spawn("ca-helper", [os.path.join(VENV_BIN, "python"), "-m", "xjstubs.ca_helper"])
        wait_for(lambda: port_open(self.ca_helper_port), 30, "the CA helper stub")

        for name, folder, module in SERVICES:
            self.spawn(name, [os.path.join(VENV_BIN, "nameko"), "run", "--config", "config.yml", module],
                       cwd=os.path.join(ROOT, folder), extra_env={"METRICS_PORT": str(self.metrics_ports[name]),
                                                                  "METRICS_PORT_FILE": self.metrics_port_file(name)})

        self.spawn("gateway", [os.path.join(VENV_BIN, "gunicorn"), "--config",
                               os.path.join(ROOT, "gateway", "gunicorn.conf.py"),
                               "--bind", f"127.0.0.1:{self.gateway_port}", "gateway.app:create_app()"],
                   cwd=os.path.join(ROOT, "gateway"))
        self.wait_until_ready()

    def metrics_port_file(self, name):
        return os.path.join(self.data_dir, "run", f"{name}.metrics-port")

    def bound_metrics_port(self, name):
        """The port the service serves /metrics on (it writes the one it bound when given 0)."""
        try:
            with open(self.metrics_port_file(name), encoding="ascii") as handle:
                return int(handle.read().strip())
        except (OSError, ValueError):
            return self.metrics_ports[name]

    def ready(self):
        self.supervise()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.gateway_port}/readyz", timeout=5) as answer:
                return answer.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_until_ready(self):
        wait_for(self.ready, READY_TIMEOUT_SECONDS, "the platform (/readyz)")
        base = f"http://127.0.0.1:{self.gateway_port}"
        log("ready")
        log(f"  enterprise portal:     {base}/portal/   (CA key PIN of the helper stub: "
            f"{self.environment.get('XJ_CA_HELPER_PIN') or '111111'})")
        log(f"  API docs (Swagger UI): {base}/docs")
        log(f"  OpenAPI document:      {base}/openapi.json")
        log(f"  readiness:             {base}/readyz")
        log(f"  metrics of gateway:    {base}/metrics")
        for name in self.metrics_ports:
            log(f"  metrics of {name + ':':<11} http://127.0.0.1:{self.bound_metrics_port(name)}/metrics")
        log(f"  stubs of WeChat, face verification, national platform: http://127.0.0.1:{self.stubs_port}")
        log(f"  CA helper stub (USB keys of the dev CA): http://127.0.0.1:{self.ca_helper_port}/synctl")
        log(f"  data: {self.data_dir}  logs: {self.log_dir}")
        log(f"  CA roots: {self.environment['XJ_CA_ROOTS']}")
        if self.environment.get("XJ_FAKE_NOW", "").strip():
            log(f"  business clock: started at {self.environment['XJ_FAKE_NOW']} "
                f"(wall clock {self.environment['XJ_FAKE_NOW_SINCE']}) and travels on")
        log("Ctrl-C stops everything.")

    def stop(self):
        # a second Ctrl-C or SIGTERM must not interrupt the shutdown and leave orphans behind
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.stopping = True
        for child in reversed(self.children):
            if child.process.poll() is None:
                signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in reversed(self.children):
            name, process = child.name, child.process
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time: killing it")
                signal_group(process, signal.SIGKILL)
                process.wait()
        log("stopped")


class Child:
    """One supervised process: how to start it, and its restarts."""

    def __init__(self, name, argv, cwd, env, log_path):
        self.name, self.argv, self.cwd, self.env, self.log_path = name, argv, cwd, env, log_path
        self.process = None
        self.started_at = None
        self.restart_at = None
        self.restarts = 0
        self.backoff = RESTART_FIRST_SECONDS

    def launch(self):
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=log_file,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=die_with_parent(os.getpid()))
        self.started_at = time.monotonic()
        self.restart_at = None


def die_with_parent(parent_pid):
    """A preexec_fn: the kernel sends the child SIGTERM when the launcher dies (even by SIGKILL)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def preexec():
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the launcher died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)
    return preexec


def metrics_ports(base):
    """Each service's /metrics port: base, base+1, … in SERVICES order; base 0 lets each service
    bind a port the system chooses (no race with anything else picking ports meanwhile)."""
    if base == 0:
        return {name: 0 for name, _, _ in SERVICES}
    return {name: base + index for index, (name, _, _) in enumerate(SERVICES)}


def signal_group(process, signum):
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:  # already gone
        pass


def main():
    platform = Platform(os.environ)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    # explicitly: a launcher started in the background of a script inherits SIGINT ignored
    signal.signal(signal.SIGINT, on_signal)
    parent = os.getppid()
    exit_code = 0
    try:
        platform.start()
        while True:
            platform.supervise()
            if os.getppid() != parent:  # whoever started us (make, a test) is gone: stop, leave no orphans
                log("the parent process exited: stopping")
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    except RuntimeError as error:
        log(f"error: {error}")
        exit_code = 1
    finally:
        platform.stop()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
