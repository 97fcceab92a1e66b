"""The two clocks as nameko dependencies (see ``xjkit.clock``).

    class FilingService:
        clock = BusinessClock()   # business dates: validity, windows, the dates records show
        wall = WallClock()        # housekeeping: expiries, TTL fields, retention

The business clock reads ``XJ_FAKE_NOW`` / ``XJ_FAKE_NOW_SINCE`` from the service's config
(``config.yml``: ``${XJ_FAKE_NOW:}``), honoured only when ``XJ_ENV`` is dev or test, once per
container, so a misconfigured one stops the service at start. Unit tests hand their own:
``worker_factory(FilingService, clock=FixedClock(...))``.
"""
import os

from nameko.extensions import DependencyProvider

from xjkit.clock import WALL_CLOCK, business_clock_from_env


CLOCK_SETTINGS = ("XJ_FAKE_NOW", "XJ_FAKE_NOW_SINCE")


class BusinessClock(DependencyProvider):
    def setup(self):
        config = self.container.config
        # YAML reads an unquoted ISO 8601 value as a datetime: hand it back as text
        settings = {name: config[name].isoformat() if hasattr(config[name], "isoformat") else str(config[name])
                    for name in CLOCK_SETTINGS if config.get(name)}
        self.clock = business_clock_from_env({**os.environ, **settings})

    def get_dependency(self, worker_ctx):
        return self.clock


class WallClock(DependencyProvider):
    def get_dependency(self, worker_ctx):
        return WALL_CLOCK
