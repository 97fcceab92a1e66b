"""A person of the mini-program: bound to one WeChat openid, verified once by name + ID number."""
from dataclasses import dataclass, field
from datetime import datetime

from xjkit.aggregate import StoredAggregate

from identity.domain.errors import AlreadyVerified

UNVERIFIED = "unverified"
VERIFIED = "verified"


@dataclass
class Person(StoredAggregate):
    """Verifying records ``identity.person_verified`` (its payload: the masked ID number only)."""

    person_id: str
    openid: str
    created_at: datetime
    realname_status: str = UNVERIFIED
    name: str = None
    id_card_enc: str = None  # encrypted at rest (xjkit.idvault)
    id_hash: str = None  # keyed hash: the lookup key, unique across persons
    id_card_masked: str = None
    verified_at: datetime = None
    phone: str = None
    education: str = None
    address: str = None
    # one-time WeChat subscribe-message grants the person gave, by template id
    subscribe_grants: dict = field(default_factory=dict)

    @property
    def is_verified(self):
        return self.realname_status == VERIFIED

    def verify(self, name, id_card_enc, id_hash, id_card_masked, at):
        if self.is_verified:
            raise AlreadyVerified()
        self.name = name
        self.id_card_enc = id_card_enc
        self.id_hash = id_hash
        self.id_card_masked = id_card_masked
        self.verified_at = at
        self.realname_status = VERIFIED
        self.record("identity.person_verified",
                    {"person_id": self.person_id, "name": name, "id_card_masked": id_card_masked}, at)

    def update_profile(self, phone, education, address):
        if phone is not None:
            self.phone = phone
        if education is not None:
            self.education = education
        if address is not None:
            self.address = address

    def grant_subscriptions(self, template_ids):
        for template_id in template_ids:
            self.subscribe_grants[template_id] = self.subscribe_grants.get(template_id, 0) + 1

    def use_subscription(self, template_id):
        """Spend one grant for this template; False when the person has none left."""
        left = self.subscribe_grants.get(template_id, 0)
        if left <= 0:
            return False
        self.subscribe_grants[template_id] = left - 1
        return True
