"""The shared public cache (gateway.public_cache) against the real Redis: with a version of the
public read model published, an answer is built by one RPC and then served from the cache; a
client holding the version's ETag gets 304 with no RPC at all; a new version (a committed change)
is seen by the next request; cached answers are the redacted ones; the business day is part of
the answer; one rebuild per version under a stampede; nothing of a logged-in caller is cached; a
missing version is seeded; with Redis down every request goes to the service."""
import datetime
import threading
import time
import uuid

import pytest
from flask import request

from xjkit import public_version
from xjkit.clock import SHANGHAI, FixedClock
from xjkit.testdata import make_id_card, make_uscc

from gateway.app import create_app
from gateway.public_cache import EXTENSION

BASE = "/api/v1/public"
USCC = make_uscc()
LEAKED_ID = make_id_card(birth="19850505", seq="217")
AT = datetime.datetime(2026, 3, 2, 1, 0, 5, tzinfo=datetime.timezone.utc)


def page(name="四川某某建设集团有限公司"):
    return {"items": [{"uscc": USCC, "name": name, "enterprise_types": ["construction"],
                       "registrations": [{"enterprise_type": "construction", "enterprise_type_label": "施工",
                                          "valid_until": "2027-03-01"}],
                       "qualifications": [], "personnel_count": 0, "updated_at": AT}],
            "total": 1, "page": 1, "per_page": 20, "as_of": "2026-03-02"}


@pytest.fixture
def app(services):
    prefix = f"xjtest:{uuid.uuid4().hex[:12]}:"
    app = create_app({"TESTING": True, "XJ_REDIS_KEY_PREFIX": prefix, "XJ_LIMIT_PUBLIC": "1000/second"})
    app.extensions["xj_rpc"] = services
    cache = app.extensions[EXTENSION]
    cache.clock = FixedClock(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI))
    client = cache.client
    yield app
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def cache(app):
    return app.extensions[EXTENSION]


def publish_change(cache):
    """What publicity-svc does after committing a change."""
    return public_version.bump(cache.client, cache.prefix)


def publicity_calls(services):
    return [call for call in services.calls if call[0] == "publicity"]


def test_a_cached_answer_is_served_without_an_rpc_until_the_next_change(client, services, cache):
    services.answers[("publicity", "search")] = page("甲公司")
    publish_change(cache)
    first = client.get(f"{BASE}/enterprises")
    second = client.get(f"{BASE}/enterprises")
    cache.local.clear()  # another worker: from Redis, not from this worker's memory
    third = client.get(f"{BASE}/enterprises")
    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert first.get_data() == second.get_data() == third.get_data()
    assert len(publicity_calls(services)) == 1
    services.answers[("publicity", "search")] = page("乙公司")
    publish_change(cache)
    changed = client.get(f"{BASE}/enterprises")
    assert changed.get_json()["items"][0]["name"] == "乙公司"
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert len(publicity_calls(services)) == 2


