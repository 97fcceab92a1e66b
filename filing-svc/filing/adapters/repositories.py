"""MongoDB repositories of filing-svc: registrations (one per enterprise and type), cases (办件,
written once, never changed) and the booklets that were printed."""
from dataclasses import asdict, fields

from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from filing.domain.case import Case
from filing.domain.registration import Registration
from filing.service_layer import ports

_BOOKKEEPING = ("version", "stored_outbox")


def _document(entity, document_id):
    document = {k: v for k, v in asdict(entity).items() if k not in _BOOKKEEPING}
    document["_id"] = document_id
    document["version"] = entity.version
    document["outbox"] = entity.stored_outbox
    return document


def _entity(entity_type, document):
    if document is None:
        return None
    names = {f.name for f in fields(entity_type)} - set(_BOOKKEEPING)
    entity = entity_type(**{name: document.get(name) for name in names if name in document})
    entity.version = document["version"]
    entity.stored_outbox = list(document.get("outbox") or [])
    return entity


class MongoRegistrationRepository(VersionedRepository, ports.RegistrationRepository):
    collection_name = "registrations"
    indexes = (IndexSpec(keys=(("uscc", 1), ("enterprise_type", 1)), unique=True),)

    def _stored(self, registration, stored):
        registration.version = stored["version"]
        registration.stored_outbox = stored["outbox"]

    def get(self, uscc, enterprise_type):
        return _entity(Registration, super().get(f"{uscc}:{enterprise_type}"))

    def of_enterprise(self, uscc):
        return [_entity(Registration, d) for d in self.find({"uscc": uscc}, sort=(("enterprise_type", 1),))]

    def page_all(self, page, per_page):
        found = self.page({}, page=page, per_page=per_page, sort=(("_id", 1),))
        return [_entity(Registration, d) for d in found.items], found.total

    def add(self, registration, events=()):
        self._stored(registration, self.insert(_document(registration, registration.registration_id), events))

    def save(self, registration, events=()):
        self._stored(registration, self.replace(_document(registration, registration.registration_id), events))


class MongoCaseRepository(VersionedRepository, ports.CaseRepository):
    collection_name = "cases"
    indexes = (IndexSpec(keys=(("uscc", 1), ("submitted_at", -1))),
               IndexSpec(keys=(("uscc", 1), ("business", 1), ("status", 1))))

    def add(self, case):
        stored = self.insert(_document(case, case.case_id))
        case.version = stored["version"]

    def get(self, case_id):
        document = super().get(case_id)
        return None if document is None else _entity(Case, {**document, "case_id": document["_id"]})

    def page_for(self, uscc, business, status, page, per_page):
        query = {"uscc": uscc}
        if business:
            query["business"] = business
        if status:
            query["status"] = status
        found = self.page(query, page=page, per_page=per_page, sort=(("submitted_at", -1), ("_id", 1)))
        return [_entity(Case, {**d, "case_id": d["_id"]}) for d in found.items], found.total


class MongoBookletRepository(VersionedRepository):
    """Every booklet number ever printed, so a printed booklet can be checked for authenticity."""

    collection_name = "booklets"

    def record(self, booklet_no, uscc, enterprise_type, generated_at):
        try:
            self.insert({"_id": booklet_no, "uscc": uscc, "enterprise_type": enterprise_type,
                         "first_generated_at": generated_at})
        except DuplicateKey:
            pass  # printed again: the same number

    def lookup(self, booklet_no):
        return super().get(booklet_no)


def prepare_database(database):
    for repository in (MongoRegistrationRepository, MongoCaseRepository, MongoBookletRepository):
        repository(database).ensure_indexes()
