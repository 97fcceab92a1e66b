"""MongoDB repository of employments, and the unit of work the use cases write them through.

Two rules live in the store as unique keys that exist only in one state (nx-27017 ignores
``partialFilterExpression``, so a sparse index on a field present only then does the job):
``active_person`` (the person id, only while active) and ``pending_key`` (enterprise + person,
only while pending).
"""
from xjkit.mongo.entities import MongoAggregateRepository, entity_to_document
from xjkit.mongo.repository import IndexSpec, VersionedRepository

from employment.adapters.file_store import prepare_files
from employment.adapters.lookup_audit import MongoLookupAudit
from employment.domain import employment as states
from employment.domain.employment import Employment
from employment.service_layer import ports


def active_person(employment):
    """The ``active_person`` key: the person id while active, else None (no key)."""
    return employment.person_id if employment.status == states.ACTIVE else None


def pending_key(employment):
    """The ``pending_key`` key: enterprise + person while pending, else None (no key)."""
    return f"{employment.enterprise_uscc}:{employment.person_id}" if employment.status == states.PENDING else None


class MongoEmploymentRepository(MongoAggregateRepository, VersionedRepository, ports.EmploymentRepository):
    collection_name = "employments"
    entity_type, id_field = Employment, "employment_id"
    indexes = (
        IndexSpec(keys=(("active_person", 1),), unique=True, sparse=True),
        IndexSpec(keys=(("pending_key", 1),), unique=True, sparse=True),
        IndexSpec(keys=(("enterprise_uscc", 1), ("status", 1), ("created_at", -1))),
        IndexSpec(keys=(("person_id", 1), ("status", 1))),
        IndexSpec(keys=(("status", 1), ("contract_end", 1))),
    )

    def to_document(self, employment):
        document = entity_to_document(employment, "employment_id")
        for name, key_of in (("active_person", active_person), ("pending_key", pending_key)):
            key = key_of(employment)
            if key is not None:
                document[name] = key
        return document

    def active_of(self, person_id):
        return self.entity(self.find_one({"active_person": person_id}))

    def pending_of(self, person_id):
        return self.entities(self.find({"person_id": person_id, "status": states.PENDING}))

    def page_for_enterprise(self, uscc, status, page, per_page):
        query = {"enterprise_uscc": uscc}
        if status:
            query["status"] = status
        found = self.page(query, page=page, per_page=per_page, sort=(("created_at", -1), ("_id", 1)))
        return self.entities(found.items), found.total

    def all_for_person(self, person_id):
        return self.entities(self.find({"person_id": person_id}, sort=(("created_at", -1), ("_id", 1))))

    def active_at(self, uscc):
        return self.entities(self.find({"enterprise_uscc": uscc, "status": states.ACTIVE},
                                       sort=(("person_name", 1), ("_id", 1))))

    def active_ending_before(self, day_iso, limit):
        return self.entities(self.find(
            {"status": states.ACTIVE, "contract_end": {"$lt": day_iso}}, sort=(("contract_end", 1),), limit=limit))


class MongoEmploymentsUnitOfWork(ports.EmploymentsUnitOfWork):
    def __init__(self, database):
        super().__init__(employments=MongoEmploymentRepository(database))


def prepare_database(database):
    """Create the indexes of every collection of employment-svc (idempotent; the Store calls it at
    start): employments, uploaded files and their chunks, the lookup audit log."""
    MongoEmploymentRepository(database).ensure_indexes()
    prepare_files(database)
    MongoLookupAudit(database).ensure_indexes()
