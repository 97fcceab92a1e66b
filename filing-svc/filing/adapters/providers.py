"""nameko dependency providers of filing-svc: one national-platform client and one booklet printer
per container, configured from config.yml."""
from eventlet import tpool
from nameko.extensions import DependencyProvider

from filing.adapters.booklet import ReportlabBookletPrinter
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


class BookletPrinting(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.printer = ReportlabBookletPrinter(config.get("PUBLIC_BASE_URL"), font_path=config.get("BOOKLET_FONT"),
                                               offload=tpool.execute)

    def get_dependency(self, worker_ctx):
        return self.printer
