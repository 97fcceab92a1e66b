"""MongoDB repositories of identity-svc (the vetted subset: whole-document writes, version checks)."""
from xjkit.mongo.entities import entity_from_document, entity_to_document, remember_write
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from identity.domain.enterprise import EnterpriseAccount, LoginChallenge
from identity.domain.face_check import FaceCheck
from identity.domain.message import InboxMessage
from identity.domain.person import Person
from identity.domain.session import Session
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


class MongoMessageRepository(VersionedRepository, ports.MessageRepository):
    collection_name = "inbox"
    indexes = (IndexSpec(keys=(("person_id", 1), ("created_at", -1))),)

    def add_once(self, message):
        try:
            remember_write(message, self.insert(entity_to_document(message, "message_id")))
            return True
        except DuplicateKey:
            return False

    def get(self, message_id):
        return entity_from_document(InboxMessage, super().get(message_id), "message_id")

    def save(self, message):
        remember_write(message, self.replace(entity_to_document(message, "message_id")))

    def page_for(self, person_id, page, per_page):
        found = self.page({"person_id": person_id}, page=page, per_page=per_page,
                          sort=(("created_at", -1), ("_id", 1)))
        return [entity_from_document(InboxMessage, d, "message_id") for d in found.items], found.total


class MongoEnterpriseAccountRepository(VersionedRepository, ports.EnterpriseAccountRepository):
    collection_name = "enterprise_accounts"

    def get(self, uscc):
        return entity_from_document(EnterpriseAccount, super().get(uscc), "uscc")

    def add(self, account, events=()):
        remember_write(account, self.insert(entity_to_document(account, "uscc"), events))

    def save(self, account, events=()):
        remember_write(account, self.replace(entity_to_document(account, "uscc"), events))


class MongoChallengeRepository(VersionedRepository, ports.ChallengeRepository):
    collection_name = "login_challenges"
    # challenges live five minutes; the store forgets them a day later
    indexes = (IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=24 * 3600),)

    def add(self, challenge):
        remember_write(challenge, self.insert(entity_to_document(challenge, "challenge_id")))

    def consume(self, challenge_id):
        # open → used in one conditional write: of two concurrent logins only one gets it
        document = self.update_fields(challenge_id, set_fields={"status": "used"}, where={"status": "open"})
        return entity_from_document(LoginChallenge, document, "challenge_id")


class MongoSessionRepository(VersionedRepository, ports.SessionRepository):
    collection_name = "sessions"
    indexes = (
        IndexSpec(keys=(("status", 1), ("role", 1), ("expires_at", 1))),
        # expires_at is the absolute end (wall clock); the record stays a week for support questions
        IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=7 * 24 * 3600),
    )

    def get(self, session_id):
        return entity_from_document(Session, super().get(session_id), "session_id")

    def add(self, session):
        remember_write(session, self.insert(entity_to_document(session, "session_id")))

    def save(self, session):
        remember_write(session, self.replace(entity_to_document(session, "session_id")))

    def active_with_certificates(self, now):
        found = self.find({"status": "active", "role": "enterprise", "expires_at": {"$gt": now}})
        return [entity_from_document(Session, document, "session_id") for document in found]


def prepare_database(database):
    for repository in (MongoPersonRepository, MongoFaceCheckRepository, MongoMessageRepository,
                       MongoEnterpriseAccountRepository, MongoChallengeRepository, MongoSessionRepository):
        repository(database).ensure_indexes()
