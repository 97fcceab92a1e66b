"""MongoDB repository of certificates: one document per certificate and enterprise, unique by
(enterprise, kind, certificate number), so a re-sync updates in place and nothing is duplicated."""
from xjkit.mongo.entities import MongoAggregateRepository, entity_to_document
from xjkit.mongo.repository import IndexSpec, VersionedRepository

from certs.domain import certificate as kinds
from certs.domain.certificate import Certificate
from certs.service_layer import ports

def certificate_key(enterprise_uscc, kind, cert_no):
    return f"{enterprise_uscc}:{kind}:{cert_no}"


class MongoCertificateRepository(MongoAggregateRepository, VersionedRepository, ports.CertificateRepository):
    collection_name = "certificates"
    entity_type, id_field = Certificate, "certificate_id"
    indexes = (
        IndexSpec(keys=(("certificate_key", 1),), unique=True),
        IndexSpec(keys=(("enterprise_uscc", 1), ("kind", 1), ("person_id", 1))),
        IndexSpec(keys=(("person_id", 1), ("enterprise_uscc", 1))),
        IndexSpec(keys=(("status", 1), ("valid_until", 1))),
    )

    def to_document(self, certificate):
        document = entity_to_document(certificate, "certificate_id")
        document["certificate_key"] = certificate_key(certificate.enterprise_uscc, certificate.kind,
                                                      certificate.cert_no)
        return document

    def find_by_key(self, enterprise_uscc, kind, cert_no):
        return self.entity(self.find_one({"certificate_key": certificate_key(enterprise_uscc, kind, cert_no)}))

    def page_for_enterprise(self, enterprise_uscc, kind, person_id, page, per_page):
        query = {"enterprise_uscc": enterprise_uscc}
        if kind:
            query["kind"] = kind
        if person_id:
            query["person_id"] = person_id
        found = self.page(query, page=page, per_page=per_page, sort=(("person_name", 1), ("kind", 1), ("_id", 1)))
        return self.entities(found.items), found.total

    def of_person(self, person_id):
        return self.entities(self.find({"person_id": person_id}, sort=(("created_at", -1), ("_id", 1))))

    def of_person_at(self, enterprise_uscc, person_id):
        return self.entities(self.find({"enterprise_uscc": enterprise_uscc, "person_id": person_id}))

    def expiring(self, day_iso, limit):
        return self.entities(self.find(
            {"status": {"$in": [kinds.VALID, kinds.CONFIRMED]}, "valid_until": {"$lt": day_iso}}, limit=limit))


class MongoCertificatesUnitOfWork(ports.CertificatesUnitOfWork):
    def __init__(self, database):
        super().__init__(certificates=MongoCertificateRepository(database))


def prepare_database(database):
    MongoCertificateRepository(database).ensure_indexes()
