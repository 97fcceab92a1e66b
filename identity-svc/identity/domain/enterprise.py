"""An enterprise's CA account: bound to its USCC, so a renewed certificate keeps the account."""
from dataclasses import dataclass, field
from datetime import datetime

from xjkit.aggregate import StoredAggregate


@dataclass
class EnterpriseAccount(StoredAggregate):
    """Created at the enterprise's first login, which records ``identity.enterprise_account_created``."""

    uscc: str
    name: str
    created_at: datetime
    last_login_at: datetime = None
    certificates: list = field(default_factory=list)  # every certificate that logged in: issuer + serial

    @classmethod
    def first_login(cls, certificate, at):
        """The account of an enterprise logging in for the first time, with that certificate."""
        account = cls(uscc=certificate["uscc"], name=certificate["subject_name"], created_at=at)
        account.record_login(certificate, at)
        account.record("identity.enterprise_account_created", {"uscc": account.uscc, "name": account.name}, at)
        return account

    def record_login(self, certificate, at):
        """Remember the certificate (a renewal adds one) and the name it carries now."""
        key = (certificate["issuer"], certificate["serial_hex"])
        known = next((c for c in self.certificates if (c["issuer"], c["serial_hex"]) == key), None)
        if known is None:
            self.certificates.append({**certificate, "first_login_at": at, "last_login_at": at})
        else:
            known["last_login_at"] = at
        if certificate.get("subject_name"):
            self.name = certificate["subject_name"]
        self.last_login_at = at


OPEN = "open"
USED = "used"


@dataclass
class LoginChallenge(StoredAggregate):
    challenge_id: str
    nonce_b64: str
    created_at: datetime
    expires_at: datetime
    status: str = OPEN  # open → used: single use; the version-checked write lets one login spend it

    def spend(self):
        """Mark it used; False when it was used already."""
        if self.status != OPEN:
            return False
        self.status = USED
        return True
