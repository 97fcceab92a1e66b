"""In-memory fakes of identity-svc's ports, for unit tests of the service layer only."""
import copy
import itertools

from xjkit.errors import ConcurrencyConflict
from xjkit.mongo.repository import DuplicateKey

from identity.domain.errors import WeChatCodeInvalid
from identity.service_layer import ports


class _VersionedStore:
    def __init__(self, key):
        self.key = key
        self.items = {}
        self.events = []

    def _put(self, entity, events, expected_version):
        current = self.items.get(getattr(entity, self.key))
        if (current.version if current else 0) != expected_version:
            raise ConcurrencyConflict()
        entity.version = expected_version + 1
        self.items[getattr(entity, self.key)] = copy.deepcopy(entity)
        self.events.extend(events)

    def _get(self, key):
        found = self.items.get(key)
        return copy.deepcopy(found) if found else None


class FakePersons(_VersionedStore, ports.PersonRepository):
    def __init__(self):
        super().__init__("person_id")

    def get(self, person_id):
        return self._get(person_id)

    def get_by_openid(self, openid):
        return next((copy.deepcopy(p) for p in self.items.values() if p.openid == openid), None)

    def get_by_id_hash(self, id_hash):
        return next((copy.deepcopy(p) for p in self.items.values() if id_hash and p.id_hash == id_hash), None)

    def _check_unique(self, person):
        for other in self.items.values():
            if other.person_id == person.person_id:
                continue
            if other.openid == person.openid or (person.id_hash and other.id_hash == person.id_hash):
                raise DuplicateKey()

    def add(self, person, events=()):
        if person.person_id in self.items:
            raise DuplicateKey()
        self._check_unique(person)
        self._put(person, events, 0)

    def save(self, person, events=()):
        self._check_unique(person)
        self._put(person, events, person.version)


class FakeFaceChecks(_VersionedStore, ports.FaceCheckRepository):
    def __init__(self):
        super().__init__("verify_id")

    def get(self, verify_id):
        return self._get(verify_id)

    def add(self, check):
        self._put(check, (), 0)

    def save(self, check):
        self._put(check, (), check.version)


class FakeWeChat(ports.WeChatLogin):
    def openid_for_code(self, code):
        if not code.startswith("dev-"):
            raise WeChatCodeInvalid()
        return code[4:]


class FakeFace(ports.FaceVerifier):
    """Records getverifyid calls; answers queryverifyinfo with ``results`` by cert_no (default 10000)."""

    def __init__(self):
        self.counter = itertools.count(1)
        self.started = {}
        self.results = {}

    def start(self, openid, out_seq_no, cert_name, cert_no):
        verify_id = f"verify-{next(self.counter)}"
        self.started[verify_id] = (openid, out_seq_no, cert_name, cert_no)
        return verify_id, 3600

    def result(self, verify_id, out_seq_no, openid, cert_name, cert_no):
        if self.started.get(verify_id) != (openid, out_seq_no, cert_name, cert_no):
            return None  # WeChat refuses: not the identity the check was started for
        return self.results.get(cert_no, 10000)
