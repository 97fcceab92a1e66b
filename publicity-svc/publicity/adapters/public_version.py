"""``PublicVersion``: tells the gateways' public cache that the read model changed.

After a worker has committed a change to the public read model it calls ``changed()``; when the
worker ends, the provider increments the shared version in Redis once (``xjkit.public_version``),
and every gateway serves the new state from then on. Redis trouble never fails the worker (its
change is committed; a failed event handler would be redelivered, find nothing new and bump
nothing): it is logged, and the version is bumped again by ``refresh()`` (the service's timer),
so a change shows at the latest one timer tick later. A cached answer also expires on its own
(``XJ_PUBLIC_CACHE_SECONDS`` in the gateway).
"""
import logging

import redis
from nameko.extensions import DependencyProvider

from xjkit import public_version

log = logging.getLogger(__name__)


class _Session:
    def __init__(self, provider):
        self._provider = provider
        self.dirty = False

    def changed(self):
        """This worker committed a change to the read model: bump the version when it ends."""
        self.dirty = True

    def refresh(self):
        self._provider.refresh()


class PublicVersion(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.prefix = config.get("REDIS_KEY_PREFIX") or "xj:"
        self.client = redis.Redis.from_url(config.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                                           socket_timeout=1.0, socket_connect_timeout=1.0)
        self.missed = False  # a bump that failed: refresh() retries it

    def start(self):
        self.bump()  # a restarted service may have missed bumps; a new version costs one rebuild

    def bump(self):
        try:
            version = public_version.bump(self.client, self.prefix)
            self.missed = False
            return version
        except redis.RedisError as error:
            self.missed = True
            log.warning("public version not bumped (the cache shows the change when Redis answers): %s", error)
            return None

    def refresh(self):
        """From a timer: redo a failed bump."""
        if self.missed:
            self.bump()

    def get_dependency(self, worker_ctx):
        return _Session(self)

    def worker_teardown(self, worker_ctx):
        session = worker_ctx.service.__dict__.get(self.attr_name)
        if session is not None and session.dirty:
            self.bump()
