"""nameko dependency providers of filing-svc: one national-platform client per container."""
from nameko.extensions import DependencyProvider

from filing.adapters.clients import HttpNationalPlatform


class NationalPlatformClient(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.client = HttpNationalPlatform(config["NATIONAL_API_BASE"],
                                           timeout=float(config.get("NATIONAL_TIMEOUT_SECONDS") or 5))

    def stop(self):
        self.client.close()

    def get_dependency(self, worker_ctx):
        return self.client
