"""cert-svc: the nameko adapter. Each entrypoint builds its ports and calls one use case."""
from xjkit.nameko.handlers import event_handler, forward_event
from nameko.timer import timer

from xjkit.events import Event
from xjkit.nameko.clocks import BusinessClock
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.rpc_proxy import TimedRpcProxy
from xjkit.nameko.store import Store
from xjkit.nameko.telemetry import Telemetry

from certs.adapters.concurrency import green_map
from certs.adapters.providers import NationalPlatformClient
from certs.adapters.repositories import MongoCertificatesUnitOfWork, prepare_database
from certs.adapters.service_clients import EmploymentPersonFiles, EmploymentStaff, IdentityIdNumbers
from certs.service_layer import certificates as use_cases
from certs.service_layer.national_sync import sync_registered

EXPIRY_INTERVAL_SECONDS = 3600


class CertService:
    name = "cert"

    telemetry = Telemetry()  # metrics, request context, logs

    store = Store(outbox_collections=("certificates",), prepare=prepare_database)
    national = NationalPlatformClient()
    employment = TimedRpcProxy("employment")
    identity = TimedRpcProxy("identity")
    clock = BusinessClock()

    def _uow(self):
        return MongoCertificatesUnitOfWork(self.store.db)

    @rpc
    def ping(self):
        return ping_report(self.name, self.store, self.telemetry)

    # --- enterprise side ---------------------------------------------------------------------

    @rpc
    def sync_registered(self, enterprise_uscc, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{enterprise_uscc}:sync_registered", idempotency_key, request_fingerprint,
            lambda: sync_registered(self._uow(), EmploymentStaff(self.employment),
                                    IdentityIdNumbers(self.identity), self.national, self.clock,
                                    enterprise_uscc, map_concurrently=green_map))

    @rpc
    def add_certificate(self, enterprise_uscc, person_id, kind, fields, idempotency_key=None,
                        request_fingerprint=None):
        return self.store.run_once(
            f"{enterprise_uscc}:add_certificate", idempotency_key, request_fingerprint,
            lambda: use_cases.add_certificate(self._uow(), EmploymentStaff(self.employment),
                                              self.clock, enterprise_uscc, person_id, kind, fields))

    @rpc
    def list_certificates(self, enterprise_uscc, kind=None, person_id=None, page=1, per_page=20):
        return use_cases.list_for_enterprise(self._uow(), enterprise_uscc, kind, person_id, page, per_page)

    @rpc
    def get_certificate(self, enterprise_uscc, certificate_id):
        return use_cases.get_for_enterprise(self._uow(), enterprise_uscc, certificate_id)

    def _decide_title(self, operation, decide, enterprise_uscc, certificate_id, enterprise_name,
                      idempotency_key, request_fingerprint):
        return self.store.run_once(
            f"{enterprise_uscc}:{operation}:{certificate_id}", idempotency_key, request_fingerprint,
            lambda: decide(self._uow(), self.clock, enterprise_uscc, certificate_id, enterprise_name))

    @rpc
    def confirm_title(self, enterprise_uscc, certificate_id, enterprise_name=None, idempotency_key=None,
                      request_fingerprint=None):
        return self._decide_title("confirm_title", use_cases.confirm_title, enterprise_uscc, certificate_id,
                                  enterprise_name, idempotency_key, request_fingerprint)

    @rpc
    def revoke_title(self, enterprise_uscc, certificate_id, enterprise_name=None, idempotency_key=None,
                     request_fingerprint=None):
        return self._decide_title("revoke_title", use_cases.revoke_title, enterprise_uscc, certificate_id,
                                  enterprise_name, idempotency_key, request_fingerprint)

    @rpc
    def certificates_by_ids(self, enterprise_uscc, certificate_ids):
        return use_cases.certificates_by_ids(self._uow(), enterprise_uscc, certificate_ids)

    @rpc
    def registered_of_person(self, enterprise_uscc, person_id):
        return use_cases.registered_of_person(self._uow(), enterprise_uscc, person_id)

    @event_handler("filing", "personnel_changed")
    def on_filing_personnel_changed(self, event_data):
        # idempotent by itself: marks already in place are left alone
        payload = Event.from_dict(event_data).payload
        use_cases.apply_filing_change(self._uow(), self.clock, payload["uscc"], payload["filed"],
                                      payload["unfiled"])

    # --- person side -----------------------------------------------------------------------------

    @rpc
    def list_for_person(self, person_id):
        return use_cases.list_for_person(self._uow(), person_id)

    @rpc
    def register_title(self, person_id, fields, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{person_id}:register_title", idempotency_key, request_fingerprint,
            lambda: use_cases.register_title(self._uow(), EmploymentStaff(self.employment),
                                             EmploymentPersonFiles(self.employment), self.clock, person_id, fields))

    @rpc
    def reregister_title(self, person_id, certificate_id, fields, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{person_id}:reregister_title:{certificate_id}", idempotency_key, request_fingerprint,
            lambda: use_cases.reregister_title(self._uow(), EmploymentPersonFiles(self.employment),
                                               self.clock, person_id, certificate_id, fields))

    # --- reactions and housekeeping --------------------------------------------------------------

    def _detach(self, event_data):
        # idempotent by itself: a redelivered event finds the certificates already detached
        payload = Event.from_dict(event_data).payload
        use_cases.detach_after_employment_ended(self._uow(), self.clock, payload["enterprise_uscc"],
                                                payload["person_id"])

    # an ended employment detaches the person's certificates: one handler and queue each
    on_employment_terminated = forward_event("employment", "terminated", to="_detach")
    on_employment_expired = forward_event("employment", "expired", to="_detach")

    @timer(interval=EXPIRY_INTERVAL_SECONDS)
    def expire_certificates(self):
        use_cases.expire_due(self._uow(), self.clock)

    @rpc
    def run_expiry(self):
        """For operations (and tests): mark what is past validity now, without waiting for the timer."""
        expired = use_cases.expire_due(self._uow(), self.clock)
        return {"expired": expired}
