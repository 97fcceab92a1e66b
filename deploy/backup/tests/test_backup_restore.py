"""xj-backup / xj-restore against the real document store (nx-27017, or MONGO_URI's server)."""
import datetime
import json
import os
import uuid

import pytest
from bson import Binary, Int64, ObjectId, json_util

from xjbackup import cli
from xjbackup.restore import needs_publicity_rebuild

pytestmark = pytest.mark.integration

WHEN = datetime.datetime(2026, 11, 25, 4, 0, 0, 123000, tzinfo=datetime.timezone.utc)


@pytest.fixture
def databases(mongo_client, store_uri):
    """Throwaway databases standing in for the five services' (names per test)."""
    suffix = uuid.uuid4().hex[:8]
    names = {service: f"xjbk_{service}_{suffix}" for service in ("identity", "employment", "cert", "filing",
                                                                  "publicity")}
    yield names, store_uri, [f"--database={service}={name}" for service, name in names.items()]
    for name in names.values():
        mongo_client.drop_database(name)


def fill(mongo_client, names):
    filing = mongo_client[names["filing"]]
    filing.registrations.insert_one({
        "_id": "9151010029141777XB:construction", "version": 3, "valid_until": "2026-12-31",
        "approved_at": WHEN, "capital_fen": Int64(10_000_000_000), "basic": {"name": "四川黄河建设集团有限公司"},
        "personnel": [{"certificate_id": "c1", "filed": True}], "outbox": [], "outbox_pending": False,
        "note": None, "ratio": 0.25})
    filing.registrations.create_index([("outbox_pending", 1)])
    filing.cases.insert_many([{"_id": f"case-{n}", "n": n, "at": WHEN} for n in range(600)])
    filing.cases.create_index([("enterprise_uscc", 1), ("submitted_at", -1)], name="by_enterprise")
    employment = mongo_client[names["employment"]]
    employment.file_chunks.insert_one({"_id": ObjectId(), "data": Binary(bytes(range(256)) * 4), "n": 0})
    employment.employments.create_index([("active_person", 1)], unique=True, sparse=True, name="active_person")
    employment.employments.insert_one({"_id": "e1", "active_person": "p1"})
    identity = mongo_client[names["identity"]]
    identity.challenges.create_index([("created_at", 1)], expireAfterSeconds=300, name="ttl")
    # a TTL index keeps its expiry; a document it would expire at once would make the test empty
    identity.challenges.insert_one({"_id": "ch1", "created_at": datetime.datetime.now(datetime.timezone.utc)
                                    + datetime.timedelta(days=1)})
    mongo_client[names["publicity"]].listing.insert_one({"_id": "9151010029141777XB", "serial": 3})


def snapshot(mongo_client, names):
    """Every document of every database as canonical extended JSON, and the indexes."""
    state = {}
    for service, name in names.items():
        database = mongo_client[name]
        for collection in sorted(database.list_collection_names()):
            documents = sorted(json_util.dumps(d, json_options=json_util.CANONICAL_JSON_OPTIONS)
                               for d in database[collection].find({}))
            indexes = {index: (info["key"], info.get("unique"), info.get("sparse"), info.get("expireAfterSeconds"))
                       for index, info in database[collection].index_information().items()}
            state[(service, collection)] = (documents, indexes)
    return state


def wipe(mongo_client, names):
    for name in names.values():
        mongo_client.drop_database(name)


def test_backup_wipe_restore_gives_back_every_document_type_and_index(mongo_client, databases, tmp_path):
    names, uri, database_args = databases
    fill(mongo_client, names)
    before = snapshot(mongo_client, names)
    assert cli.backup_main(["--uri", uri, "--out", str(tmp_path / "set"), *database_args]) == 0
    wipe(mongo_client, names)
    assert snapshot(mongo_client, names) == {}
    report = tmp_path / "report.json"
    assert cli.restore_main([str(tmp_path / "set"), "--uri", uri, "--report", str(report), *database_args]) == 0
    assert snapshot(mongo_client, names) == before
    assert json.loads(report.read_text())["services"]["filing"]["documents"] == 601


def test_the_manifest_says_what_was_backed_up_and_with_which_tool(mongo_client, databases, tmp_path):
    names, uri, database_args = databases
    fill(mongo_client, names)
    cli.backup_main(["--uri", uri, "--out", str(tmp_path / "set"), *database_args])
    top = json.loads((tmp_path / "set" / "manifest.json").read_text())
    assert set(top["services"]) == {"identity", "employment", "cert", "filing", "publicity"}
    assert top["tool"]["name"] == "xj-backup" and top["tool"]["version"]
    filing = json.loads((tmp_path / "set" / "filing" / "manifest.json").read_text())
    assert filing["service"] == "filing" and filing["database"] == names["filing"]
    assert filing["collections"]["cases"]["count"] == 600
    assert filing["started_at"] <= filing["finished_at"]
    # (nx-27017 reports its own index names and only ascending keys; MongoDB keeps both as created)
    assert [["enterprise_uscc", 1], ["submitted_at", 1]] in [
        [[field, abs(direction)] for field, direction in index["keys"]]
        for index in filing["collections"]["cases"]["indexes"]]


