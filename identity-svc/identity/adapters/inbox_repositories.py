"""MongoDB repositories of the inbox and of enterprise CA accounts and login challenges."""
from xjkit.mongo.repository import DuplicateKey, IndexSpec, VersionedRepository

from identity.adapters.repositories import _from_document, _sync, _to_document
from identity.domain.enterprise import EnterpriseAccount, LoginChallenge
from identity.domain.message import InboxMessage
from identity.service_layer import ports


class MongoMessageRepository(VersionedRepository, ports.MessageRepository):
    collection_name = "inbox"
    indexes = (IndexSpec(keys=(("person_id", 1), ("created_at", -1))),)

    def add_once(self, message):
        try:
            _sync(message, self.insert(_to_document(message, "message_id")))
            return True
        except DuplicateKey:
            return False

    def get(self, message_id):
        return _from_document(InboxMessage, "message_id", super().get(message_id))

    def save(self, message):
        _sync(message, self.replace(_to_document(message, "message_id")))

    def page_for(self, person_id, page, per_page):
        found = self.page({"person_id": person_id}, page=page, per_page=per_page,
                          sort=(("created_at", -1), ("_id", 1)))
        return [_from_document(InboxMessage, "message_id", d) for d in found.items], found.total


class MongoEnterpriseAccountRepository(VersionedRepository, ports.EnterpriseAccountRepository):
    collection_name = "enterprise_accounts"

    def get(self, uscc):
        return _from_document(EnterpriseAccount, "uscc", super().get(uscc))

    def add(self, account, events=()):
        _sync(account, self.insert(_to_document(account, "uscc"), events))

    def save(self, account, events=()):
        _sync(account, self.replace(_to_document(account, "uscc"), events))


class MongoChallengeRepository(VersionedRepository, ports.ChallengeRepository):
    collection_name = "login_challenges"
    # challenges live five minutes; the store forgets them a day later
    indexes = (IndexSpec(keys=(("expires_at", 1),), expire_after_seconds=24 * 3600),)

    def add(self, challenge):
        _sync(challenge, self.insert(_to_document(challenge, "challenge_id")))

    def consume(self, challenge_id):
        # open → used in one conditional write: of two concurrent logins only one gets it
        document = self.update_fields(challenge_id, set_fields={"status": "used"}, where={"status": "open"})
        return _from_document(LoginChallenge, "challenge_id", document)
