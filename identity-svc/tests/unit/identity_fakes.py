"""In-memory fakes of identity-svc's ports, for unit tests of the service layer only.

The repositories keep the version check and the unique keys of the Mongo ones (``xjkit.fakes``);
use cases reach them through FakeIdentityUnitOfWork, as they reach Mongo through the unit of work.
"""
import itertools

from xjkit.fakes import InMemoryRepository

from identity.domain.errors import WeChatCodeInvalid
from identity.service_layer import ports


class FakePersons(InMemoryRepository, ports.PersonRepository):
    id_field = "person_id"
    # the Mongo indexes: one person per openid; an ID number verified by one person only (sparse)
    unique_keys = (("openid_1", lambda person: person.openid), ("id_hash_1", lambda person: person.id_hash))

    def get_many(self, person_ids):
        return self.loaded_all(self.items[p] for p in person_ids if p in self.items)

    def get_by_openid(self, openid):
        return next((self.loaded(p) for p in self.items.values() if p.openid == openid), None)

    def get_by_id_hash(self, id_hash):
        return next((self.loaded(p) for p in self.items.values() if id_hash and p.id_hash == id_hash), None)


class FakeFaceChecks(InMemoryRepository, ports.FaceCheckRepository):
    id_field = "verify_id"


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


class FakeMessages(InMemoryRepository, ports.MessageRepository):
    id_field = "message_id"

    def page_for(self, person_id, page, per_page):
        mine = sorted((m for m in self.items.values() if m.person_id == person_id),
                      key=lambda m: m.created_at, reverse=True)
        start = (page - 1) * per_page
        return self.loaded_all(mine[start:start + per_page]), len(mine)


class FakeMessenger(ports.SubscribeMessenger):
    def __init__(self):
        self.sent = []

    def send(self, openid, template_id, data, page):
        self.sent.append((openid, template_id, data, page))
        return True


class FakeChallenges(InMemoryRepository, ports.ChallengeRepository):
    id_field = "challenge_id"


class FakeAccounts(InMemoryRepository, ports.EnterpriseAccountRepository):
    id_field = "uscc"


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


class FakeSessions(InMemoryRepository, ports.SessionRepository):
    id_field = "session_id"

    def active_with_certificates(self, now):
        return self.loaded_all(s for s in self.items.values()
                               if s.status == "active" and s.role == "enterprise" and s.expires_at > now)


class FakeIdentityUnitOfWork(ports.IdentityUnitOfWork):
    """Pass repositories to share their storage with another unit of work (a concurrent use case)."""

    def __init__(self, persons=None, face_checks=None, messages=None, challenges=None, accounts=None,
                 sessions=None):
        super().__init__(
            persons=persons or FakePersons(), face_checks=face_checks or FakeFaceChecks(),
            messages=messages or FakeMessages(), challenges=challenges or FakeChallenges(),
            accounts=accounts or FakeAccounts(), sessions=sessions or FakeSessions())

    def sharing_storage(self):
        """Another unit of work over the same stored items."""
        return FakeIdentityUnitOfWork(*(repository.sharing_storage() for repository in (
            self.persons, self.face_checks, self.messages, self.challenges, self.accounts, self.sessions)))
