"""`make run`'s launcher: a restart on the same data directory keeps every record; SIGTERM stops all."""
import socket
import tempfile

import pytest

from xjkit.testdata import make_id_card

from .conftest import RunningPlatform, create_vhost, delete_vhost
from .helpers import login_person, verify_person

pytestmark = pytest.mark.e2e


def port_in_use(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_restart_on_the_same_data_directory_keeps_every_record_and_sigterm_stops_everything():
    data_dir = tempfile.mkdtemp(prefix="xj-restart-")
    vhost = create_vhost()
    id_card = make_id_card(region="510104", birth="19870707", seq="909")
    try:
        first = RunningPlatform(data_dir, vhost).start()
        api, login = login_person(first.url, "restart-alice")
        verify_person(api, "钱七", id_card)
        assert first.stop() == 0
        for port in (first.gateway_port, first.stubs_port, first.store_port, first.ca_helper_port):
            assert not port_in_use(port), f"port {port} still open after SIGTERM"

        second = RunningPlatform(data_dir, vhost).start()
        try:
            api, again = login_person(second.url, "restart-alice")
            assert again["person"]["person_id"] == login["person"]["person_id"]
            me = api.get("/api/v1/mp/me").json()
            assert me["realname_status"] == "verified" and me["name"] == "钱七"
        finally:
            assert second.stop() == 0
    finally:
        delete_vhost(vhost)


def test_ctrl_c_stops_everything_even_when_the_launcher_inherited_sigint_ignored():
    import signal

    data_dir = tempfile.mkdtemp(prefix="xj-sigint-")
    vhost = create_vhost()
    running = RunningPlatform(data_dir, vhost)
    try:
        running.start()
        assert running.stop(signal.SIGINT) == 0
        for port in (running.gateway_port, running.stubs_port, running.store_port, running.ca_helper_port):
            assert not port_in_use(port), f"port {port} still open after Ctrl-C"
    finally:
        running.stop()  # SIGTERM, if Ctrl-C left it running: no orphans after a failure
        delete_vhost(vhost)
