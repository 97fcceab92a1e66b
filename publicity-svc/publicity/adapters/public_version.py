"""``PublicVersion``: tells the gateways' public cache that the read model changed.

After a worker has committed a change to the public read model it calls ``changed()``. When the
worker ends, the change is marked pending, and a background loop increments the shared version
in Redis (``xjkit.public_version``) at most every ``COALESCE_SECONDS``: a burst of changes (50
filings a second) makes one new version per interval, not one each, so the gateways rebuild a
hot query at most that often, and a change still shows within the interval. Redis trouble never
fails a worker (its change is committed): the loop logs it and tries again until Redis answers.
A cached answer also expires on its own (``XJ_PUBLIC_CACHE_SECONDS`` in the gateway).
"""
import logging

import eventlet
import redis
from nameko.extensions import DependencyProvider

from xjkit import public_version

log = logging.getLogger(__name__)

COALESCE_SECONDS = 0.1


class _Session:
    def __init__(self):
        self.dirty = False

    def changed(self):
        """This worker committed a change to the read model: a new version once it ends."""
        self.dirty = True


class PublicVersion(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.prefix = config.get("REDIS_KEY_PREFIX") or "xj:"
        self.client = redis.Redis.from_url(config.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                                           socket_timeout=1.0, socket_connect_timeout=1.0)
        self.pending = True  # a restarted service may have missed bumps: one new version costs one rebuild
        self.running = False

    def start(self):
        self.running = True
        self.container.spawn_managed_thread(self._bump_forever, identifier="public-version")

    def stop(self):
        self.running = False
        if self.pending:
            self._bump()

    def kill(self):
        self.running = False

    def _bump(self):
        self.pending = False
        try:
            return public_version.bump(self.client, self.prefix)
        except redis.RedisError as error:
            self.pending = True
            log.warning("public version not bumped yet (the cache shows the change when Redis answers): %s", error)
            return None

    def _bump_forever(self):
        while self.running:
            if self.pending:
                self._bump()
            eventlet.sleep(COALESCE_SECONDS)

    def get_dependency(self, worker_ctx):
        return _Session()

    def worker_teardown(self, worker_ctx):
        session = worker_ctx.service.__dict__.get(self.attr_name)
        if session is not None and session.dirty:
            self.pending = True
