"""employment-svc: the nameko adapter. Each entrypoint builds its ports and calls one use case."""
from xjkit.nameko.handlers import event_handler
from nameko.timer import timer

from xjkit.events import Event
from xjkit.nameko.clocks import BusinessClock, WallClock
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.rpc_proxy import TimedRpcProxy
from xjkit.nameko.store import Store
from xjkit.nameko.telemetry import Telemetry

from employment.adapters.file_store import StoredContractFiles
from employment.adapters.identity_client import IdentityFaceTickets, IdentityPersonDirectory
from employment.adapters.lookup_audit import MongoLookupAudit
from employment.adapters.repositories import MongoEmploymentsUnitOfWork, prepare_database
from employment.file_rpc import FileRpcMixin
from employment.service_layer import audit
from employment.service_layer import employments as use_cases
from employment.service_layer import files as file_use_cases

EXPIRY_INTERVAL_SECONDS = 300
UPLOAD_SWEEP_INTERVAL_SECONDS = 3600  # abandoned uploads: bytes older than a day without metadata


class EmploymentService(FileRpcMixin):
    name = "employment"

    telemetry = Telemetry()  # metrics, request context, logs

    store = Store(outbox_collections=("employments",), prepare=prepare_database)
    identity = TimedRpcProxy("identity")
    clock = BusinessClock()
    wall = WallClock()

    def _uow(self):
        return MongoEmploymentsUnitOfWork(self.store.db)

    @rpc
    def ping(self):
        return ping_report(self.name, self.store, self.telemetry)

    # --- enterprise side ---------------------------------------------------------------------

    @rpc(sensitive_arguments=("id_card_no",))
    def lookup_person(self, enterprise_uscc, id_card_no):
        return use_cases.lookup_person(IdentityPersonDirectory(self.identity), self._uow(),
                                       MongoLookupAudit(self.store.db), self.wall, enterprise_uscc, id_card_no)

    @rpc(callers=("ops",))  # for regulators, through xj-audit-lookups
    def lookup_log(self, enterprise_uscc=None, person_id=None, since=None, until=None, page=1, per_page=100):
        """The audit log of person lookups, for regulators (xj-audit-lookups)."""
        return audit.lookup_log(MongoLookupAudit(self.store.db), enterprise_uscc, person_id, since, until,
                                page, per_page)

    @rpc(sensitive_arguments=("id_card_no",))
    def make_offer(self, enterprise_uscc, enterprise_name, id_card_no, contract_start, contract_end,
                   contract_file_id, idempotency_key=None, request_fingerprint=None):
        def offer():
            return use_cases.make_offer(
                self._uow(), IdentityPersonDirectory(self.identity), StoredContractFiles(self.store.db),
                self.clock, enterprise_uscc, enterprise_name, id_card_no, contract_start, contract_end, contract_file_id,
            )

        return self.store.run_once(
            f"{enterprise_uscc}:make_offer", idempotency_key, request_fingerprint, offer)

    @rpc
    def list_for_enterprise(self, enterprise_uscc, status=None, page=1, per_page=20):
        return use_cases.list_for_enterprise(self._uow(), enterprise_uscc, status, page, per_page)

    @rpc
    def active_staff(self, enterprise_uscc):
        return use_cases.active_staff(self._uow(), enterprise_uscc)

    @rpc
    def staff_and_files(self, enterprise_uscc, file_ids):
        """What filing-svc's review needs in one round trip: {"staff": active_staff,
        "owned_file_ids": those of file_ids the enterprise uploaded}."""
        return {"staff": use_cases.active_staff(self._uow(), enterprise_uscc),
                "owned_file_ids": file_use_cases.owned_file_ids(self._file_store(), enterprise_uscc, file_ids)}

    @rpc
    def get_for_enterprise(self, enterprise_uscc, employment_id):
        return use_cases.get_for_enterprise(self._uow(), enterprise_uscc, employment_id)

    @rpc
    def cancel_offer(self, enterprise_uscc, employment_id, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{enterprise_uscc}:cancel_offer:{employment_id}", idempotency_key, request_fingerprint,
            lambda: use_cases.cancel_offer(self._uow(), self.clock, enterprise_uscc, employment_id))

    @rpc
    def terminate_by_enterprise(self, enterprise_uscc, employment_id, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{enterprise_uscc}:terminate_by_enterprise:{employment_id}", idempotency_key, request_fingerprint,
            lambda: use_cases.terminate_by_enterprise(self._uow(), self.clock, enterprise_uscc, employment_id))

    # --- person side ---------------------------------------------------------------------------

    @rpc
    def list_for_person(self, person_id):
        return use_cases.list_for_person(self._uow(), person_id)

    @rpc
    def current_employment(self, person_id):
        return use_cases.current_employment(self._uow(), person_id)

    @rpc
    def accept_offer(self, person_id, employment_id, verify_id, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{person_id}:accept_offer:{employment_id}", idempotency_key, request_fingerprint,
            lambda: use_cases.accept_offer(self._uow(), IdentityFaceTickets(self.identity),
                                           self.clock, person_id, employment_id, verify_id))

    @rpc
    def reject_offer(self, person_id, employment_id, reason=None, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{person_id}:reject_offer:{employment_id}", idempotency_key, request_fingerprint,
            lambda: use_cases.reject_offer(self._uow(), self.clock, person_id, employment_id, reason))

    @rpc
    def terminate_by_person(self, person_id, employment_id, idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{person_id}:terminate_by_person:{employment_id}", idempotency_key, request_fingerprint,
            lambda: use_cases.terminate_by_person(self._uow(), self.clock, person_id, employment_id))

    # --- reactions and housekeeping --------------------------------------------------------------

    @event_handler("employment", "accepted")
    def on_accepted_withdraw_other_offers(self, event_data):
        event = Event.from_dict(event_data)
        # idempotent by itself: a second run finds no pending offers left
        use_cases.withdraw_other_offers(self._uow(), self.clock, event.payload["person_id"],
                                        event.payload["employment_id"])

    @timer(interval=EXPIRY_INTERVAL_SECONDS)
    def expire_contracts(self):
        use_cases.expire_due(self._uow(), self.clock)

    @timer(interval=UPLOAD_SWEEP_INTERVAL_SECONDS)
    def sweep_abandoned_uploads(self):
        """Bytes of uploads that crashed part-way (no metadata), older than a day: removed."""
        file_use_cases.sweep_abandoned_uploads(self._file_store(), self.wall)

    @rpc
    def run_expiry(self):
        """For operations (and tests): expire what is due now, without waiting for the timer."""
        expired = use_cases.expire_due(self._uow(), self.clock)
        return {"expired": expired}
