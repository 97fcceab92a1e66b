"""rabbitmq-init (deploy/docker/rabbitmq_users.py) against the real broker: one user per service,
each able to use the vhost with its own password and nothing else; running it again changes nothing."""
import importlib.util
import os
import uuid

import kombu
import pytest
import requests

from .conftest import RABBIT_API, RABBIT_AUTH, create_vhost, delete_vhost

pytestmark = pytest.mark.integration

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "deploy", "docker",
                      "rabbitmq_users.py")


def load_script():
    spec = importlib.util.spec_from_file_location("rabbitmq_users", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def setup():
    vhost, prefix = create_vhost(), f"xjtest{uuid.uuid4().hex[:8]}"
    users = [f"{prefix}_identity", f"{prefix}_gateway"]
    environ = {"RABBITMQ_API_URL": RABBIT_API, "RABBITMQ_ADMIN_USER": RABBIT_AUTH[0],
               "RABBITMQ_ADMIN_PASS": RABBIT_AUTH[1], "RABBITMQ_VHOST": vhost, "XJ_BROKER_USERS": ",".join(users),
               **{f"XJ_BROKER_PASS_{user.upper()}": f"password-of-{user}" for user in users}}
    yield vhost, users, environ
    for user in users:
        requests.delete(f"{RABBIT_API}/api/users/{user}", auth=RABBIT_AUTH, timeout=10)
    delete_vhost(vhost)


def connects(user, password, vhost):
    with kombu.Connection(f"amqp://{user}:{password}@127.0.0.1:5672/{vhost}", connect_timeout=5) as connection:
        try:
            connection.ensure_connection(max_retries=1)
            return True
        except Exception:
            return False


def test_each_user_gets_the_vhost_with_its_own_password_only(setup):
    vhost, users, environ = setup
    assert load_script().main(environ) == 0
    for user in users:
        assert connects(user, f"password-of-{user}", vhost)
        assert not connects(user, "password-of-somebody-else", vhost)
    assert load_script().main(environ) == 0  # a second run (every compose start) changes nothing
    assert connects(users[0], f"password-of-{users[0]}", vhost)


def test_a_short_password_stops_it_naming_the_variable(setup):
    vhost, users, environ = setup
    with pytest.raises(SystemExit, match=f"XJ_BROKER_PASS_{users[0].upper()}"):
        load_script().main({**environ, f"XJ_BROKER_PASS_{users[0].upper()}": "short"})
