"""MongoDB repositories of filing-svc: registrations (one per enterprise and type), cases (办件,
written once, never changed) and the booklets that were printed."""
from xjkit.mongo.entities import MongoAggregateRepository, entity_to_document
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from filing.domain.case import Case
from filing.domain.registration import Registration
from filing.service_layer import ports


class MongoRegistrationRepository(MongoAggregateRepository, VersionedRepository, ports.RegistrationRepository):
    collection_name = "registrations"
    entity_type = Registration
    indexes = (IndexSpec(keys=(("uscc", 1), ("enterprise_type", 1)), unique=True),
               # a booklet number names exactly one registration (xjkit.booklets)
               IndexSpec(keys=(("booklet_no", 1),), unique=True, sparse=True))

    def to_document(self, registration):
        # its _id is "<uscc>:<enterprise type>"; both stay in the body for the unique index
        return entity_to_document(registration, document_id=registration.registration_id)

    def get(self, uscc, enterprise_type):
        return super().get(f"{uscc}:{enterprise_type}")

    def of_enterprise(self, uscc):
        return self.entities(self.find({"uscc": uscc}, sort=(("enterprise_type", 1),)))

    def page_all(self, page, per_page):
        found = self.page({}, page=page, per_page=per_page, sort=(("_id", 1),))
        return self.entities(found.items), found.total


class MongoCaseRepository(MongoAggregateRepository, VersionedRepository, ports.CaseRepository):
    collection_name = "cases"
    entity_type, id_field = Case, "case_id"
    indexes = (IndexSpec(keys=(("uscc", 1), ("submitted_at", -1))),
               IndexSpec(keys=(("uscc", 1), ("business", 1), ("status", 1))))

    def page_for(self, uscc, business, status, page, per_page):
        query = {"uscc": uscc}
        if business:
            query["business"] = business
        if status:
            query["status"] = status
        found = self.page(query, page=page, per_page=per_page, sort=(("submitted_at", -1), ("_id", 1)))
        return self.entities(found.items), found.total


class MongoFilingUnitOfWork(ports.FilingUnitOfWork):
    def __init__(self, database):
        super().__init__(registrations=MongoRegistrationRepository(database), cases=MongoCaseRepository(database))


class MongoBookletRepository(VersionedRepository, ports.PrintedBooklets):
    """Every booklet number filing-svc ever printed (its own record; the public check of a printed
    booklet is publicity-svc's, from the registration events)."""

    collection_name = "booklets"

    def record(self, booklet_no, uscc, enterprise_type, generated_at):
        try:
            self.insert({"_id": booklet_no, "uscc": uscc, "enterprise_type": enterprise_type,
                         "first_generated_at": generated_at})
        except DuplicateKey:
            pass  # printed again: the same number


def prepare_database(database):
    for repository in (MongoRegistrationRepository, MongoCaseRepository, MongoBookletRepository):
        repository(database).ensure_indexes()
