"""Starts the whole platform locally: document store, stubs, five services, gateway.

Used by ``make run`` and by the end-to-end tests, so both start it the same way. Stdlib only:
it runs with the project's virtualenv but imports none of the project's packages.

Honours XJ_ENV, XJ_FAKE_NOW, XJ_GATEWAY_PORT (8000), XJ_STUBS_PORT (8900), XJ_STORE_PORT
(27017), XJ_CA_HELPER_PORT (21051), XJ_NATIONAL_DATA, XJ_CA_ROOTS, XJ_CA_CRLS, XJ_DATA_DIR (var/), AMQP_URI. SIGTERM or
Ctrl-C stops every process it started; if one of them dies, it stops the rest and exits 1.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

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

DEFAULT_NATIONAL_DATA = os.path.join(os.path.dirname(ROOT), "shared", "fixtures", "national-platform.json")

READY_TIMEOUT_SECONDS = 120
STOP_GRACE_SECONDS = 10


def log(message):
    print(f"[xjcloud] {message}", flush=True)


def port_open(host, port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def ensure_rabbitmq(amqp_uri):
    host_port = amqp_uri.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    host, port = host or "127.0.0.1", int(port or 5672)
    if port_open(host, port):
        return
    if host not in ("127.0.0.1", "localhost"):
        raise RuntimeError(f"RabbitMQ at {host}:{port} is not reachable")
    log("RabbitMQ is not running: starting it (rabbitmq-server -detached)")
    subprocess.run(["rabbitmq-server", "-detached"], check=True)
    wait_for(lambda: port_open(host, port), 90, "RabbitMQ")


class Platform:
    def __init__(self, environ):
        self.env = dict(environ)
        self.data_dir = os.path.abspath(self.env.get("XJ_DATA_DIR") or os.path.join(ROOT, "var"))
        self.log_dir = os.path.join(self.data_dir, "logs")
        self.gateway_port = int(self.env.get("XJ_GATEWAY_PORT", 8000))
        self.stubs_port = int(self.env.get("XJ_STUBS_PORT", 8900))
        self.store_port = int(self.env.get("XJ_STORE_PORT", 27017))
        self.ca_helper_port = int(self.env.get("XJ_CA_HELPER_PORT", 21051))
        self.children = []  # (name, Popen)
        self.stopping = False

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
        env.setdefault("XJ_NATIONAL_DATA", DEFAULT_NATIONAL_DATA)
        env["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(self.data_dir, "run", "prometheus")
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def prepare_dev_ca(self):
        """Without XJ_CA_ROOTS, enterprises log in with certificates of the dev CA, made once per
        data directory: one per enterprise of the national dataset (see deploy/devca/README.md)."""
        if self.environment.get("XJ_CA_ROOTS"):
            return
        directory = os.path.join(self.data_dir, "devca")
        if not os.path.exists(os.path.join(directory, "sample", "index.json")):
            log(f"creating the development CA and sample enterprise certificates in {directory}")
            subprocess.run([os.path.join(VENV_BIN, "xj-dev-ca"), "sample", "--dir", directory,
                            "--data", self.environment["XJ_NATIONAL_DATA"]],
                           check=True, stdout=subprocess.DEVNULL, env=self.environment)
        self.environment["XJ_CA_ROOTS"] = os.path.join(directory, "roots.pem")
        self.environment["XJ_CA_CRLS"] = ",".join(
            os.path.join(directory, name) for name in ("crl-rsa.pem", "crl-sm2.pem"))
        self.environment.setdefault("XJ_CA_CRL_DIR", directory)
        # the CA helper stub "plugs in" a USB key for every sample certificate
        self.environment.setdefault("XJ_CA_HELPER_SAMPLES", os.path.join(directory, "sample", "index.json"))

    def spawn(self, name, argv, cwd=ROOT):
        log_path = os.path.join(self.log_dir, f"{name}.log")
        log_file = open(log_path, "ab")
        process = subprocess.Popen(argv, cwd=cwd, env=self.environment, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((name, process))
        return process

    def start(self):
        os.makedirs(self.log_dir, exist_ok=True)
        prometheus_dir = os.path.join(self.data_dir, "run", "prometheus")
        os.makedirs(prometheus_dir, exist_ok=True)
        for stale in os.listdir(prometheus_dir):  # samples of a previous run's workers
            os.remove(os.path.join(prometheus_dir, stale))
        self.environment = self._environment()
        if self.environment["XJ_ENV"] not in ("dev", "test"):
            raise RuntimeError("run_platform starts the development platform: XJ_ENV must be dev or test")
        ensure_rabbitmq(self.environment["AMQP_URI"])
        self.prepare_dev_ca()

        if port_open("127.0.0.1", self.store_port):
            raise RuntimeError(f"port {self.store_port} is taken: another document store is running "
                               "(stop it, or set XJ_STORE_PORT)")
        store_dir = os.path.join(self.data_dir, "store")
        os.makedirs(store_dir, exist_ok=True)
        self.spawn("store", [STORE_BIN, "--data-dir", store_dir, "--host", "127.0.0.1",
                             "-p", str(self.store_port), "--log-file", os.path.join(self.log_dir, "store-server.log"),
                             "--pid-file", os.path.join(self.data_dir, "run", "store.pid")])
        wait_for(lambda: port_open("127.0.0.1", self.store_port), 30, "the document store")

        self.spawn("stubs", [os.path.join(VENV_BIN, "python"), "-m", "xjstubs"])
        wait_for(lambda: port_open("127.0.0.1", self.stubs_port), 30, "the stubs of outside systems")

        if port_open("127.0.0.1", self.ca_helper_port):
            raise RuntimeError(f"port {self.ca_helper_port} is taken: a CA helper (证书应用环境) already runs on this "
                               "machine (stop it, or set XJ_CA_HELPER_PORT)")
        self.spawn("ca-helper", [os.path.join(VENV_BIN, "python"), "-m", "xjstubs.ca_helper"])
        wait_for(lambda: port_open("127.0.0.1", self.ca_helper_port), 30, "the CA helper stub")

        for name, folder, module in SERVICES:
            self.spawn(name, [os.path.join(VENV_BIN, "nameko"), "run", "--config", "config.yml", module],
                       cwd=os.path.join(ROOT, folder))

        self.spawn("gateway", [os.path.join(VENV_BIN, "gunicorn"), "--config",
                               os.path.join(ROOT, "gateway", "gunicorn.conf.py"),
                               "--bind", f"127.0.0.1:{self.gateway_port}", "gateway.app:create_app()"],
                   cwd=os.path.join(ROOT, "gateway"))
        self.wait_until_ready()

    def ready(self):
        self.check_children()
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
        log(f"  stubs of WeChat, face verification, national platform: http://127.0.0.1:{self.stubs_port}")
        log(f"  CA helper stub (USB keys of the dev CA): http://127.0.0.1:{self.ca_helper_port}/synctl")
        log(f"  data: {self.data_dir}  logs: {self.log_dir}")
        log(f"  CA roots: {self.environment['XJ_CA_ROOTS']}")
        log("Ctrl-C stops everything.")

    def check_children(self):
        for name, process in self.children:
            if process.poll() is not None and not self.stopping:
                raise RuntimeError(f"{name} exited with code {process.returncode}; see "
                                   f"{os.path.join(self.log_dir, name + '.log')}")

    def stop(self):
        # a second Ctrl-C or SIGTERM must not interrupt the shutdown and leave orphans behind
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.stopping = True
        for _, process in reversed(self.children):
            if process.poll() is None:
                signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, process in reversed(self.children):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time: killing it")
                signal_group(process, signal.SIGKILL)
                process.wait()
        log("stopped")


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
            platform.check_children()
            if os.getppid() != parent:  # whoever started us (make, a test) is gone: stop, leave no orphans
                log("the parent process exited: stopping")
                break
            time.sleep(1)
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
