"""Crash drills on a running platform (real broker, nx-27017, the supervising launcher).

- SIGKILL each service in turn while 8 clients send keyed POSTs (uploads, filings): after the
  supervised restart every key retried with its body gives exactly one object and the first
  success's answer; clients see 503 while a service is away, never 500;
- a service killed between its store write and the relay of its events: the event is relayed once
  after the restart and the public list shows the change;
- 20 concurrent changes of one registration: all approved, the public detail ends at the last
  approved state, nothing dead-lettered;
- the broker restarted as the platform sees it (the platform reaches the shared broker through a
  relay port of its own, which the drill stops and starts: other test runs are untouched), and
  the store stopped and started: 503 meanwhile, work back within 30 s without a restart.

One platform for every drill (start-up is the slow part); the recovery times measured are printed
(pytest -s) and recorded in docs/operations.md.
"""
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pymongo
import pytest
import requests


from xjkit.polling import free_port
from .conftest import BUSINESS_NOW, RABBIT_API, RABBIT_AUTH, RunningPlatform, create_vhost, delete_vhost
from .helpers import eventually, hire, login_enterprise, upload

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.7\n%%EOF\n"
CLIENTS = 8
SERVICES = {"identity": "identity.service", "employment": "employment.service", "cert": "certs.service",
            "filing": "filing.service", "publicity": "publicity.service"}
BASIC = {"name": "四川黄河建设集团有限公司", "legal_representative": "苏芳", "registered_address": "四川省成都市人民南路278号",
         "registered_capital_wan": 1000, "established_on": "2010-02-20", "contact_name": "王经理",
         "contact_phone": "13800138000"}
RETRYABLE = (503, 409)  # 409 only as IDEMPOTENCY_IN_PROGRESS (checked below)


class BrokerPort:
    """The platform's own way to the shared broker: a TCP relay on a port of its own. Stopping it
    is a broker restart as the platform sees it (connections dropped, then refused), and no other
    test run on the shared broker notices."""

    def __init__(self, target_port=5672):
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        import socket
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        import socket
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except Exception:  # dropped by stop(), or by the other side: either way this pair is done
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock):
        import socket
        with self.lock:
            self.sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass
        try:
            sock.close()
        except Exception:
            pass

    def stop(self):
        """Drop every connection and refuse new ones."""
        self.listener.close()
        with self.lock:
            open_sockets = list(self.sockets)
        for sock in open_sockets:
            self._close(sock)
FIGURES = {}


def report(name, value):
    FIGURES[name] = value
    print(f"[drill] {name}: {value}")


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    vhost = create_vhost()
    data_dir = str(tmp_path_factory.mktemp("xj-drill"))
    hold_file = os.path.join(data_dir, "hold-relay")
    broker = BrokerPort()
    broker.start()
    platform = RunningPlatform(data_dir, vhost, {"XJ_FAKE_NOW": BUSINESS_NOW,
                                                 "XJ_TEST_HOLD_RELAY_FILE": hold_file,
                                                 "XJ_RESTART_MAX_SECONDS": "2",
                                                 "AMQP_URI": f"pyamqp://guest:guest@127.0.0.1:{broker.port}/{vhost}"})
    platform.broker = broker
    platform.start()
    try:
        enterprise, _ = login_enterprise(platform, index=0)
        _, manager = hire(platform, enterprise, "d-xiao", "510100196609086389", "萧杰然", contract_end="2028-11-30")
        _, tech = hire(platform, enterprise, "d-wan", "510100198612235495", "万秀", contract_end="2028-11-30")
        first = enterprise.post("/api/v1/ent/filings", {"business": "first_filing", "enterprise_type": "construction",
                                                         "data": {"basic": BASIC, "manager_person_id": manager,
                                                                  "tech_manager_person_id": tech,
                                                                  "attachments": [upload(enterprise, PDF).json()["file_id"]],
                                                                  "sync_qualifications": True}})
        assert first.status_code == 201 and first.json()["status"] == "approved", first.text
        store = pymongo.MongoClient(f"mongodb://127.0.0.1:{platform.store_port}", tz_aware=True,
                                    serverSelectionTimeoutMS=5000)
        yield platform, enterprise, store, hold_file
        store.close()
    finally:
        platform.stop()
        broker.stop()
        delete_vhost(vhost)
        if FIGURES:
            print("[drill] figures:", FIGURES)


