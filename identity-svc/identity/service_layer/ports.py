"""What the use cases need from the outside world; adapters implement these, unit tests fake them."""
from abc import ABC, abstractmethod


class PersonRepository(ABC):
    @abstractmethod
    def get(self, person_id):
        """The Person, or None."""

    @abstractmethod
    def get_many(self, person_ids):
        """The Persons among these ids (unknown ids are left out)."""

    @abstractmethod
    def get_by_openid(self, openid):
        """The Person bound to this WeChat openid, or None."""

    @abstractmethod
    def get_by_id_hash(self, id_hash):
        """The Person verified with this ID number (by keyed hash), or None."""

    @abstractmethod
    def add(self, person, events=()):
        """Store a new person; raises xjkit DuplicateKey when the openid is already bound."""

    @abstractmethod
    def save(self, person, events=()):
        """Store changes; raises ConcurrencyConflict if it changed meanwhile, DuplicateKey on a
        unique clash (an ID number verified by another person)."""


class FaceCheckRepository(ABC):
    @abstractmethod
    def get(self, verify_id):
        """The FaceCheck, or None."""

    @abstractmethod
    def add(self, check):
        """Store a new face check."""

    @abstractmethod
    def save(self, check):
        """Store changes with a version check (a check is consumed once, even under races)."""


class WeChatLogin(ABC):
    @abstractmethod
    def openid_for_code(self, code):
        """code2session: the openid, or raise WeChatCodeInvalid / WeChatUnavailable."""


class FaceVerifier(ABC):
    @abstractmethod
    def start(self, openid, out_seq_no, cert_name, cert_no):
        """getverifyid: returns (verify_id, expires_in_seconds)."""

    @abstractmethod
    def result(self, verify_id, out_seq_no, openid, cert_name, cert_no):
        """queryverifyinfo: returns verify_ret (int), or None when WeChat refused to answer
        (errcode != 0: the check does not belong to this identity)."""


class MessageRepository(ABC):
    @abstractmethod
    def add_once(self, message):
        """Store the message; False when one with the same id exists (a redelivered event)."""

    @abstractmethod
    def get(self, message_id):
        """The InboxMessage, or None."""

    @abstractmethod
    def save(self, message):
        """Store changes with a version check."""

    @abstractmethod
    def page_for(self, person_id, page, per_page):
        """(messages newest first, total)."""


class SubscribeMessenger(ABC):
    @abstractmethod
    def send(self, openid, template_id, data, page):
        """Send one WeChat subscribe message; True when WeChat accepted it."""


class ChallengeRepository(ABC):
    @abstractmethod
    def add(self, challenge):
        """Store a new login challenge."""

    @abstractmethod
    def consume(self, challenge_id):
        """Atomically mark an open challenge used and return it; None when unknown or already used."""


class EnterpriseAccountRepository(ABC):
    @abstractmethod
    def get(self, uscc):
        """The EnterpriseAccount, or None."""

    @abstractmethod
    def add(self, account, events=()):
        """Store a new account; DuplicateKey when another login created it first."""

    @abstractmethod
    def save(self, account, events=()):
        """Store changes with a version check."""


class CertificateVerifier(ABC):
    @abstractmethod
    def verify(self, certificate_pem, signature_b64, nonce, now, wall_now):
        """Check path, validity (at the business instant ``now``), revocation (CRL freshness at
        the wall instant ``wall_now``), purpose, USCC and the signature over ``nonce``. Returns a
        dict with uscc, subject_name, issuer, serial_hex, fingerprint_sha256, algorithm, not_after
        and revocation_keys (what ``revoked`` takes later); raises CaLoginRefused (401) with the
        API.md CA_* code, or CaCrlUnavailable (503)."""

    @abstractmethod
    def revoked(self, revocation_keys):
        """Whether a current CRL lists any certificate of a verified login's ``revocation_keys``."""


class SessionRepository(ABC):
    @abstractmethod
    def get(self, session_id):
        """The Session, or None."""

    @abstractmethod
    def add(self, session):
        """Store a new session."""

    @abstractmethod
    def save(self, session):
        """Store changes with a version check (ConcurrencyConflict if it changed meanwhile)."""

    @abstractmethod
    def active_with_certificates(self, now):
        """Sessions still marked active at ``now`` (wall) that hold certificate revocation keys."""
