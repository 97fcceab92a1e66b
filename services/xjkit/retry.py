"""The one rule for a write conflict: run the work again at once, a bounded number of times.

A ``ConcurrencyConflict`` means another writer changed the document between our read and our
version-checked write; reading again and redoing the work is always right (use cases are
idempotent), and it usually succeeds on the next try. Framework-free: used by use cases called
over RPC and, through ``xjkit.nameko.handlers``, by every event handler.
"""
import random
import time

from xjkit.errors import ConcurrencyConflict

CONFLICT_ATTEMPTS = 10
# a short random pause between tries spreads writers that collided (seconds, grows per try)
JITTER_SECONDS = 0.01


def retry_on_conflict(work, attempts=CONFLICT_ATTEMPTS, sleep=time.sleep):
    """``work()``, run again at once on ``ConcurrencyConflict``, at most ``attempts`` times; the
    last conflict is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
            sleep(random.uniform(0, JITTER_SECONDS * attempt))
