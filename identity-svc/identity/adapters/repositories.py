"""MongoDB repositories of identity-svc (the vetted subset: whole-document writes, version checks)."""
from dataclasses import asdict, fields

from xjkit.mongo.repository import IndexSpec, VersionedRepository

from identity.domain.face_check import FaceCheck
from identity.domain.person import Person
from identity.service_layer import ports

_BOOKKEEPING = ("version", "stored_outbox")


def _to_document(entity, id_field):
    data = asdict(entity)
    document = {key: value for key, value in data.items() if key not in _BOOKKEEPING}
    document["_id"] = document.pop(id_field)
    document["version"] = entity.version
    document["outbox"] = entity.stored_outbox
    return document


def _from_document(entity_type, id_field, document):
    if document is None:
        return None
    names = {f.name for f in fields(entity_type)} - set(_BOOKKEEPING) - {id_field}
    entity = entity_type(**{id_field: document["_id"]}, **{k: document.get(k) for k in names})
    entity.version = document["version"]
    entity.stored_outbox = list(document.get("outbox") or [])
    return entity


def _sync(entity, stored):
    entity.version = stored["version"]
    entity.stored_outbox = stored["outbox"]


class MongoPersonRepository(VersionedRepository, ports.PersonRepository):
    collection_name = "persons"
    indexes = (
        IndexSpec(keys=(("openid", 1),), unique=True),
        # sparse: unverified persons have no id_hash yet
        IndexSpec(keys=(("id_hash", 1),), unique=True, sparse=True),
    )

    def get(self, person_id):
        return _from_document(Person, "person_id", super().get(person_id))

    def get_many(self, person_ids):
        return [_from_document(Person, "person_id", d) for d in self.find({"_id": {"$in": list(person_ids)}})]

    def get_by_openid(self, openid):
        return _from_document(Person, "person_id", self.find_one({"openid": openid}))

    def get_by_id_hash(self, id_hash):
        return _from_document(Person, "person_id", self.find_one({"id_hash": id_hash}))

    def add(self, person, events=()):
        _sync(person, self.insert(self._document(person), events))

    def save(self, person, events=()):
        _sync(person, self.replace(self._document(person), events))

    @staticmethod
    def _document(person):
        document = _to_document(person, "person_id")
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
        return _from_document(FaceCheck, "verify_id", super().get(verify_id))

    def add(self, check):
        _sync(check, self.insert(_to_document(check, "verify_id")))

    def save(self, check):
        _sync(check, self.replace(_to_document(check, "verify_id")))


def prepare_database(database):
    from identity.adapters.inbox_repositories import (
        MongoChallengeRepository, MongoEnterpriseAccountRepository, MongoMessageRepository,
    )
    for repository in (MongoPersonRepository, MongoFaceCheckRepository, MongoMessageRepository,
                       MongoEnterpriseAccountRepository, MongoChallengeRepository):
        repository(database).ensure_indexes()
