"""filing-svc: the nameko adapter. Each entrypoint builds its ports and calls one use case."""
import base64

from nameko.dependency_providers import Config
from xjkit.nameko.handlers import event_handler

from xjkit.events import Event
from xjkit.nameko.clocks import BusinessClock
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.rpc_proxy import TimedRpcProxy
from xjkit.nameko.store import Store
from xjkit.nameko.telemetry import Telemetry
from xjkit.retry import retry_on_conflict

from filing.adapters.clients import CertCertificates, EmploymentStaff
from filing.adapters.providers import BookletPrinting, NationalPlatformClient
from filing.adapters.repositories import MongoBookletRepository, MongoFilingUnitOfWork, prepare_database
from filing.service_layer import queries, review



# changes of one registration race each other (20 at once in the drills): each try re-reviews on
# the newest state; a short random pause that grows per try spreads them out
SUBMIT_CONFLICT_ATTEMPTS = 40


class FilingService:
    name = "filing"

    telemetry = Telemetry()  # metrics, request context, logs

    store = Store(outbox_collections=("registrations",), prepare=prepare_database)
    config = Config()
    national = NationalPlatformClient()
    printer = BookletPrinting()
    employment = TimedRpcProxy("employment")
    cert = TimedRpcProxy("cert")
    identity = TimedRpcProxy("identity")
    clock = BusinessClock()

    def _uow(self):
        return MongoFilingUnitOfWork(self.store.db)

    def _review_ports(self):
        return review.ReviewPorts(self._uow(), self.national, EmploymentStaff(self.employment),
                                  CertCertificates(self.cert), self.clock)

    @rpc
    def ping(self):
        return ping_report(self.name, self.store, self.telemetry)

    @rpc
    def submit(self, enterprise_uscc, enterprise_name, enterprise_type, business, data, submitted_by=None,
               idempotency_key=None, request_fingerprint=None):
        return self.store.run_once(
            f"{enterprise_uscc}:submit", idempotency_key, request_fingerprint,
            # a concurrent change of the same registration: review again on the new state (the
            # conflict comes from the registration's write, before the case is stored)
            lambda: retry_on_conflict(lambda: review.submit(
                self._review_ports(), enterprise_uscc, enterprise_name, enterprise_type, business, data,
                submitted_by), attempts=SUBMIT_CONFLICT_ATTEMPTS))

    @rpc
    def list_cases(self, enterprise_uscc, business=None, status=None, page=1, per_page=20):
        return queries.list_cases(self._uow(), enterprise_uscc, business, status, page, per_page)

    @rpc
    def get_case(self, enterprise_uscc, case_id):
        return queries.get_case(self._uow(), enterprise_uscc, case_id)

    @rpc
    def registrations(self, enterprise_uscc):
        return queries.registrations_of(self._uow(), self.clock, enterprise_uscc)

    @rpc
    def qualifications(self, enterprise_uscc, enterprise_type):
        return queries.qualifications_of(self.national, self.clock, enterprise_uscc, enterprise_type)

    @rpc
    def booklet(self, enterprise_uscc, enterprise_type):
        """The current registration as a PDF (base64), its number recorded for verification."""
        booklet_no, pdf = queries.print_booklet(self._uow(), MongoBookletRepository(self.store.db),
                                                self.printer, self.clock, enterprise_uscc, enterprise_type)
        return {"booklet_no": booklet_no, "pdf_b64": base64.b64encode(pdf).decode("ascii")}

    @rpc
    def public_registrations(self, page=1, per_page=200):
        return queries.public_registrations(self._uow(), page, per_page)

    def _remove(self, event_data, why):
        # a write conflict raises: the handler policy runs it again (a redelivery finds nothing
        # left to remove where it already succeeded)
        payload = Event.from_dict(event_data).payload
        if payload.get("was_filed"):
            review.remove_from_filings(self._uow(), self.clock, payload["enterprise_uscc"],
                                       payload["certificate_id"], why)

    @event_handler("cert", "certificate_detached")
    def on_certificate_detached(self, event_data):
        self._remove(event_data, "certificate_detached")

    @event_handler("cert", "certificate_expired")
    def on_certificate_expired(self, event_data):
        self._remove(event_data, "certificate_expired")
