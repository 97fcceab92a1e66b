"""Writing a service database to a backup set."""
import datetime
import hashlib
import importlib.metadata
import json
import os

from bson import json_util

from xjbackup.services import SERVICES

FORMAT = 1
EXTENDED_JSON = json_util.CANONICAL_JSON_OPTIONS
INDEX_OPTIONS = ("unique", "sparse", "expireAfterSeconds")


def tool_version():
    try:
        return importlib.metadata.version("xjcloud-backup")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def index_specs(collection):
    """The collection's indexes (but ``_id``) as plain data: name, keys, and the options we use."""
    specs = []
    for name, info in sorted(collection.index_information().items()):
        if name == "_id_":
            continue
        spec = {"name": name, "keys": [[field, direction] for field, direction in info["key"]]}
        spec.update({option: info[option] for option in INDEX_OPTIONS if option in info})
        specs.append(spec)
    return specs


def dump_collection(collection, path):
    """Every document, one canonical extended JSON line each; returns (count, sha256)."""
    digest = hashlib.sha256()
    count = 0
    with open(path, "wb") as handle:
        for document in collection.find({}):
            line = (json_util.dumps(document, json_options=EXTENDED_JSON) + "\n").encode("utf-8")
            handle.write(line)
            digest.update(line)
            count += 1
    return count, digest.hexdigest()


def dump_service(client, service, database_name, set_dir):
    folder = os.path.join(set_dir, service)
    os.makedirs(folder, exist_ok=True)
    for stale in os.listdir(folder):  # a service backed up again into the same set replaces its dump
        os.remove(os.path.join(folder, stale))
    database = client[database_name]
    manifest = {"format": FORMAT, "service": service, "database": database_name, "started_at": now_iso(),
                "collections": {}}
    for name in sorted(database.list_collection_names()):
        if name.startswith("system."):
            continue
        collection = database[name]
        file_name = f"{name}.jsonl"
        count, sha256 = dump_collection(collection, os.path.join(folder, file_name))
        manifest["collections"][name] = {"file": file_name, "count": count, "sha256": sha256,
                                         "indexes": index_specs(collection)}
    manifest["finished_at"] = now_iso()
    manifest["tool"] = {"name": "xj-backup", "version": tool_version()}
    write_json(os.path.join(folder, "manifest.json"), manifest)
    return manifest


def write_json(path, data):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(temporary, path)  # a crash never leaves half a manifest


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def backup(client, set_dir, services=SERVICES, databases=None, out=None):
    """Back up ``services`` (in the fixed order) into ``set_dir``; returns the set's manifest."""
    os.makedirs(set_dir, exist_ok=True)
    top_path = os.path.join(set_dir, "manifest.json")
    top = read_json(top_path) if os.path.exists(top_path) else {"format": FORMAT, "created_at": now_iso(),
                                                                    "services": {}}
    try:
        server_version = client.server_info().get("version")
    except Exception:  # some servers do not answer buildInfo: the version is only informative
        server_version = None
    for service in [name for name in SERVICES if name in services]:
        database_name = (databases or {})[service]
        manifest = dump_service(client, service, database_name, set_dir)
        total = sum(entry["count"] for entry in manifest["collections"].values())
        top["services"][service] = {"database": database_name, "started_at": manifest["started_at"],
                                    "finished_at": manifest["finished_at"], "documents": total}
        if out is not None:
            out.write(f"{service}: {database_name} → {len(manifest['collections'])} collections, "
                      f"{total} documents\n")
    top.update({"updated_at": now_iso(), "tool": {"name": "xj-backup", "version": tool_version()},
                "server_version": server_version})
    write_json(top_path, top)
    return top
