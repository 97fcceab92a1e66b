"""What the use cases need from the outside world; adapters implement these, unit tests fake them.

Every repository is one of aggregates (``xjkit.unit_of_work``): what it hands out is seen by the
unit of work, ``add`` takes a new one, and only ``uow.commit()`` writes, with the events the
aggregates recorded. IdentityUnitOfWork holds them all.
"""
from abc import ABC, abstractmethod

from xjkit.unit_of_work import AggregateRepository, UnitOfWork


class PersonRepository(AggregateRepository):
    """A commit raises DuplicateKey when a new person's openid is already bound, or when the ID
    number a person verified is another person's; ConcurrencyConflict when it changed meanwhile."""

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



class FaceCheckRepository(AggregateRepository):
    """Writes are version-checked: a check is consumed once, even under races."""

    @abstractmethod
    def get(self, verify_id):
        """The FaceCheck, or None."""


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


class MessageRepository(AggregateRepository):
    """A commit of a new message raises DuplicateKey when one with its id exists (a redelivered event)."""

    @abstractmethod
    def get(self, message_id):
        """The InboxMessage, or None."""

    @abstractmethod
    def page_for(self, person_id, page, per_page):
        """(messages newest first, total)."""


class SubscribeMessenger(ABC):
    @abstractmethod
    def send(self, openid, template_id, data, page):
        """Send one WeChat subscribe message; True when WeChat accepted it."""


class ChallengeRepository(AggregateRepository):
    """Writes are version-checked: of two logins spending one challenge, one commit conflicts."""

    @abstractmethod
    def get(self, challenge_id):
        """The LoginChallenge, or None."""


class EnterpriseAccountRepository(AggregateRepository):
    """A commit of a new account raises DuplicateKey when another login created it first."""

    @abstractmethod
    def get(self, uscc):
        """The EnterpriseAccount, or None."""


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


class SessionRepository(AggregateRepository):
    """Writes are version-checked (ConcurrencyConflict if it changed meanwhile)."""

    @abstractmethod
    def get(self, session_id):
        """The Session, or None."""

    @abstractmethod
    def active_with_certificates(self, now):
        """Sessions still marked active at ``now`` (wall) that hold certificate revocation keys."""


class IdentityUnitOfWork(UnitOfWork):
    """What every identity use case reads and writes through: ``with uow: … uow.commit()``."""

    persons: PersonRepository
    face_checks: FaceCheckRepository
    messages: MessageRepository
    challenges: ChallengeRepository
    accounts: EnterpriseAccountRepository
    sessions: SessionRepository