def test_restore_refuses_a_database_that_is_not_empty_and_writes_nothing(mongo_client, databases, tmp_path, capsys):
    names, uri, database_args = databases
    fill(mongo_client, names)
    cli.backup_main(["--uri", uri, "--out", str(tmp_path / "set"), *database_args])
    mongo_client[names["identity"]].drop_collection("challenges")
    mongo_client[names["filing"]].cases.delete_many({"n": {"$gte": 100}})
    assert cli.restore_main([str(tmp_path / "set"), "--uri", uri, *database_args]) == 2
    assert "not empty" in capsys.readouterr().err
    assert mongo_client[names["filing"]].cases.count_documents({}) == 100
    assert "challenges" not in mongo_client[names["identity"]].list_collection_names()
    # --drop replaces what is there
    assert cli.restore_main([str(tmp_path / "set"), "--uri", uri, "--drop", *database_args]) == 0
    assert mongo_client[names["filing"]].cases.count_documents({}) == 600


def test_a_damaged_backup_is_refused_before_anything_is_written(mongo_client, databases, tmp_path, capsys):
    names, uri, database_args = databases
    fill(mongo_client, names)
    cli.backup_main(["--uri", uri, "--out", str(tmp_path / "set"), *database_args])
    wipe(mongo_client, names)
    cases = tmp_path / "set" / "filing" / "cases.jsonl"
    cases.write_text(cases.read_text().replace('"n": {"$numberInt": "7"}', '"n": {"$numberInt": "8"}'))
    assert cli.restore_main([str(tmp_path / "set"), "--uri", uri, *database_args]) == 1
    assert "does not match its manifest" in capsys.readouterr().err
    assert all(not mongo_client[name].list_collection_names() for name in names.values())


def test_one_service_can_be_backed_up_later_into_the_same_set_and_restored_alone(mongo_client, databases, tmp_path):
    names, uri, database_args = databases
    fill(mongo_client, names)
    set_dir = str(tmp_path / "set")
    cli.backup_main(["--uri", uri, "--out", set_dir, "--service", "publicity", *database_args])
    cli.backup_main(["--uri", uri, "--out", set_dir, "--service", "filing", *database_args])
    top = json.loads((tmp_path / "set" / "manifest.json").read_text())
    assert set(top["services"]) == {"publicity", "filing"}
    mongo_client.drop_database(names["filing"])
    assert cli.restore_main([set_dir, "--uri", uri, "--service", "filing", *database_args]) == 0
    assert mongo_client[names["filing"]].cases.count_documents({}) == 600
    assert mongo_client[names["publicity"]].listing.count_documents({}) == 1  # untouched


def entry(started, finished):
    return {"started_at": started, "finished_at": finished}


@pytest.mark.parametrize("publicity, restored, required", [
    (entry("2026-11-25T10:05:00+00:00", "2026-11-25T10:06:00+00:00"), ["filing", "publicity"], False),
    (entry("2026-11-25T09:00:00+00:00", "2026-11-25T09:01:00+00:00"), ["filing", "publicity"], True),
    (entry("2026-11-25T09:59:00+00:00", "2026-11-25T10:06:00+00:00"), ["filing", "publicity"], True),
    (entry("2026-11-25T10:05:00+00:00", "2026-11-25T10:06:00+00:00"), ["filing"], True),
    (entry("2026-11-25T09:00:00+00:00", "2026-11-25T09:01:00+00:00"), ["identity"], False),
])
def test_publicity_is_rebuilt_when_its_backup_is_older_than_filings(publicity, restored, required):
    top = {"services": {"filing": entry("2026-11-25T10:00:00+00:00", "2026-11-25T10:04:00+00:00"),
                        "publicity": publicity}}
    assert needs_publicity_rebuild(top, restored) is required


def test_restore_says_when_the_public_list_must_be_rebuilt(mongo_client, databases, tmp_path, capsys):
    names, uri, database_args = databases
    fill(mongo_client, names)
    set_dir = str(tmp_path / "set")
    cli.backup_main(["--uri", uri, "--out", set_dir, "--service", "publicity", *database_args])
    cli.backup_main(["--uri", uri, "--out", set_dir, "--service", "filing", *database_args])
    wipe(mongo_client, names)
    capsys.readouterr()
    assert cli.restore_main([set_dir, "--uri", uri, "--service", "filing", "--service", "publicity",
                             *database_args]) == 0
    assert "publicity_rebuild: required" in capsys.readouterr().out
