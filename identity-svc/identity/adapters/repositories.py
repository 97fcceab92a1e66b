"""MongoDB repositories of identity-svc (the vetted subset: whole-document writes, version checks),
and the unit of work that holds them: the commit writes each changed aggregate with its events."""
from xjkit.mongo.entities import MongoAggregateRepository, entity_to_document
from xjkit.mongo.repository import IndexSpec, VersionedRepository

from identity.domain.enterprise import EnterpriseAccount, LoginChallenge
from identity.domain.face_check import FaceCheck
from identity.domain.message import InboxMessage
from identity.domain.person import Person
from identity.domain.session import Session
from identity.service_layer import ports


class MongoPersonRepository(MongoAggregateRepository, VersionedRepository, ports.PersonRepository):
    collection_name = "persons"
    entity_type, id_field = Person, "person_id"
    indexes = (
        IndexSpec(keys=(("openid", 1),), unique=True),
        # sparse: unverified persons have no id_hash yet
        IndexSpec(keys=(("id_hash", 1),), unique=True, sparse=True),
    )

    def to_document(self, person):
        document = entity_to_document(person, "person_id")
        if person.id_hash is None:
            del document["id_hash"]  # absent, not null, so the sparse unique index skips it
        return document

    def get_many(self, person_ids):
        return self.entities(self.find({"_id": {"$in": list(person_ids)}}))

    def get_by_openid(self, openid):
        return self.entity(self.find_one({"openid": openid}))

    def get_by_id_hash(self, id_hash):
        return self.entity(self.find_one({"id_hash": id_hash}))


class MongoFaceCheckRepository(MongoAggregateRepository, VersionedRepository, ports.FaceCheckRepository):
    collection_name = "face_checks"
    entity_type, id_field = FaceCheck, "verify_id"
    indexes = (
        IndexSpec(keys=(("person_id", 1), ("created_at", -1))),
        # WeChat forgets a verify_id after an hour; keep ours a day for support questions
        IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=24 * 3600),
    )


class MongoMessageRepository(MongoAggregateRepository, VersionedRepository, ports.MessageRepository):
    collection_name = "inbox"
    entity_type, id_field = InboxMessage, "message_id"
    indexes = (IndexSpec(keys=(("person_id", 1), ("created_at", -1))),)

    def page_for(self, person_id, page, per_page):
        found = self.page({"person_id": person_id}, page=page, per_page=per_page,
                          sort=(("created_at", -1), ("_id", 1)))
        return self.entities(found.items), found.total


class MongoEnterpriseAccountRepository(MongoAggregateRepository, VersionedRepository,
                                       ports.EnterpriseAccountRepository):
    collection_name = "enterprise_accounts"
    entity_type, id_field = EnterpriseAccount, "uscc"


class MongoChallengeRepository(MongoAggregateRepository, VersionedRepository, ports.ChallengeRepository):
    collection_name = "login_challenges"
    entity_type, id_field = LoginChallenge, "challenge_id"
    # challenges live five minutes; the store forgets them a day later
    indexes = (IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=24 * 3600),)


class MongoSessionRepository(MongoAggregateRepository, VersionedRepository, ports.SessionRepository):
    collection_name = "sessions"
    entity_type, id_field = Session, "session_id"
    indexes = (
        IndexSpec(keys=(("status", 1), ("role", 1), ("expires_at", 1))),
        # expires_at is the absolute end (wall clock); the record stays a week for support questions
        IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=7 * 24 * 3600),
    )

    def active_with_certificates(self, now):
        return self.entities(self.find({"status": "active", "role": "enterprise", "expires_at": {"$gt": now}}))


class MongoIdentityUnitOfWork(ports.IdentityUnitOfWork):
    def __init__(self, database):
        super().__init__(
            persons=MongoPersonRepository(database), face_checks=MongoFaceCheckRepository(database),
            messages=MongoMessageRepository(database), challenges=MongoChallengeRepository(database),
            accounts=MongoEnterpriseAccountRepository(database), sessions=MongoSessionRepository(database))


def prepare_database(database):
    for repository in (MongoPersonRepository, MongoFaceCheckRepository, MongoMessageRepository,
                       MongoEnterpriseAccountRepository, MongoChallengeRepository, MongoSessionRepository):
        repository(database).ensure_indexes()
