"""publicity-svc: the nameko adapter (the public read model (进疆企业信息公示), built from events).

Only the health RPC exists so far; the features arrive with their issues.
"""
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store


class PublicityService:
    name = "publicity"

    store = Store()

    @rpc
    def ping(self):
        return ping_report(self.name, self.store)
