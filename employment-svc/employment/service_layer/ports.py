"""What the employment use cases need; adapters implement these, unit tests fake them."""
from abc import ABC, abstractmethod

from xjkit.unit_of_work import AggregateRepository, UnitOfWork


class EmploymentRepository(AggregateRepository):
    """Employments it hands out are seen by its unit of work; ``add`` a new offer, and the commit
    stores it. The commit raises DuplicateKey when the enterprise already has a pending offer to
    the person, or the person already has an active employment."""

    @abstractmethod
    def get(self, employment_id):
        """The Employment, or None."""

    @abstractmethod
    def active_of(self, person_id):
        """The person's active Employment, or None."""

    @abstractmethod
    def pending_of(self, person_id):
        """The person's pending offers."""

    @abstractmethod
    def page_for_enterprise(self, uscc, status, page, per_page):
        """(employments newest first, total); ``status`` None means every status."""

    @abstractmethod
    def all_for_person(self, person_id):
        """Every employment of the person, newest first."""

    @abstractmethod
    def active_at(self, uscc):
        """Every active employment of the enterprise."""

    @abstractmethod
    def active_ending_before(self, day_iso, limit):
        """Active employments whose contract ended before ``day_iso``."""


class EmploymentsUnitOfWork(UnitOfWork):
    """What a use case changes employments through: ``with uow: … uow.commit()``."""

    employments: EmploymentRepository


class PersonDirectory(ABC):
    """identity-svc, as seen from here."""

    @abstractmethod
    def lookup_by_id_card(self, id_card_no):
        """{person_id, name, id_card_masked, realname_status}, or raise PersonNotFound."""


class LookupAudit(ABC):
    """Every person lookup an enterprise made (who, when, which masked ID), kept for regulators."""

    @abstractmethod
    def record(self, entry):
        """Append one entry: {lookup_id, enterprise_uscc, id_card_masked, person_id, found, at}."""

    @abstractmethod
    def page(self, enterprise_uscc, person_id, since, until, page, per_page):
        """(entries newest first, total), each filter optional; ``since``/``until`` aware datetimes."""


class FaceTickets(ABC):
    @abstractmethod
    def consume(self, person_id, verify_id, purpose, target_id):
        """Consume the person's face ticket for this action, or raise identity's refusal."""


class ContractFiles(ABC):
    @abstractmethod
    def owned_by(self, uscc, file_id):
        """True when the enterprise uploaded this file."""
