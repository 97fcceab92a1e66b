"""An enterprise's CA account: bound to its USCC, so a renewed certificate keeps the account."""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class EnterpriseAccount:
    uscc: str
    name: str
    created_at: datetime
    last_login_at: datetime = None
    certificates: list = field(default_factory=list)  # every certificate that logged in: issuer + serial
    version: int = 0
    stored_outbox: list = field(default_factory=list, repr=False)

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


@dataclass
class LoginChallenge:
    challenge_id: str
    nonce_b64: str
    created_at: datetime
    expires_at: datetime
    status: str = "open"  # open → used: single use, set atomically by the repository
    version: int = 0
    stored_outbox: list = field(default_factory=list, repr=False)
