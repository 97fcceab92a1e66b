"""MongoDB repositories of the inbox, enterprise CA accounts, login challenges and login sessions."""
from xjkit.mongo.entities import entity_from_document, entity_to_document, remember_write
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from identity.domain.enterprise import EnterpriseAccount, LoginChallenge
from identity.domain.message import InboxMessage
from identity.domain.session import Session
from identity.service_layer import ports


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
