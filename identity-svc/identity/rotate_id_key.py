"""``xj-rotate-id-key``: re-encrypt every stored ID number under a new ``XJ_ID_KEY``.

An ID number is kept as ``id_card_enc`` (AES-GCM under a key derived from ``XJ_ID_KEY``) and found
through ``id_hash`` (an HMAC under another key derived from it): a new master key changes both, so
every person (and every face check still on file) is rewritten. identity-svc must be stopped
while it runs (it reads with one key only): docs/operations.md, "Key rotation".

    XJ_ID_KEY_OLD=… XJ_ID_KEY_NEW=… MONGO_URI=… xj-rotate-id-key [--database xj_identity] [--dry-run]

The keys come from the environment, never the command line (the process list shows arguments).
Resumable: a document that the new key already opens is left alone, so an interrupted run is
simply run again. A document that neither key opens is reported and left as it is (exit 1).
"""
import argparse
import os
import sys

import pymongo

from xjkit.idvault import IdVault, InvalidToken, parse_key

COLLECTIONS = {"persons": True, "face_checks": False}  # collection → has an id_hash to recompute


def rotate_document(document, old, new, with_hash):
    """The document under the new key, or None when it is already (or has nothing to rotate)."""
    token = document.get("id_card_enc")
    if not token:
        return None
    try:
        new.decrypt(token)
        return None  # rotated by an earlier (interrupted) run
    except InvalidToken:
        pass
    plain = old.decrypt(token)  # InvalidToken: neither key opens it
    rotated = {**document, "id_card_enc": new.encrypt(plain), "version": document.get("version", 0) + 1}
    if with_hash and document.get("id_hash"):
        rotated["id_hash"] = new.lookup_hash(plain)
    return rotated


def rotate(database, old, new, dry_run=False, out=None):
    """Returns {collection: (rotated, skipped, unreadable)}."""
    out = out or sys.stdout
    report = {}
    for name, with_hash in COLLECTIONS.items():
        collection = database[name]
        rotated = skipped = unreadable = 0
        for document in collection.find({"id_card_enc": {"$exists": True}}):
            try:
                replacement = rotate_document(document, old, new, with_hash)
            except InvalidToken:
                unreadable += 1
                out.write(f"{name}/{document['_id']}: neither key opens its ID number; left as it is\n")
                continue
            if replacement is None:
                skipped += 1
                continue
            if not dry_run:
                # version-checked, whole-document (the vetted subset): a concurrent writer would win
                written = collection.replace_one({"_id": document["_id"], "version": document.get("version")},
                                                 replacement)
                if written.matched_count != 1:
                    out.write(f"{name}/{document['_id']}: changed meanwhile; run again (is identity stopped?)\n")
                    unreadable += 1
                    continue
            rotated += 1
        report[name] = (rotated, skipped, unreadable)
        out.write(f"{name}: {rotated} re-encrypted, {skipped} already under the new key, {unreadable} not readable"
                  f"{' (dry run: nothing written)' if dry_run else ''}\n")
    return report


def main(argv=None, environ=os.environ):
    parser = argparse.ArgumentParser(description="Re-encrypt stored ID numbers under a new XJ_ID_KEY.")
    parser.add_argument("--uri", default=environ.get("MONGO_URI", "mongodb://127.0.0.1:27017"))
    parser.add_argument("--database", default=environ.get("IDENTITY_DATABASE", "xj_identity"))
    parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
    args = parser.parse_args(argv)
    missing = [name for name in ("XJ_ID_KEY_OLD", "XJ_ID_KEY_NEW") if not environ.get(name)]
    if missing:
        print(f"set {' and '.join(missing)} (hex or base64, at least 32 bytes)", file=sys.stderr)
        return 2
    old, new = (IdVault(parse_key(environ[name])) for name in ("XJ_ID_KEY_OLD", "XJ_ID_KEY_NEW"))
    client = pymongo.MongoClient(args.uri, serverSelectionTimeoutMS=10000, tz_aware=True)
    try:
        report = rotate(client[args.database], old, new, dry_run=args.dry_run)
    finally:
        client.close()
    return 1 if any(unreadable for _, _, unreadable in report.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
