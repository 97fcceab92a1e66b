"""What the certificate use cases need; adapters implement these, unit tests fake them."""
from abc import ABC, abstractmethod

from xjkit.unit_of_work import AggregateRepository, UnitOfWork


class CertificateRepository(AggregateRepository):
    """Certificates it hands out are seen by its unit of work; ``add`` a new one, and the commit
    stores it (``DuplicateKey`` when the enterprise already has that kind + number)."""

    @abstractmethod
    def get(self, certificate_id):
        """The Certificate, or None."""

    @abstractmethod
    def find_by_key(self, enterprise_uscc, kind, cert_no):
        """The enterprise's certificate of this kind and number, or None."""

    @abstractmethod
    def page_for_enterprise(self, enterprise_uscc, kind, person_id, page, per_page):
        """(certificates, total) of the enterprise, optionally of one kind and person."""

    @abstractmethod
    def of_person(self, person_id):
        """Every certificate of the person, at any enterprise."""

    @abstractmethod
    def of_person_at(self, enterprise_uscc, person_id):
        """The person's certificates at this enterprise."""

    @abstractmethod
    def expiring(self, day_iso, limit):
        """Valid or confirmed certificates whose validity ended before ``day_iso``."""


class CertificatesUnitOfWork(UnitOfWork):
    """What a use case changes certificates through: ``with uow: … uow.commit()``."""

    certificates: CertificateRepository


class Staff(ABC):
    """employment-svc, as seen from here."""

    @abstractmethod
    def active_staff(self, enterprise_uscc):
        """[{person_id, person_name, id_card_masked}] actively employed by the enterprise."""

    @abstractmethod
    def current_employment(self, person_id):
        """The person's active employment {enterprise_uscc, enterprise_name, …}, or None."""


class PersonFiles(ABC):
    """employment-svc's file store, as seen from here: whose upload a file is."""

    @abstractmethod
    def owned_by_person(self, person_id, file_id):
        """True when ``file_id`` is an upload of this person (a photo of a certificate)."""


class IdentityNumbers(ABC):
    """identity-svc: full ID numbers of persons, only to query the national platform."""

    @abstractmethod
    def id_cards_of(self, person_ids):
        """{person_id: id_card_no} for the verified ones among ``person_ids``."""


class NationalPlatform(ABC):
    @abstractmethod
    def registered_certificates(self, id_card_no):
        """The person's registered certificates, one row per speciality, as the platform sends them;
        raise NationalPlatformUnavailable when it is down or too slow."""
