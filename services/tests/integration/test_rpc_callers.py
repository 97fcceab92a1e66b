"""Restricted RPCs over the real broker: only a caller on the allow-list, signed with the RPC key,
gets an answer; anyone else on the broker is refused before any worker runs."""
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from xjkit.errors import DomainError
from xjkit.nameko.callers import SignedClusterRpcProxy
from xjkit.nameko.rpc import rpc
from xjkit.nameko.rpc_proxy import TimedRpcProxy

pytestmark = pytest.mark.integration
KEY = "an-rpc-key-for-this-test-only-0123456789"


class Vault:
    name = "vault"
    calls = []

    @rpc(callers=("cert",))
    def secrets(self):
        Vault.calls.append("secrets")
        return {"id_card_no": "plain"}

    @rpc
    def open_door(self):
        return "open"


class Cert:
    """A service named like cert-svc: its TimedRpcProxy signs every call as "cert"."""
    name = "cert"
    vault = TimedRpcProxy("vault")

    @rpc
    def fetch(self):
        return self.vault.secrets()


class Gateway(Cert):
    """The same service under a name that is not on the allow-list."""
    name = "gateway_like"


@pytest.fixture
def config(rabbit_config):
    return {**rabbit_config, "RPC_KEY": KEY}


@pytest.fixture
def running(container_factory, config):
    Vault.calls.clear()
    for service in (Vault, Cert, Gateway):
        container_factory(service, config).start()
    return config


def test_a_service_on_the_allow_list_gets_the_answer(running):
    with ClusterRpcProxy(running, timeout=10) as proxy:
        assert proxy.cert.fetch() == {"id_card_no": "plain"}


def test_another_service_with_the_key_is_refused(running):
    with ClusterRpcProxy(running, timeout=10) as proxy:
        with pytest.raises(DomainError) as refused:
            proxy.gateway_like.fetch()
    assert (refused.value.code, refused.value.status) == ("RPC_CALLER_REFUSED", 403)


def test_anything_else_on_the_broker_is_refused_before_a_worker_runs(running):
    with ClusterRpcProxy(running, timeout=10) as proxy:
        with pytest.raises(DomainError) as refused:
            proxy.vault.secrets()
        assert proxy.vault.open_door() == "open"  # unrestricted RPCs answer anyone
    assert refused.value.code == "RPC_CALLER_REFUSED" and Vault.calls == []


def test_a_caller_name_signed_with_another_key_is_refused(running):
    with SignedClusterRpcProxy(running, caller="cert", key="another-key-of-forty-characters-xxxxxxxx",
                               timeout=10) as proxy:
        with pytest.raises(DomainError):
            proxy.vault.secrets()
    with SignedClusterRpcProxy(running, caller="cert", key=KEY, timeout=10) as proxy:
        assert proxy.vault.secrets() == {"id_card_no": "plain"}
