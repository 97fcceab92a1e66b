"""The public list's use cases against the real store: search, validity by date, the feed."""
import datetime
import threading

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import NotFound

from publicity.adapters.repositories import MongoListing
from publicity.service_layer import publicity as use_cases

pytestmark = pytest.mark.integration


class WallClock:
    """Real time, moved ahead on demand (to abandon a feed entry)."""

    def __init__(self):
        self.offset = datetime.timedelta(0)

    def now(self):
        return datetime.datetime.now(datetime.timezone.utc) + self.offset

    def advance(self, delta):
        self.offset += delta


@pytest.fixture
def world(database):
    store = MongoListing(database)
    store.ensure_indexes()

    class World:
        listing = store
        clock = FixedClock(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI))
        wall = WallClock()

        def apply(self, uscc, name, serial=1, enterprise_type="construction", valid_until="2026-12-31",
                  qualification="建筑工程施工总承包", booklet_no=None):
            return use_cases.apply_registration_event(self.listing, self.clock, self.wall, {
                "uscc": uscc, "enterprise_type": enterprise_type, "enterprise_name": name, "serial": serial,
                "valid_until": valid_until, "qualifications": [{"name": qualification, "cert_no": "Q"}],
                "personnel": [], "cost_projects": [], "booklet_no": booklet_no or f"B{uscc[-4:]}{serial:04d}",
                "basic": {"name": name}})

        def feed(self, since=None, limit=100):
            return use_cases.feed(self.listing, self.clock, self.wall, since, limit)
    return World()