def test_if_none_match_of_the_current_version_is_304_without_any_rpc(client, services, cache):
    services.answers[("publicity", "search")] = page()
    publish_change(cache)
    etag = client.get(f"{BASE}/enterprises").headers["ETag"]
    services.answers[("publicity", "search")] = RuntimeError("publicity-svc must not be asked")
    services.calls.clear()
    cache.local.clear()
    again = client.get(f"{BASE}/enterprises", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == "public, max-age=30"
    assert services.calls == []
    publish_change(cache)  # a change: the old tag no longer matches
    services.answers[("publicity", "search")] = page("乙公司")
    assert client.get(f"{BASE}/enterprises", headers={"If-None-Match": etag}).status_code == 200


def test_the_etag_names_the_version_and_the_business_day_not_the_body(client, services, cache):
    services.answers[("publicity", "search")] = page()
    version = publish_change(cache)
    assert client.get(f"{BASE}/enterprises").headers["ETag"] == f'"p{version}.2026-03-02"'
    cache.clock = FixedClock(datetime.datetime(2026, 3, 3, 0, 0, 1, tzinfo=SHANGHAI))  # midnight: validity moved
    next_day = client.get(f"{BASE}/enterprises")
    assert next_day.headers["ETag"] == f'"p{version}.2026-03-03"'
    assert len(publicity_calls(services)) == 2  # rebuilt for the new day without any write


def test_cached_answers_are_the_redacted_ones(client, services, cache):
    services.answers[("publicity", "search")] = page(f"甲公司 {LEAKED_ID} 手机13987654321")
    publish_change(cache)
    client.get(f"{BASE}/enterprises")
    cache.local.clear()
    cached = client.get(f"{BASE}/enterprises").get_data(as_text=True)
    stored = b"".join(cache.client.get(k) for k in cache.client.scan_iter(f"{cache.prefix}public:answer:*")
                      if not k.endswith(b"lock") and b":lock:" not in k).decode()
    for text in (cached, stored):
        assert "甲公司" in text and LEAKED_ID not in text and "13987654321" not in text
    assert len(publicity_calls(services)) == 1


def test_each_query_has_its_own_entry(client, services, cache):
    services.answers[("publicity", "search")] = lambda **kwargs: page(kwargs.get("q") or "全部")
    publish_change(cache)
    assert client.get(f"{BASE}/enterprises", query_string={"q": "甲"}).get_json()["items"][0]["name"] == "甲"
    assert client.get(f"{BASE}/enterprises", query_string={"q": "乙"}).get_json()["items"][0]["name"] == "乙"
    assert client.get(f"{BASE}/enterprises").get_json()["items"][0]["name"] == "全部"


def test_a_stampede_on_a_new_version_makes_one_rpc(app, services, cache):
    calls = []

    def slow_search(**kwargs):
        calls.append(kwargs)
        time.sleep(0.2)
        return page()

    services.answers[("publicity", "search")] = slow_search
    publish_change(cache)
    statuses = []

    def get():
        statuses.append(app.test_client().get(f"{BASE}/enterprises").status_code)

    threads = [threading.Thread(target=get) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert len(calls) == 1


def test_while_a_new_version_is_rebuilt_others_get_the_previous_answer(app, client, services, cache):
    services.answers[("publicity", "search")] = page("旧")
    publish_change(cache)
    client.get(f"{BASE}/enterprises")
    started, release = threading.Event(), threading.Event()

    def slow_search(**kwargs):
        started.set()
        release.wait(5)
        return page("新")

    services.answers[("publicity", "search")] = slow_search
    publish_change(cache)
    cache.local.clear()
    rebuilding = threading.Thread(target=lambda: app.test_client().get(f"{BASE}/enterprises"))
    rebuilding.start()
    assert started.wait(5)
    meanwhile = app.test_client().get(f"{BASE}/enterprises")
    release.set()
    rebuilding.join()
    assert meanwhile.status_code == 200 and meanwhile.get_json()["items"][0]["name"] == "旧"
    assert client.get(f"{BASE}/enterprises").get_json()["items"][0]["name"] == "新"


def test_errors_are_not_cached(client, services, cache):
    from gateway.resources.public_api import PublicEnterpriseNotFound
    services.answers[("publicity", "enterprise")] = PublicEnterpriseNotFound()
    publish_change(cache)
    assert client.get(f"{BASE}/enterprises/{USCC}").status_code == 404
    assert client.get(f"{BASE}/enterprises/{USCC}").status_code == 404
    assert len(publicity_calls(services)) == 2


def test_a_missing_version_is_seeded_and_answers_are_cached(client, services, cache):
    services.answers[("publicity", "search")] = page()
    first = client.get(f"{BASE}/enterprises")  # a flushed Redis: no version yet
    cache.local.clear()
    second = client.get(f"{BASE}/enterprises")
    assert len(publicity_calls(services)) == 1
    assert first.headers["ETag"] == second.headers["ETag"] and first.headers["ETag"].startswith('"p')


def test_redis_down_means_uncached_answers_not_errors(app, client, services, cache):
    import redis
    cache.client = redis.Redis(host="127.0.0.1", port=1, socket_timeout=0.2, socket_connect_timeout=0.2)
    services.answers[("publicity", "search")] = page()
    first, second = client.get(f"{BASE}/enterprises"), client.get(f"{BASE}/enterprises")
    assert first.status_code == second.status_code == 200
    assert len(publicity_calls(services)) == 2  # every request asks the service
    assert not first.headers["ETag"].startswith('"p')  # the body's hash, as without a cache


def test_an_enterprise_s_own_reads_are_never_served_from_the_public_cache(client, services, cache, token_for):
    from gateway.auth import ENTERPRISE
    publish_change(cache)
    services.answers[("filing", "registrations")] = lambda **kwargs: []
    first, second = make_uscc(body8="MA6CAAAA"), make_uscc(body8="MA6CBBBB")
    for uscc in (first, second):
        client.get("/api/v1/ent/registrations", headers={"Authorization": f"Bearer {token_for(ENTERPRISE, uscc)}"})
    asked_for = [kwargs for service, method, kwargs in services.calls if service == "filing"]
    assert [k["enterprise_uscc"] for k in asked_for] == [first, second]
    assert list(cache.client.scan_iter(f"{cache.prefix}public:answer:*")) == []
