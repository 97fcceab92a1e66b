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


# Booklets render in eventlet's pool of OS threads (the only use of it in filing-svc), and one
# thread is enough: a render holds the GIL, so more threads only interleave renders. With the
# default of 20, each render went to the next thread, and glibc gives every thread a malloc arena
# of its own that keeps what a render freed: filing-svc grew by ~4.5 MiB a booklet, from 110 to
# 183 MiB after 16 booklets (bench/bench_booklet.py). Takes effect when the pool starts, at the
# first booklet.
RENDER_THREADS = 1


class BookletPrinting(DependencyProvider):
    def setup(self):
        config = self.container.config
        tpool.set_num_threads(RENDER_THREADS)
        self.printer = ReportlabBookletPrinter(config.get("PUBLIC_BASE_URL"), font_path=config.get("BOOKLET_FONT"),
                                               offload=tpool.execute)

    def get_dependency(self, worker_ctx):
        return self.printer
