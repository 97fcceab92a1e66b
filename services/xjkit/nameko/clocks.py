"""The two clocks as nameko dependencies (see ``xjkit.clock``).

    class FilingService:
        clock = BusinessClock()   # business dates: validity, windows, the dates records show
        wall = WallClock()        # housekeeping: expiries, TTL fields, retention

Both are read once per container, so a misconfigured ``XJ_FAKE_NOW`` stops the service at start.
Unit tests hand their own: ``worker_factory(FilingService, clock=FixedClock(...))``.
"""
from nameko.extensions import DependencyProvider

from xjkit.clock import WALL_CLOCK, business_clock_from_env


class BusinessClock(DependencyProvider):
    def setup(self):
        self.clock = business_clock_from_env()

    def get_dependency(self, worker_ctx):
        return self.clock


class WallClock(DependencyProvider):
    def get_dependency(self, worker_ctx):
        return WALL_CLOCK
