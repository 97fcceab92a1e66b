"""cert-svc: the nameko adapter (personnel certificates, national-platform sync, title confirmations).

Only the health RPC exists so far; the features arrive with their issues.
"""
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store


class CertService:
    name = "cert"

    store = Store()

    @rpc
    def ping(self):
        return ping_report(self.name, self.store)
