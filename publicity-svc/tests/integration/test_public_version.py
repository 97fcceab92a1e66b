"""publicity-svc tells the gateways' public cache about every change it commits: the shared
version in Redis moves after an applied registration event (within the coalescing interval), and
not for a stale (redelivered) one; it is there from the start."""
import time
import uuid

import pytest
import redis
from nameko.testing.services import entrypoint_hook

from xjkit.events import Event
from xjkit.public_version import version_key

from publicity.adapters.public_version import COALESCE_SECONDS
from publicity.service import PublicityService

pytestmark = pytest.mark.integration


@pytest.fixture
def running(container_factory, service_config_of):
    prefix = f"xjtest:{uuid.uuid4().hex[:12]}:"
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    container = container_factory(PublicityService, service_config_of("publicity-svc", REDIS_KEY_PREFIX=prefix))
    container.start()
    def version():
        time.sleep(COALESCE_SECONDS * 3)  # bumps are coalesced: let the interval pass
        return int(client.get(version_key(prefix)))
    yield container, version
    client.delete(version_key(prefix))


def registration_changed(serial):
    return Event(type="filing.registration_changed", occurred_at="2026-11-25T12:00:00+08:00", payload={
        "uscc": "91510100291417771X", "enterprise_type": "construction", "enterprise_name": "四川黄河建设集团有限公司",
        "serial": serial, "valid_until": "2099-12-31", "qualifications": [], "personnel": [], "cost_projects": [],
        "booklet_no": None, "basic": {"name": "四川黄河建设集团有限公司"}}).to_dict()


def test_the_version_moves_after_each_applied_change_and_not_for_a_stale_event(running):
    container, version = running
    started = version()
    data = registration_changed(1)
    with entrypoint_hook(container, "on_registration_changed") as handle:
        handle(data)
    applied = version()
    assert applied > started
    with entrypoint_hook(container, "on_registration_changed") as handle:
        handle(data)  # redelivered: nothing new
    assert version() == applied
