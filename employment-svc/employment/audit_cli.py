"""``xj-audit-lookups``: the audit log of person lookups, for regulators and operations.

Which enterprise looked up which (masked) ID number, and when; filtered by enterprise, person
(or an ID number, which identity-svc resolves to its person), and time. Prints CSV (the default,
for spreadsheets) or JSON lines.

    AMQP_URI=pyamqp://…/ XJ_RPC_KEY=… xj-audit-lookups --enterprise 9151010029141777XB --since 2026-11-01
    AMQP_URI=pyamqp://…/ xj-audit-lookups --id-card-no 510104199001011234 --format json
"""
import argparse
import csv
import json
import os
import sys

from xjkit.nameko.callers import SignedClusterRpcProxy

COLUMNS = ("at", "enterprise_uscc", "id_card_masked", "person_id", "found", "lookup_id")
PAGE_SIZE = 1000


def entries(proxy, **filters):
    """Every matching entry, newest first, page after page."""
    page = 1
    while True:
        answer = proxy.employment.lookup_log(page=page, per_page=PAGE_SIZE, **filters)
        yield from answer["items"]
        if page * PAGE_SIZE >= answer["total"]:
            return
        page += 1


def main(argv=None, out=sys.stdout):
    parser = argparse.ArgumentParser(prog="xj-audit-lookups", description="The audit log of person lookups.")
    parser.add_argument("--enterprise", help="the enterprise's unified social credit code")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--person-id", help="the person looked up")
    who.add_argument("--id-card-no", help="the person looked up, by ID number (resolved by identity-svc)")
    parser.add_argument("--since", help="from this instant on, ISO 8601 (no offset: Shanghai time)")
    parser.add_argument("--until", help="before this instant, ISO 8601")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args(argv)
    config = {"AMQP_URI": os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")}
    with SignedClusterRpcProxy(config, caller="ops", timeout=args.timeout) as proxy:
        person_id = args.person_id
        if args.id_card_no:
            person_id = proxy.identity.lookup_person_by_id_card(id_card_no=args.id_card_no)["person_id"]
        rows = entries(proxy, enterprise_uscc=args.enterprise, person_id=person_id, since=args.since,
                       until=args.until)
        if args.format == "json":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
