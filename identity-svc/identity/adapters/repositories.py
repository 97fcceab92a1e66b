"""MongoDB repositories of identity-svc (the vetted subset: whole-document writes, version checks)."""
from xjkit.mongo.entities import entity_from_document, entity_to_document, remember_write
from xjkit.mongo.repository import IndexSpec, VersionedRepository

from identity.domain.face_check import FaceCheck
from identity.domain.person import Person
from identity.service_layer import ports

class MongoPersonRepository(VersionedRepository, ports.PersonRepository):
    collection_name = "persons"
    indexes = (
        IndexSpec(keys=(("openid", 1),), unique=True),
        # sparse: unverified persons have no id_hash yet
        IndexSpec(keys=(("id_hash", 1),), unique=True, sparse=True),
    )

    def get(self, person_id):
        return entity_from_document(Person, super().get(person_id), "person_id")

    def get_many(self, person_ids):
        found = self.find({"_id": {"$in": list(person_ids)}})
        return [entity_from_document(Person, document, "person_id") for document in found]

    def get_by_openid(self, openid):
        return entity_from_document(Person, self.find_one({"openid": openid}), "person_id")

    def get_by_id_hash(self, id_hash):
        return entity_from_document(Person, self.find_one({"id_hash": id_hash}), "person_id")

    def add(self, person, events=()):
        remember_write(person, self.insert(self._document(person), events))

    def save(self, person, events=()):
        remember_write(person, self.replace(self._document(person), events))

    @staticmethod
    def _document(person):
        document = entity_to_document(person, "person_id")
        if person.id_hash is None:
            del document["id_hash"]  # absent, not null, so the sparse unique index skips it
        return document


class MongoFaceCheckRepository(VersionedRepository, ports.FaceCheckRepository):
    collection_name = "face_checks"
    indexes = (
        IndexSpec(keys=(("person_id", 1), ("created_at", -1))),
        # WeChat forgets a verify_id after an hour; keep ours a day for support questions
        IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=24 * 3600),
    )

    def get(self, verify_id):
        return entity_from_document(FaceCheck, super().get(verify_id), "verify_id")

    def add(self, check):
        remember_write(check, self.insert(entity_to_document(check, "verify_id")))

    def save(self, check):
        remember_write(check, self.replace(entity_to_document(check, "verify_id")))


def prepare_database(database):
    from identity.adapters.inbox_repositories import (
        MongoChallengeRepository, MongoEnterpriseAccountRepository, MongoMessageRepository, MongoSessionRepository,
    )
    for repository in (MongoPersonRepository, MongoFaceCheckRepository, MongoMessageRepository,
                       MongoEnterpriseAccountRepository, MongoChallengeRepository, MongoSessionRepository):
        repository(database).ensure_indexes()
