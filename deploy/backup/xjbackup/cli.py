"""``xj-backup`` and ``xj-restore``.

    xj-backup  [--uri URI] [--out SET_DIR] [--service NAME ...] [--database SERVICE=DB ...]
    xj-restore SET_DIR [--uri URI] [--service NAME ...] [--database SERVICE=DB ...] [--drop]
               [--report FILE] [--rebuild-publicity]

``--uri`` defaults to ``MONGO_URI`` (else mongodb://127.0.0.1:27017). Exit status: 0 done,
1 the set is damaged or the restore did not verify, 2 a target database is not empty.
After a restore, ``publicity_rebuild_required`` (printed, and in the report) says whether the
public list must be rebuilt from filing (``xj-publicity-rebuild`` once the services run, or
``--rebuild-publicity`` here, which waits for them).
"""
import argparse
import datetime
import json
import os
import sys
import time

from xjbackup import dump, restore
from xjbackup.services import SERVICES, database_of, parse_overrides

DEFAULT_URI = "mongodb://127.0.0.1:27017"


def _common(parser):
    parser.add_argument("--uri", default=os.environ.get("MONGO_URI") or DEFAULT_URI,
                        help="the store (default: MONGO_URI, else %(default)s)")
    parser.add_argument("--service", action="append", choices=SERVICES,
                        help="only this service (repeat for more; default: all five)")
    parser.add_argument("--database", action="append", metavar="SERVICE=DB",
                        help="a database name other than <SERVICE>_DATABASE / xj_<service>")


def backup_main(argv=None):
    parser = argparse.ArgumentParser(prog="xj-backup", description="Back up the services' databases.")
    _common(parser)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    parser.add_argument("--out", default=os.path.join("backups", f"xjcloud-{stamp}"),
                        help="the backup set's folder; a later run may add services to it (default: %(default)s)")
    args = parser.parse_args(argv)
    services = args.service or list(SERVICES)
    overrides = parse_overrides(args.database)
    databases = {service: database_of(service, overrides=overrides) for service in services}
    client = restore.connect(args.uri)
    try:
        dump.backup(client, args.out, services, databases, out=sys.stdout)
    finally:
        client.close()
    print(f"backup set: {os.path.abspath(args.out)}")
    return 0


def wait_and_rebuild_publicity(timeout, out):
    """Once filing and publicity answer ping over AMQP_URI, rebuild the public list."""
    from publicity.rebuild import rebuild
    from xjkit.nameko.callers import SignedClusterRpcProxy

    config = {"AMQP_URI": os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")}
    deadline = time.monotonic() + timeout
    while True:
        try:
            with SignedClusterRpcProxy(config, caller="ops", timeout=120) as proxy:
                if proxy.filing.ping()["status"] == "ok" and proxy.publicity.ping()["status"] == "ok":
                    return rebuild(proxy, 200, out=out)
        except Exception as error:  # not up yet
            if time.monotonic() > deadline:
                raise SystemExit(f"filing and publicity did not answer within {timeout} s: {error}")
        time.sleep(2)


def restore_main(argv=None):
    parser = argparse.ArgumentParser(prog="xj-restore", description="Restore the services' databases.")
    parser.add_argument("set_dir", help="the backup set's folder (made by xj-backup)")
    _common(parser)
    parser.add_argument("--drop", action="store_true", help="drop each target database first")
    parser.add_argument("--report", help="also write the report (JSON) to this file")
    parser.add_argument("--rebuild-publicity", action="store_true",
                        help="when the public list must be rebuilt, wait for the services and do it")
    parser.add_argument("--wait", type=float, default=600, help="how long --rebuild-publicity waits (s)")
    args = parser.parse_args(argv)
    services = args.service or list(SERVICES)
    overrides = parse_overrides(args.database)
    client = restore.connect(args.uri)
    try:
        report = restore.restore(client, args.set_dir, services, overrides, drop=args.drop, out=sys.stdout)
    except restore.BackupInvalid as error:
        print(f"xj-restore: nothing restored: {error}", file=sys.stderr)
        return 1
    except restore.TargetNotEmpty as error:
        print(f"xj-restore: nothing restored: {error}", file=sys.stderr)
        return 2
    finally:
        client.close()
    required = report["publicity_rebuild_required"]
    print(f"publicity_rebuild: {'required' if required else 'not required'}")
    if required and args.rebuild_publicity:
        report["publicity_rebuilt"] = wait_and_rebuild_publicity(args.wait, sys.stdout)
    elif required:
        print("the public list is older than filing's records: once the services run, rebuild it "
              "with xj-publicity-rebuild")
    if args.report:
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False, indent=2)
    return 0