def test_search_by_name_substring_uscc_type_and_qualification(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司")
    world.apply("91610100859574891U", "陕西华西建设监理咨询有限公司", enterprise_type="supervision",
                qualification="房屋建筑工程监理")
    names = lambda answer: [item["name"] for item in answer["items"]]
    assert names(use_cases.search(world.listing, world.clock, q="华西")) == ["陕西华西建设监理咨询有限公司"]
    assert names(use_cases.search(world.listing, world.clock, q="91510100291417771x")) == ["四川黄河建设集团有限公司"]
    assert names(use_cases.search(world.listing, world.clock, enterprise_type="supervision")) == ["陕西华西建设监理咨询有限公司"]
    assert names(use_cases.search(world.listing, world.clock, qualification="建筑工程施工总承包")) == ["四川黄河建设集团有限公司"]
    assert use_cases.search(world.listing, world.clock, q="(.*")["total"] == 0  # regex characters are text


def test_an_expiry_at_midnight_hides_the_enterprise_without_any_event(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司", valid_until="2026-12-31")
    world.clock.set(datetime.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI))
    assert use_cases.search(world.listing, world.clock)["total"] == 1
    world.clock.set(datetime.datetime(2027, 1, 1, 0, 0, 1, tzinfo=SHANGHAI))
    assert use_cases.search(world.listing, world.clock)["total"] == 0
    with pytest.raises(NotFound):
        use_cases.enterprise(world.listing, world.clock, "91510100291417771X")


def test_a_late_older_event_never_overwrites_a_newer_one(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司", serial=3, valid_until="2027-12-31")
    assert world.apply("91510100291417771X", "旧名称", serial=2, valid_until="2026-12-31") is False
    detail = use_cases.enterprise(world.listing, world.clock, "91510100291417771X")
    assert (detail["name"], detail["registrations"][0]["valid_until"]) == ("四川黄河建设集团有限公司", "2027-12-31")


def test_the_feed_resumes_from_a_cursor_without_gaps_or_repeats(world):
    for n in range(5):
        world.apply(f"9151010029141{n:04d}X", f"企业{n}")
    first = world.feed(limit=3)
    second = world.feed(since=first["next"], limit=3)
    seen = [i["uscc"] for i in first["items"]] + [i["uscc"] for i in second["items"]]
    assert seen == [f"9151010029141{n:04d}X" for n in range(5)]
    world.apply("91510100291410001X", "企业1（更名）", serial=2)
    third = world.feed(since=second["next"])
    assert [(i["uscc"], i["enterprise"]["name"]) for i in third["items"]] == [("91510100291410001X", "企业1（更名）")]
    assert world.feed(since=third["next"])["items"] == []


def test_a_change_is_in_the_feed_as_soon_as_it_is_written(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司")
    [item] = world.feed()["items"]  # no settle window: nothing waits for a clock
    assert (item["uscc"], item["change"]) == ("91510100291417771X", "upsert")


def test_the_cursor_stops_before_a_write_under_way_until_it_is_written(world):
    world.apply("91510100291410001X", "企业1")
    # a second writer has taken its position but not written its document yet
    document = world.listing.get("91510100291410001X")
    position = world.listing.append_feed(document["_id"], document["version"] + 1, world.wall.now().timestamp())
    world.apply("91510100291410002X", "企业2")  # a later write, already done
    before = world.feed()
    assert [i["uscc"] for i in before["items"]] == ["91510100291410001X"] and int(before["next"]) < position
    document.update(name="企业1（更名）")
    world.listing.put(document)  # the slow write lands
    after = world.feed(since=before["next"])
    assert [(i["uscc"], i["enterprise"]["name"]) for i in after["items"]] == [
        ("91510100291410001X", "企业1（更名）"), ("91510100291410002X", "企业2")]


def test_an_entry_whose_writer_died_is_passed_once_abandoned(world):
    world.listing.append_feed("91510100291410009X", 1, world.wall.now().timestamp())  # never written
    world.apply("91510100291410002X", "企业2")
    assert world.feed()["items"] == []
    world.wall.advance(use_cases.FEED_ENTRY_ABANDONED + datetime.timedelta(seconds=1))
    assert [(i["uscc"], i["change"]) for i in world.feed()["items"]] == [
        ("91510100291410009X", "remove"), ("91510100291410002X", "upsert")]


def test_concurrent_writers_never_make_a_reader_skip_a_write(world):
    writers, per_writer = 4, 15
    written = set()
    done = threading.Event()

    def write(w):
        for n in range(per_writer):
            uscc = f"91510100{w:02d}{n:07d}X"
            world.apply(uscc, f"企业{w}-{n}")
            written.add(uscc)

    seen, cursor = set(), None

    def read():
        nonlocal cursor
        answer = world.feed(since=cursor, limit=7)
        seen.update(i["uscc"] for i in answer["items"])
        cursor = answer["next"]

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        read()
    done.set()
    for _ in range(writers * per_writer):  # drain what is left after the writers finished
        read()
    assert len(written) == writers * per_writer
    assert seen == written
    positions = [e["seq"] for e in world.listing.feed_entries(0, 1000)]
    assert positions == list(range(1, len(positions) + 1))  # no gaps


def test_the_midnight_sweep_puts_removals_in_the_feed(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司", valid_until="2026-12-31")
    cursor = world.feed()["next"]
    world.clock.set(datetime.datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI))
    assert use_cases.hide_expired(world.listing, world.clock, world.wall) == 1
    assert use_cases.hide_expired(world.listing, world.clock, world.wall) == 0
    [removal] = world.feed(since=cursor)["items"]
    assert (removal["uscc"], removal["change"], removal["enterprise"]) == ("91510100291417771X", "remove", None)


def test_a_booklet_is_authentic_and_current_until_the_next_change(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司", serial=1, booklet_no="BOOK1")
    assert use_cases.verify_booklet(world.listing, world.clock, "BOOK1")["current"] is True
    world.apply("91510100291417771X", "四川黄河建设集团有限公司", serial=2, booklet_no="BOOK2")
    old = use_cases.verify_booklet(world.listing, world.clock, "BOOK1")
    assert (old["authentic"], old["current"], old["current_booklet_no"]) == (True, False, "BOOK2")
    assert use_cases.verify_booklet(world.listing, world.clock, "FORGED")["authentic"] is False


def test_clearing_forgets_every_enterprise_and_booklet_for_a_rebuild(world):
    world.apply("91510100291417771X", "四川黄河建设集团有限公司", booklet_no="XJ-ONE")
    world.apply("91610000MA6TG1XQ1A", "陕西华西建设监理咨询有限公司", booklet_no="XJ-TWO")
    world.listing.clear()
    assert use_cases.search(world.listing, world.clock)["total"] == 0
    assert world.listing.booklet("XJ-ONE") is None and world.listing.get("91510100291417771X") is None
    assert world.apply("91510100291417771X", "四川黄河建设集团有限公司") is True  # and it fills again
