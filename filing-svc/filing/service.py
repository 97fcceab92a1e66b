"""filing-svc: the nameko adapter (registrations (进疆登记), business cases and their review, booklets).

Only the health RPC exists so far; the features arrive with their issues.
"""
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store


class FilingService:
    name = "filing"

    store = Store()

    @rpc
    def ping(self):
        return ping_report(self.name, self.store)
