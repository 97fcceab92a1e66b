"""What the filing use cases need; adapters implement these, unit tests fake them."""
from abc import ABC, abstractmethod

from xjkit.unit_of_work import AggregateRepository, UnitOfWork


class RegistrationRepository(AggregateRepository):
    """Registrations it hands out are seen by its unit of work; ``add`` a new one, and the commit
    stores it (``DuplicateKey`` when it exists: a concurrent first filing)."""

    @abstractmethod
    def get(self, uscc, enterprise_type):
        """The Registration, or None."""

    @abstractmethod
    def of_enterprise(self, uscc):
        """Every registration of the enterprise, by enterprise type."""

    @abstractmethod
    def page_all(self, page, per_page):
        """(registrations of every enterprise, total), page by page."""


class CaseRepository(AggregateRepository):
    """Cases are added once, reviewed, and never changed afterwards."""

    @abstractmethod
    def get(self, case_id):
        """The Case, or None."""

    @abstractmethod
    def page_for(self, uscc, business, status, page, per_page):
        """(cases newest first, total)."""


class FilingUnitOfWork(UnitOfWork):
    """What a use case changes registrations and cases through: ``with uow: … uow.commit()``."""

    registrations: RegistrationRepository
    cases: CaseRepository


class NationalPlatform(ABC):
    @abstractmethod
    def enterprise(self, uscc):
        """The national record of the enterprise (with its qualifications), or None when unknown;
        raise NationalPlatformUnavailable when the platform is down."""


class Staff(ABC):
    @abstractmethod
    def active_staff(self, uscc):
        """[{person_id, person_name, id_card_masked}] actively employed by the enterprise."""

    @abstractmethod
    def staff_and_files(self, uscc, file_ids):
        """(active_staff(uscc), the set of those file_ids the enterprise uploaded): what a review
        needs from employment-svc, in one call."""


class Certificates(ABC):
    @abstractmethod
    def of_enterprise(self, uscc, certificate_ids):
        """{certificate_id: certificate view} of those that are the enterprise's."""

    @abstractmethod
    def of_person_registered(self, uscc, person_id):
        """The registered certificates (注册证书) the person holds at the enterprise."""


class BookletPrinter(ABC):
    @abstractmethod
    def render(self, registration, booklet_no, generated_at):
        """The booklet of a registration view as PDF bytes, with its number and the QR code of
        its public verification page."""


class PrintedBooklets(ABC):
    @abstractmethod
    def record(self, booklet_no, uscc, enterprise_type, generated_at):
        """Remember that this number was printed (printing it again changes nothing)."""
