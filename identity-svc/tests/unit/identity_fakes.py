"""In-memory fakes of identity-svc's ports, for unit tests of the service layer only."""
import copy
import itertools

from xjkit.errors import ConcurrencyConflict, DuplicateKey

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

    def get_many(self, person_ids):
        return [copy.deepcopy(self.items[p]) for p in person_ids if p in self.items]

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


class FakeMessages(_VersionedStore, ports.MessageRepository):
    def __init__(self):
        super().__init__("message_id")

    def add_once(self, message):
        if message.message_id in self.items:
            return False
        self._put(message, (), 0)
        return True

    def get(self, message_id):
        return self._get(message_id)

    def save(self, message):
        self._put(message, (), message.version)

    def page_for(self, person_id, page, per_page):
        mine = sorted((m for m in self.items.values() if m.person_id == person_id),
                      key=lambda m: m.created_at, reverse=True)
        start = (page - 1) * per_page
        return [copy.deepcopy(m) for m in mine[start:start + per_page]], len(mine)


class FakeMessenger(ports.SubscribeMessenger):
    def __init__(self):
        self.sent = []

    def send(self, openid, template_id, data, page):
        self.sent.append((openid, template_id, data, page))
        return True


class FakeChallenges(_VersionedStore, ports.ChallengeRepository):
    def __init__(self):
        super().__init__("challenge_id")

    def add(self, challenge):
        self._put(challenge, (), 0)

    def consume(self, challenge_id):
        challenge = self.items.get(challenge_id)
        if challenge is None or challenge.status != "open":
            return None
        challenge.status = "used"
        return copy.deepcopy(challenge)


class FakeAccounts(_VersionedStore, ports.EnterpriseAccountRepository):
    def __init__(self):
        super().__init__("uscc")

    def get(self, uscc):
        return self._get(uscc)

    def add(self, account, events=()):
        if account.uscc in self.items:
            raise DuplicateKey()
        self._put(account, events, 0)

    def save(self, account, events=()):
        self._put(account, events, account.version)


class FakeVerifier(ports.CertificateVerifier):
    """Accepts a certificate text "CERT:<uscc>:<name>:<serial>" whose signature is "sig:<nonce b64>";
    remembers the instants it judged certificates (business) and CRLs (wall) at. A serial put in
    ``revoked_serials`` is on the CRL from then on."""

    def __init__(self):
        self.judged_at = []
        self.crls_judged_at = []
        self.revoked_serials = set()

    def revoked(self, revocation_keys):
        return any(key["serial_hex"] in self.revoked_serials for key in revocation_keys)

    def verify(self, certificate_pem, signature_b64, nonce, now, wall_now):
        import base64
        self.judged_at.append(now)
        self.crls_judged_at.append(wall_now)
        from identity.domain.errors import CaLoginRefused
        if not certificate_pem.startswith("CERT:"):
            raise CaLoginRefused(code="CA_CERT_UNTRUSTED", message="证书不是由受信任的CA机构签发的")
        _, uscc, name, serial = certificate_pem.split(":")
        if signature_b64 != "sig:" + base64.b64encode(nonce).decode():
            raise CaLoginRefused(code="CA_SIGNATURE_INVALID", message="签名验证失败")
        return {"uscc": uscc, "subject_name": name, "issuer": "CN=Dev Root", "serial_hex": serial,
                "fingerprint_sha256": serial * 4, "algorithm": "rsa", "not_after": now,
                "revocation_keys": [{"serial_hex": serial, "issuer_cert": "Q0EK", "is_ca": False}]}


class FakeSessions(_VersionedStore, ports.SessionRepository):
    def __init__(self):
        super().__init__("session_id")

    def get(self, session_id):
        return self._get(session_id)

    def add(self, session):
        if session.session_id in self.items:
            raise DuplicateKey()
        self._put(session, (), 0)

    def save(self, session):
        self._put(session, (), session.version)

    def active_with_certificates(self, now):
        return [copy.deepcopy(s) for s in self.items.values()
                if s.status == "active" and s.role == "enterprise" and s.expires_at > now]
