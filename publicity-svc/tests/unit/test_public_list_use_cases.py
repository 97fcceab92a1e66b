"""publicity's use cases on an in-memory listing: what shows, what the search finds, what the feed
and the booklet check say (the same rules run against the real store in tests/integration)."""
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import PublicEnterpriseNotFound

from publicity.service_layer import publicity as use_cases
from publicity_fakes import FakeListing

HUANGHE, HUAXI = "91510100291417771X", "91610000MA6TG1XQ1A"


def payload(uscc, name, serial=1, enterprise_type="construction", valid_until="2026-12-31",
            qualification="建筑工程施工总承包", booklet_no=None):
    return {"uscc": uscc, "enterprise_type": enterprise_type, "enterprise_name": name, "serial": serial,
            "valid_until": valid_until, "qualifications": [{"name": qualification}], "personnel": [],
            "cost_projects": [], "booklet_no": booklet_no or f"B{uscc[-4:]}{serial}", "basic": {"name": name}}


@pytest.fixture
def world():
    class World:
        listing = FakeListing()
        clock = FixedClock(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI))
        wall = FixedClock(datetime.datetime(2027, 3, 1, 8, 0, tzinfo=SHANGHAI))  # housekeeping time

        def apply(self, *args, **kwargs):
            return use_cases.apply_registration_event(self.listing, self.clock, self.wall, payload(*args, **kwargs))

        def names(self, **criteria):
            return [item["name"] for item in use_cases.search(self.listing, self.clock, **criteria)["items"]]
    return World()


def test_an_event_applies_once_and_a_late_older_one_changes_nothing(world):
    assert world.apply(HUANGHE, "四川黄河建设集团有限公司", serial=2, valid_until="2027-12-31") is True
    assert world.apply(HUANGHE, "四川黄河建设集团有限公司", serial=2) is False
    assert world.apply(HUANGHE, "旧名称", serial=1) is False
    assert use_cases.enterprise(world.listing, world.clock, HUANGHE)["name"] == "四川黄河建设集团有限公司"
    assert [entry["seq"] for entry in world.listing.feed] == [1]


def test_the_search_narrows_by_type_uscc_name_part_and_qualification(world):
    world.apply(HUANGHE, "四川黄河建设集团有限公司")
    world.apply(HUAXI, "陕西华西建设监理咨询有限公司", enterprise_type="supervision", qualification="房屋建筑工程监理甲级")
    assert world.names() == ["四川黄河建设集团有限公司", "陕西华西建设监理咨询有限公司"]
    assert world.names(enterprise_type="supervision") == ["陕西华西建设监理咨询有限公司"]
    assert world.names(q=HUANGHE.lower()) == ["四川黄河建设集团有限公司"]
    assert world.names(q="华西") == ["陕西华西建设监理咨询有限公司"]
    assert world.names(qualification=" 建筑工程施工总承包 ") == ["四川黄河建设集团有限公司"]
    assert world.names(q="(.*") == []  # a part of the name, never a pattern


def test_a_registration_shows_until_its_last_day_and_not_after(world):
    world.apply(HUANGHE, "四川黄河建设集团有限公司", valid_until="2026-11-25")
    assert world.names() == ["四川黄河建设集团有限公司"]
    world.clock.advance(days=1)
    assert world.names() == []
    with pytest.raises(PublicEnterpriseNotFound):
        use_cases.enterprise(world.listing, world.clock, HUANGHE)


def test_the_midnight_expiry_puts_the_hidden_enterprise_in_the_feed_as_a_removal(world):
    world.apply(HUANGHE, "四川黄河建设集团有限公司", valid_until="2026-11-25")
    world.clock.advance(days=1)
    assert use_cases.hide_expired(world.listing, world.clock, world.wall) == 1
    assert use_cases.hide_expired(world.listing, world.clock, world.wall) == 0  # once
    items = use_cases.feed(world.listing, world.clock, world.wall)["items"]
    assert [(item["uscc"], item["change"]) for item in items] == [(HUANGHE, "remove")]


def test_the_feed_never_passes_a_write_under_way_and_passes_one_its_writer_abandoned(world):
    world.apply(HUANGHE, "四川黄河建设集团有限公司")
    world.listing.append_feed(HUAXI, 1, world.wall.now().timestamp())  # a writer between its two steps
    first = use_cases.feed(world.listing, world.clock, world.wall)
    assert [item["uscc"] for item in first["items"]] == [HUANGHE] and first["next"] == "1"
    assert use_cases.feed(world.listing, world.clock, world.wall, since=first["next"])["items"] == []
    world.wall.advance(seconds=11)  # the writer died
    assert use_cases.feed(world.listing, world.clock, world.wall, since=first["next"])["next"] == "2"


def test_a_booklet_is_current_until_a_change_replaces_its_number(world):
    world.apply(HUANGHE, "四川黄河建设集团有限公司", serial=1, booklet_no="XJ-FIRST")
    assert use_cases.verify_booklet(world.listing, world.clock, "XJ-FIRST")["current"] is True
    world.apply(HUANGHE, "四川黄河建设集团有限公司", serial=2, booklet_no="XJ-SECOND")
    old = use_cases.verify_booklet(world.listing, world.clock, "XJ-FIRST")
    assert (old["authentic"], old["current"], old["current_booklet_no"]) == (True, False, "XJ-SECOND")
    forged = use_cases.verify_booklet(world.listing, world.clock, "XJ-FORGED")
    assert (forged["authentic"], forged["current"]) == (False, False)
