"""Restoring service databases from a backup set, verified before and after."""
import hashlib
import os

import pymongo
from bson import json_util

from xjbackup.dump import EXTENDED_JSON, FORMAT, read_json
from xjbackup.services import SERVICES

BATCH = 500


class BackupInvalid(Exception):
    """The set is incomplete or damaged: nothing was restored."""


class TargetNotEmpty(Exception):
    """A target database holds documents and --drop was not given: nothing was restored."""


def load_set(set_dir, services):
    """The manifests of ``services`` in the set, each file checked against its count and sha256."""
    top_path = os.path.join(set_dir, "manifest.json")
    if not os.path.exists(top_path):
        raise BackupInvalid(f"{set_dir} holds no manifest.json: not a backup set")
    top = read_json(top_path)
    if top.get("format") != FORMAT:
        raise BackupInvalid(f"backup format {top.get('format')!r} is not {FORMAT}")
    missing = [service for service in services if service not in top.get("services", {})]
    if missing:
        raise BackupInvalid(f"the set holds no backup of {', '.join(missing)}")
    manifests = {}
    for service in services:
        manifest = read_json(os.path.join(set_dir, service, "manifest.json"))
        for name, entry in manifest["collections"].items():
            path = os.path.join(set_dir, service, entry["file"])
            if not os.path.exists(path):
                raise BackupInvalid(f"{service}: {entry['file']} is missing")
            digest, count = hashlib.sha256(), 0
            with open(path, "rb") as handle:
                for line in handle:
                    digest.update(line)
                    count += 1
            if digest.hexdigest() != entry["sha256"] or count != entry["count"]:
                raise BackupInvalid(f"{service}: {entry['file']} does not match its manifest (damaged or changed)")
        manifests[service] = manifest
    return top, manifests


def documents(path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json_util.loads(line, json_options=EXTENDED_JSON)


def restore_service(client, manifest, set_dir, database_name):
    database = client[database_name]
    for name, entry in sorted(manifest["collections"].items()):
        collection = database[name]
        batch = []
        for document in documents(os.path.join(set_dir, manifest["service"], entry["file"])):
            batch.append(document)
            if len(batch) >= BATCH:
                collection.insert_many(batch, ordered=True)
                batch = []
        if batch:
            collection.insert_many(batch, ordered=True)
        if entry["count"] == 0:
            database.create_collection(name) if name not in database.list_collection_names() else None
        for spec in entry.get("indexes", []):
            options = {key: spec[key] for key in ("unique", "sparse", "expireAfterSeconds") if key in spec}
            collection.create_index([(field, direction) for field, direction in spec["keys"]], name=spec["name"],
                                    **options)
        restored = collection.count_documents({})
        if restored != entry["count"]:
            raise BackupInvalid(f"{manifest['service']}.{name}: {restored} documents after the restore, "
                                f"the backup holds {entry['count']}")


def non_empty(client, database_name):
    database = client[database_name]
    return [name for name in database.list_collection_names()
            if not name.startswith("system.") and database[name].estimated_document_count() > 0]


def needs_publicity_rebuild(top, restored):
    """Must the public list be rebuilt from filing after this restore?

    publicity-svc's read model is built from filing-svc's events. It can be trusted only when its
    backup began after filing's finished (then it holds every change filing's backup holds). It
    must be rebuilt when its backup is older than filing's, and when filing is restored but
    publicity is not (the live list may show changes the restored filing no longer has)."""
    services = top.get("services", {})
    if "filing" in restored and "publicity" not in restored:
        return True
    if "publicity" in restored and "filing" in services:
        return services["publicity"]["started_at"] < services["filing"]["finished_at"]
    return False


def restore(client, set_dir, services=SERVICES, databases=None, drop=False, out=None):
    """Restore ``services`` from the set; returns a report (dict). Nothing is written unless every
    file verifies and every target is empty (or ``drop``)."""
    services = [name for name in SERVICES if name in services]
    top, manifests = load_set(set_dir, services)
    targets = {service: (databases or {}).get(service) or manifests[service]["database"] for service in services}
    if not drop:
        occupied = {service: non_empty(client, name) for service, name in targets.items()}
        occupied = {service: names for service, names in occupied.items() if names}
        if occupied:
            detail = "; ".join(f"{targets[s]} ({', '.join(names)})" for s, names in occupied.items())
            raise TargetNotEmpty(f"not empty: {detail}. Restore into empty databases, or give --drop")
    report = {"set": os.path.abspath(set_dir), "services": {}}
    for service in services:
        if drop:
            client.drop_database(targets[service])
        restore_service(client, manifests[service], set_dir, targets[service])
        total = sum(entry["count"] for entry in manifests[service]["collections"].values())
        report["services"][service] = {"database": targets[service], "documents": total,
                                       "backup_started_at": manifests[service]["started_at"]}
        if out is not None:
            out.write(f"{service}: restored {total} documents into {targets[service]}\n")
    report["publicity_rebuild_required"] = needs_publicity_rebuild(top, services)
    return report


def connect(uri):
    return pymongo.MongoClient(uri, serverSelectionTimeoutMS=10000, tz_aware=True)
