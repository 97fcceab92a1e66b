"""Each of the five services starts on its own and answers ping about its store and broker."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from certs.service import CertService
from employment.service import EmploymentService
from filing.service import FilingService
from identity.service import IdentityService
from publicity.service import PublicityService

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service_class", [
    IdentityService, EmploymentService, CertService, FilingService, PublicityService,
])
def test_service_answers_ping_with_store_and_broker_ok(container_factory, service_config, service_class):
    container = container_factory(service_class, service_config)
    container.start()
    with ServiceRpcProxy(service_class.name, service_config, timeout=10) as proxy:
        assert proxy.ping() == {"service": service_class.name, "store": "ok", "broker": "ok", "status": "ok"}


def test_ping_reports_a_store_that_is_down(container_factory, service_config):
    config = {**service_config, "MONGO_URI": "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300"}
    container = container_factory(FilingService, config)
    container.start()
    with ServiceRpcProxy("filing", config, timeout=10) as proxy:
        assert proxy.ping()["store"] == "down"
