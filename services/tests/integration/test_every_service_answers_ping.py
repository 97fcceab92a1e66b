"""Each of the five services starts on its own and answers ping about its store and broker."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from certs.service import CertService
from employment.service import EmploymentService
from filing.service import FilingService
from identity.service import IdentityService
from publicity.service import PublicityService

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("folder, service_class", [
    ("identity-svc", IdentityService), ("employment-svc", EmploymentService), ("cert-svc", CertService),
    ("filing-svc", FilingService), ("publicity-svc", PublicityService),
])
def test_service_starts_from_its_config_file_and_answers_ping(container_factory, service_config_of, folder,
                                                              service_class):
    config = service_config_of(folder)
    container = container_factory(service_class, config)
    container.start()
    with ServiceRpcProxy(service_class.name, config, timeout=10) as proxy:
        answer = proxy.ping()
    # a service may report more (identity: the state of the CA revocation lists)
    assert {key: answer[key] for key in ("service", "store", "broker", "status")} == {
        "service": service_class.name, "store": "ok", "broker": "ok", "status": "ok"}
    # and what waits for an operator: nothing on a fresh broker and store
    assert (answer["dead_letters"], answer["outbox_stuck"]) == (0, 0)


def test_ping_reports_a_store_that_is_down(container_factory, service_config_of):
    config = service_config_of("filing-svc", MONGO_URI="mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300")
    container = container_factory(FilingService, config)
    container.start()
    with ServiceRpcProxy("filing", config, timeout=10) as proxy:
        assert proxy.ping()["store"] == "down"
