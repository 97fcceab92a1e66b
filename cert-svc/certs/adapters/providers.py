"""nameko dependency providers of cert-svc: one national-platform client per container."""
from nameko.extensions import DependencyProvider

from certs.adapters.national import HttpNationalPlatform


class NationalPlatformClient(DependencyProvider):
    """One HTTP session to the national platform, shared by the container's workers."""

    def setup(self):
        config = self.container.config
        self.client = HttpNationalPlatform(config["NATIONAL_API_BASE"],
                                           timeout=float(config.get("NATIONAL_TIMEOUT_SECONDS") or 5))

    def stop(self):
        self.client.close()

    def get_dependency(self, worker_ctx):
        return self.client
