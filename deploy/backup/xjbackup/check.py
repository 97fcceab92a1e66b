"""``xj-check``: cross-check the services' stores (operations run it after a restore).

    xj-check [--uri URI] [--database SERVICE=DB ...] [--amqp URI] [--api URL] [--no-broker]

It reports, one line each:

- ``filed_certificate_without_active_employment``: cert-svc marks a certificate filed, but its
  holder has no active employment at that enterprise (employment-svc);
- ``two_active_employments``: a person active at two enterprises at once;
- ``registration_not_listed`` / ``listing_out_of_date`` / ``listing_without_registration``: the
  public list (publicity-svc) against filing-svc's registrations, by the registration's serial;
- ``outbox_pending``: documents whose events are not published yet (a relay that is stuck);
- ``dead_letters``: messages an event handler gave up on (``xj-dlq``).

Exit status 0 when everything agrees, 1 when a difference was found. The fixes: ``xj-publicity-rebuild``
for the public list, ``xj-dlq replay`` for dead letters, the owning service's logs for the rest.
"""
import argparse
import os
import sys

from xjbackup import restore
from xjbackup.services import SERVICES, database_of, parse_overrides

DEFAULT_URI = "mongodb://127.0.0.1:27017"


def check(client, databases, dead_letters=()):
    """[(kind, detail)] of every difference; ``dead_letters``: [(queue, messages)]."""
    found = []
    employments = client[databases["employment"]]["employments"]
    active = {}
    for employment in employments.find({"status": "active"}):
        active.setdefault(employment["person_id"], []).append(employment)
    for person_id, held in sorted(active.items()):
        if len(held) > 1:
            found.append(("two_active_employments", f"person {person_id}: " + ", ".join(
                f"{e['_id']} at {e.get('enterprise_uscc')}" for e in held)))
    active_at = {(e["person_id"], e.get("enterprise_uscc")) for held in active.values() for e in held}
    for certificate in client[databases["cert"]]["certificates"].find({"filed": True}):
        if (certificate.get("person_id"), certificate.get("enterprise_uscc")) not in active_at:
            found.append(("filed_certificate_without_active_employment",
                          f"certificate {certificate['_id']} of person {certificate.get('person_id')} "
                          f"filed by {certificate.get('enterprise_uscc')}"))

    registrations = {(r["uscc"], r["enterprise_type"]): r for r in client[databases["filing"]]["registrations"].find({})}
    listings = {d["_id"]: d for d in client[databases["publicity"]]["enterprises"].find({})}
    for (uscc, enterprise_type), registration in sorted(registrations.items()):
        listed = ((listings.get(uscc) or {}).get("registrations") or {}).get(enterprise_type)
        if listed is None:
            found.append(("registration_not_listed", f"{uscc} {enterprise_type}"))
        elif listed.get("serial") != registration.get("booklet_serial"):
            found.append(("listing_out_of_date", f"{uscc} {enterprise_type}: listed serial {listed.get('serial')}, "
                                                 f"filing's {registration.get('booklet_serial')}"))
    for uscc, listing in sorted(listings.items()):
        for enterprise_type in sorted(listing.get("registrations") or {}):
            if (uscc, enterprise_type) not in registrations:
                found.append(("listing_without_registration", f"{uscc} {enterprise_type}"))

    for service in SERVICES:
        database = client[databases[service]]
        for name in sorted(database.list_collection_names()):
            pending = database[name].count_documents({"outbox_pending": True})
            if pending:
                found.append(("outbox_pending", f"{service}: {pending} document(s) in {name}"))
    for queue, messages in dead_letters:
        if messages:
            found.append(("dead_letters", f"{queue}: {messages} message(s)"))
    return found


def read_dead_letters(amqp_uri, api_uri):
    from xjkit.nameko.dlq import list_queues  # the kit reads them from the broker's management API
    return list_queues(amqp_uri, api_uri)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="xj-check", description="Cross-check the services' stores.")
    parser.add_argument("--uri", default=os.environ.get("MONGO_URI") or DEFAULT_URI)
    parser.add_argument("--database", action="append", metavar="SERVICE=DB")
    parser.add_argument("--amqp", default=os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
    parser.add_argument("--api", default=os.environ.get("RABBIT_API_URI", "http://127.0.0.1:15672"))
    parser.add_argument("--no-broker", action="store_true", help="do not read the dead-letter queues")
    args = parser.parse_args(argv)
    overrides = parse_overrides(args.database)
    databases = {service: database_of(service, overrides=overrides) for service in SERVICES}
    dead_letters = []
    if not args.no_broker:
        try:
            dead_letters = read_dead_letters(args.amqp, args.api)
        except Exception as error:  # reported, and the store checks still run
            print(f"dead letters not checked: {error}", file=sys.stderr)
    client = restore.connect(args.uri)
    try:
        found = check(client, databases, dead_letters)
    finally:
        client.close()
    for kind, detail in found:
        print(f"{kind}: {detail}")
    print(f"{len(found)} difference(s)" if found else "all stores agree")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
