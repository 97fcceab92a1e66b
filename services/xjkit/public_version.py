"""The version of the public read model, shared through Redis by publicity-svc (the writer) and
the gateway (the reader of its cache, ``gateway.public_cache``).

publicity-svc increments the counter after the changes it has committed to the read model
(``INCR``, coalesced: at most every 100 ms), so a gateway that reads version V is sure every
change counted in V is in the store.
When the key is missing (a new Redis, an eviction) the first writer seeds it with the wall clock
in milliseconds, which is far above any count of changes made before: a version never comes back.
Only names and the seeding rule live here; each side brings its own Redis client.
"""
import time

VERSION_KEY = "public:version"


def version_key(prefix):
    return f"{prefix}{VERSION_KEY}"


def seed_value():
    return int(time.time() * 1000)


def bump(client, prefix):
    """Record one committed change: a new version (seeded first when the key is missing)."""
    key = version_key(prefix)
    pipe = client.pipeline(transaction=True)
    pipe.set(key, seed_value(), nx=True)
    pipe.incr(key)
    return pipe.execute()[-1]
