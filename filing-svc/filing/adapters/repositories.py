"""MongoDB repositories of filing-svc: registrations (one per enterprise and type), cases (办件,
written once, never changed) and the booklets that were printed."""
from xjkit.mongo.entities import entity_from_document, entity_to_document, remember_write
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from filing.domain.case import Case
from filing.domain.registration import Registration
from filing.service_layer import ports

class MongoRegistrationRepository(VersionedRepository, ports.RegistrationRepository):
    collection_name = "registrations"
    indexes = (IndexSpec(keys=(("uscc", 1), ("enterprise_type", 1)), unique=True),
               # a booklet number names exactly one registration (xjkit.booklets)
               IndexSpec(keys=(("booklet_no", 1),), unique=True, sparse=True))

    def get(self, uscc, enterprise_type):
        return entity_from_document(Registration, super().get(f"{uscc}:{enterprise_type}"))

    def of_enterprise(self, uscc):
        return [entity_from_document(Registration, d) for d in self.find({"uscc": uscc}, sort=(("enterprise_type", 1),))]

    def page_all(self, page, per_page):
        found = self.page({}, page=page, per_page=per_page, sort=(("_id", 1),))
        return [entity_from_document(Registration, d) for d in found.items], found.total

    def add(self, registration, events=()):
        remember_write(registration, self.insert(entity_to_document(registration, document_id=registration.registration_id), events))

    def save(self, registration, events=()):
        remember_write(registration, self.replace(entity_to_document(registration, document_id=registration.registration_id), events))


class MongoCaseRepository(VersionedRepository, ports.CaseRepository):
    collection_name = "cases"
    indexes = (IndexSpec(keys=(("uscc", 1), ("submitted_at", -1))),
               IndexSpec(keys=(("uscc", 1), ("business", 1), ("status", 1))))

    def add(self, case):
        remember_write(case, self.insert(entity_to_document(case, "case_id")))

    def get(self, case_id):
        document = super().get(case_id)
        return entity_from_document(Case, document, "case_id")

    def page_for(self, uscc, business, status, page, per_page):
        query = {"uscc": uscc}
        if business:
            query["business"] = business
        if status:
            query["status"] = status
        found = self.page(query, page=page, per_page=per_page, sort=(("submitted_at", -1), ("_id", 1)))
        return [entity_from_document(Case, d, "case_id") for d in found.items], found.total


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
