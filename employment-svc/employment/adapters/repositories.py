"""MongoDB repository of employments.

Two rules live in the store as unique keys that exist only in one state (nx-27017 ignores
``partialFilterExpression``, so a sparse index on a field present only then does the job):
``active_person`` (the person id, only while active) and ``pending_key`` (enterprise + person,
only while pending).
"""
from xjkit.mongo.entities import entity_from_document, entity_to_document, remember_write
from xjkit.mongo.repository import IndexSpec, VersionedRepository

from employment.domain import employment as states
from employment.domain.employment import Employment
from employment.service_layer import ports

def to_document(employment):
    document = entity_to_document(employment, "employment_id")
    if employment.status == states.ACTIVE:
        document["active_person"] = employment.person_id
    if employment.status == states.PENDING:
        document["pending_key"] = f"{employment.enterprise_uscc}:{employment.person_id}"
    return document


def from_document(document):
    return entity_from_document(Employment, document, "employment_id")


class MongoEmploymentRepository(VersionedRepository, ports.EmploymentRepository):
    collection_name = "employments"
    indexes = (
        IndexSpec(keys=(("active_person", 1),), unique=True, sparse=True),
        IndexSpec(keys=(("pending_key", 1),), unique=True, sparse=True),
        IndexSpec(keys=(("enterprise_uscc", 1), ("status", 1), ("created_at", -1))),
        IndexSpec(keys=(("person_id", 1), ("status", 1))),
        IndexSpec(keys=(("status", 1), ("contract_end", 1))),
    )

    def get(self, employment_id):
        return from_document(super().get(employment_id))

    def add(self, employment, events=()):
        remember_write(employment, self.insert(to_document(employment), events))

    def save(self, employment, events=()):
        remember_write(employment, self.replace(to_document(employment), events))

    def active_of(self, person_id):
        return from_document(self.find_one({"active_person": person_id}))

    def pending_of(self, person_id):
        return [from_document(d) for d in self.find({"person_id": person_id, "status": states.PENDING})]

    def page_for_enterprise(self, uscc, status, page, per_page):
        query = {"enterprise_uscc": uscc}
        if status:
            query["status"] = status
        found = self.page(query, page=page, per_page=per_page, sort=(("created_at", -1), ("_id", 1)))
        return [from_document(d) for d in found.items], found.total

    def all_for_person(self, person_id):
        return [from_document(d) for d in self.find({"person_id": person_id}, sort=(("created_at", -1), ("_id", 1)))]

    def active_at(self, uscc):
        return [from_document(d) for d in self.find({"enterprise_uscc": uscc, "status": states.ACTIVE},
                                                     sort=(("person_name", 1), ("_id", 1)))]

    def active_ending_before(self, day_iso, limit):
        return [from_document(d) for d in self.find(
            {"status": states.ACTIVE, "contract_end": {"$lt": day_iso}}, sort=(("contract_end", 1),), limit=limit)]


def prepare_database(database):
    MongoEmploymentRepository(database).ensure_indexes()