def service_pid(platform, service):
    """The pid of a service's `nameko run` (a child of the launcher)."""
    return _child(platform, SERVICES[service].encode())


def _child(platform, needle):
    """The pid of the launcher's child whose command line holds ``needle``, or None."""
    return next((int(entry) for entry in os.listdir("/proc") if entry.isdigit()
                 and _ppid(entry) == platform.process.pid and _cmdline_has(entry, needle)), None)


def _ppid(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[1])
    except OSError:
        return None


def _cmdline_has(pid, needle):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return needle in handle.read()
    except OSError:
        return False


def ready(platform):
    try:
        return requests.get(f"{platform.url}/readyz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def wait_ready(platform, timeout=60):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if ready(platform):
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"the platform was not ready {timeout} s later")


class Client:
    """Sends keyed POSTs, retrying each (same key, same body) until it is answered."""

    def __init__(self, enterprise):
        self.enterprise = enterprise
        self.statuses = {}
        self.first_answers = {}  # key -> (kind, answer)
        self.bodies = {}
        self.lock = threading.Lock()

    def count(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def send(self, kind, key, body):
        headers = {"Idempotency-Key": key, "Authorization": f"Bearer {self.enterprise.token}"}
        url = self.enterprise.base_url + ("/api/v1/ent/files" if kind == "upload" else "/api/v1/ent/filings")
        while True:
            try:
                if kind == "upload":
                    response = requests.post(url, files={"file": ("合同.pdf", body)}, headers=headers, timeout=70)
                else:
                    response = requests.post(url, json=body, headers=headers, timeout=70)
            except requests.ConnectionError:
                self.count("reset")
                time.sleep(0.3)
                continue
            self.count(response.status_code)
            if response.status_code == 409:
                assert response.json()["error"] == "IDEMPOTENCY_IN_PROGRESS", response.text
            if response.status_code in RETRYABLE:
                time.sleep(0.3)
                continue
            assert response.status_code == 201, response.text
            return response.json()

    def run(self, stop, index):
        n = 0
        while not stop.is_set():
            n += 1
            key = f"drill-{index}-{n}-{uuid.uuid4().hex[:6]}"
            if n % 2:
                kind, body = "upload", PDF + f"{key}\n".encode()
            else:
                kind, body = "filing", {"business": "basic_change", "enterprise_type": "construction",
                                        "data": {"basic": {"contact_name": f"经理{index}-{n}"}}}
            answer = self.send(kind, key, body)
            with self.lock:
                self.first_answers[key] = (kind, answer)
                self.bodies[key] = body


def test_sigkill_of_each_service_under_keyed_load_loses_and_duplicates_nothing(drill):
    platform, enterprise, store, _ = drill
    uscc = enterprise_uscc(enterprise)
    files_before = store["xj_employment"]["files"].count_documents({"owner_uscc": uscc})
    cases_before = store["xj_filing"]["cases"].count_documents({"uscc": uscc})
    client = Client(enterprise)
    stop = threading.Event()
    recoveries = {}
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        workers = [pool.submit(client.run, stop, index) for index in range(CLIENTS)]
        try:
            for service in SERVICES:
                time.sleep(1.5)  # under load
                pid = service_pid(platform, service)
                assert pid, f"no process of {service}"
                killed = time.monotonic()
                if service == "cert":  # the launcher held back a moment: /readyz names the service down
                    os.kill(platform.process.pid, signal.SIGSTOP)
                    os.kill(pid, signal.SIGKILL)
                    readiness = requests.get(f"{platform.url}/readyz", timeout=10)
                    os.kill(platform.process.pid, signal.SIGCONT)
                    assert (readiness.status_code, readiness.json()["services"][service]) == (503, "down")
                else:
                    os.kill(pid, signal.SIGKILL)
                wait_ready(platform, timeout=90)
                assert f"{service} exited with code -9" in platform.output()
                recoveries[service] = round(time.monotonic() - killed, 1)
                assert service_pid(platform, service) not in (None, pid)  # the launcher started it again
            time.sleep(1.5)
        finally:
            stop.set()
        for worker in workers:
            worker.result(timeout=120)

    # every key again, with its body: the first answer, nothing new
    for key, (kind, answer) in client.first_answers.items():
        assert client.send(kind, key, client.bodies[key]) == answer
    uploads = [a for k, a in client.first_answers.values() if k == "upload"]
    filings = [a for k, a in client.first_answers.values() if k == "filing"]
    assert store["xj_employment"]["files"].count_documents({"owner_uscc": uscc}) - files_before == len(uploads)
    assert store["xj_filing"]["cases"].count_documents({"uscc": uscc}) - cases_before == len(filings)
    assert len({a["file_id"] for a in uploads}) == len(uploads)
    assert all(a["status"] == "approved" for a in filings), [a["reasons"] for a in filings if a["status"] != "approved"]
    assert client.statuses.get(500, 0) == 0 and "reset" not in client.statuses, client.statuses
    report("sigkill.keys", len(client.first_answers))
    report("sigkill.statuses", dict(sorted(client.statuses.items(), key=str)))
    report("sigkill.recovery_seconds", recoveries)
    assert max(recoveries.values()) < 30


def enterprise_uscc(enterprise):
    return enterprise.get("/api/v1/ent/registrations").json()["items"][0]["uscc"]


def public_address(platform, uscc):
    response = requests.get(f"{platform.url}/api/v1/public/enterprises/{uscc}", timeout=10)
    if response.status_code != 200:
        return None
    return response.json()["registrations"][0]["basic"]["registered_address"]


def relayed(platform, service, event):
    with open(os.path.join(platform.data_dir, "run", f"{service}.metrics-port"), encoding="ascii") as handle:
        port = int(handle.read())
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    total = 0.0
    for line in text.splitlines():
        if line.startswith("xj_outbox_relayed_events_total{") and f'event="{event}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_a_service_killed_between_its_write_and_the_relay_publishes_the_event_once_after_restart(drill):
    platform, enterprise, store, hold_file = drill
    uscc = enterprise_uscc(enterprise)
    address = f"新疆乌鲁木齐市天山区{uuid.uuid4().hex[:6]}号"
    open(hold_file, "w").close()  # the test hook: relays hold their events while this file exists
    try:
        response = enterprise.post("/api/v1/ent/filings", {"business": "basic_change", "enterprise_type": "construction",
                                                           "data": {"basic": {"registered_address": address}}},
                                   headers={"Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code == 201 and response.json()["status"] == "approved", response.text
        assert store["xj_filing"]["registrations"].count_documents({"uscc": uscc, "outbox_pending": True}) == 1
        pid = service_pid(platform, "filing")
        os.kill(pid, signal.SIGKILL)
    finally:
        os.remove(hold_file)
    killed = time.monotonic()
    wait_ready(platform, timeout=90)
    assert eventually(lambda: public_address(platform, uscc), seconds=30, until=lambda a: a == address) == address
    report("write_then_kill.public_list_seconds", round(time.monotonic() - killed, 1))
    assert relayed(platform, "filing", "registration_changed") == 1  # by the restarted process, once
    assert store["xj_filing"]["registrations"].count_documents({"uscc": uscc, "outbox_pending": True}) == 0


def test_twenty_concurrent_changes_of_one_registration_end_at_the_last_approved_state(drill):
    platform, enterprise, store, _ = drill
    uscc = enterprise_uscc(enterprise)

    def change(index):
        return enterprise.post("/api/v1/ent/filings", {
            "business": "basic_change", "enterprise_type": "construction",
            "data": {"basic": {"registered_address": f"新疆喀什市{index}号"}}},
            headers={"Idempotency-Key": uuid.uuid4().hex})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(change, range(20)))
    assert [a.status_code for a in answers] == [201] * 20, [a.text for a in answers if a.status_code != 201]
    assert all(a.json()["status"] == "approved" for a in answers)
    [registration] = enterprise.get("/api/v1/ent/registrations").json()["items"]
    last = registration["basic"]["registered_address"]
    assert eventually(lambda: public_address(platform, uscc), seconds=30, until=lambda a: a == last) == last
    assert rabbit_dead_letters(platform.vhost) == {}


def rabbit_dead_letters(vhost):
    queues = requests.get(f"{RABBIT_API}/api/queues/{requests.utils.quote(vhost, safe='')}", auth=RABBIT_AUTH,
                          timeout=10).json()
    return {q["name"]: q.get("messages", 0) for q in queues if q["name"].startswith("xj.dlq.") and q.get("messages")}


def probe_outage(platform, enterprise, outage, restore, label, seconds=4.0):
    """Keyed uploads every 0.2 s through ``outage()``…``restore()``: only 201 and 503; returns the
    seconds from ``restore()`` to the first 201."""
    statuses = {}
    stop = threading.Event()
    recovered = {}

    def probe():
        while not stop.is_set():
            try:
                response = upload_keyed(enterprise)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code == 201 and "restored" in recovered and "at" not in recovered:
                    recovered["at"] = time.monotonic()
            except requests.ConnectionError:
                statuses["reset"] = statuses.get("reset", 0) + 1
            time.sleep(0.2)

    thread = threading.Thread(target=probe)
    thread.start()
    try:
        time.sleep(1.0)
        outage()
        time.sleep(seconds)
        recovered["restored"] = time.monotonic()
        restore()
        deadline = time.monotonic() + 30
        while "at" not in recovered and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join()
    report(f"{label}.statuses", statuses)
    assert "at" in recovered, f"no upload succeeded within 30 s of the {label} coming back: {statuses}"
    seconds = round(recovered["at"] - recovered["restored"], 1)
    report(f"{label}.recovery_seconds", seconds)
    assert set(statuses) <= {201, 503}, statuses
    assert statuses.get(503), f"the {label} outage was not seen: {statuses}"
    return seconds


def upload_keyed(enterprise):
    return requests.post(enterprise.base_url + "/api/v1/ent/files", files={"file": ("合同.pdf", PDF)},
                         headers={"Idempotency-Key": uuid.uuid4().hex,
                                  "Authorization": f"Bearer {enterprise.token}"}, timeout=70)


def launcher_restarts(platform):
    return platform.output().count(" restarted (pid ")


def test_the_platform_rides_out_a_broker_restart(drill):
    """The broker away for 4 s as the platform sees it (its relay port: connections dropped, new
    ones refused), then back: 503 meanwhile, and everyone reconnects without a restart."""
    platform, enterprise, _, _ = drill
    restarts = launcher_restarts(platform)
    assert probe_outage(platform, enterprise, platform.broker.stop, platform.broker.start, "broker") < 30
    assert launcher_restarts(platform) == restarts  # reconnected by themselves


def test_the_platform_rides_out_a_store_stop_and_start(drill):
    """The store killed and kept down for 7 s (the launcher paused, so it cannot start it again at
    once), longer than the services' server selection timeout (5 s): 503 meanwhile."""
    platform, enterprise, _, _ = drill
    restarts = launcher_restarts(platform)

    def outage():
        os.kill(platform.process.pid, signal.SIGSTOP)
        store_pid = _child(platform, b"nx-27017")
        os.kill(store_pid, signal.SIGKILL)

    def restore():
        os.kill(platform.process.pid, signal.SIGCONT)  # the launcher starts the store again

    assert probe_outage(platform, enterprise, outage, restore, "store", seconds=7.0) < 30
    assert launcher_restarts(platform) == restarts + 1  # the store; no service had to be restarted
    assert " store restarted" in platform.output() or "store restarted" in platform.output()


def test_requests_in_flight_when_the_gateway_is_stopped_get_their_answers(drill):
    """SIGTERM to gunicorn, as compose or Kubernetes stops it: the requests it is working on finish
    with their answers (graceful timeout), none is cut off; the launcher starts the gateway again.
    filing-svc is paused meanwhile, so the eight requests for the registrations are surely in flight."""
    platform, enterprise, _, _ = drill
    gateway = _child(platform, b"gunicorn")
    filing = service_pid(platform, "filing")
    os.kill(filing, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(enterprise.get, "/api/v1/ent/registrations") for _ in range(CLIENTS)]
            time.sleep(1.0)  # every request has reached the paused service
            os.kill(gateway, signal.SIGTERM)
            time.sleep(1.0)
            os.kill(filing, signal.SIGCONT)
            answers = [future.result() for future in futures]
    finally:
        os.kill(filing, signal.SIGCONT)
    assert [answer.status_code for answer in answers] == [200] * CLIENTS
    assert all(answer.json()["items"][0]["enterprise_type"] == "construction" for answer in answers)
    report("gateway back after SIGTERM (s)", round(wait_ready(platform), 1))


def test_children_die_with_a_launcher_that_is_killed(drill):
    """Last: it ends the drill's platform. PR_SET_PDEATHSIG stops every child of a SIGKILLed launcher."""
    platform, _, _, _ = drill
    children = [int(e) for e in os.listdir("/proc") if e.isdigit() and _ppid(e) == platform.process.pid]
    assert len(children) >= 8  # store, stubs, CA helper, five services, gateway
    platform.process.kill()
    platform.process.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") and _alive(pid) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)]


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
        return state != b"Z"
    except OSError:
        return False
