"""What the use cases need from the outside world; adapters implement these, unit tests fake them."""
from abc import ABC, abstractmethod


class PersonRepository(ABC):
    @abstractmethod
    def get(self, person_id):
        """The Person, or None."""

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
