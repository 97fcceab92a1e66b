"""employment-svc: the nameko adapter (employment relations (聘用), labour contracts).

Only the health RPC exists so far; the features arrive with their issues.
"""
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store


class EmploymentService:
    name = "employment"

    store = Store()

    @rpc
    def ping(self):
        return ping_report(self.name, self.store)
