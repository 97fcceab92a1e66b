"""The audit log of person lookups in employment-svc's store: insert-only, kept three years."""
from xjkit.mongo.repository import IndexSpec, VersionedRepository

from employment.service_layer import ports

RETENTION_SECONDS = 3 * 366 * 24 * 3600  # by the wall clock (``at``), as every TTL
FIELDS = ("lookup_id", "enterprise_uscc", "id_card_masked", "person_id", "found", "at")


class MongoLookupAudit(VersionedRepository, ports.LookupAudit):
    collection_name = "person_lookups"
    indexes = (
        IndexSpec(keys=(("enterprise_uscc", 1), ("at", -1))),
        IndexSpec(keys=(("person_id", 1), ("at", -1))),
        IndexSpec(keys=(("at", 1),), expire_after_seconds=RETENTION_SECONDS),
    )

    def record(self, entry):
        self.insert({"_id": entry["lookup_id"], **entry})

    def page(self, enterprise_uscc, person_id, since, until, page, per_page):
        query = {}
        if enterprise_uscc:
            query["enterprise_uscc"] = enterprise_uscc
        if person_id:
            query["person_id"] = person_id
        if since or until:
            query["at"] = {**({"$gte": since} if since else {}), **({"$lt": until} if until else {})}
        found = super().page(query, page=page, per_page=per_page, sort=(("at", -1), ("_id", 1)))
        return [{name: document.get(name) for name in FIELDS} for document in found.items], found.total
