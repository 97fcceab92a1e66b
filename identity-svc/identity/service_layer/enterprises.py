"""Enterprise login with a CA certificate (CA锁): challenge, then a signature over its nonce.

A challenge expires by the wall clock (``wall``), and so does the session a login starts; the
certificate's validity and the account's dates are business time (``clock``), so a platform on a
travelled business date still logs in. CRL freshness is judged on the wall clock.
"""
import base64
import datetime
import secrets
import uuid

from xjkit.errors import ConcurrencyConflict, DuplicateKey, NotFound
from xjkit.retry import retry_on_conflict

from identity.domain.enterprise import EnterpriseAccount, LoginChallenge
from identity.domain.errors import ChallengeInvalid
from identity.domain.session import ENTERPRISE
from identity.service_layer.sessions import start_session

CHALLENGE_LIFETIME = datetime.timedelta(minutes=5)
NONCE_BYTES = 32


def create_challenge(uow, wall):
    now = wall.now()
    challenge = LoginChallenge(
        challenge_id=uuid.uuid4().hex,
        nonce_b64=base64.b64encode(secrets.token_bytes(NONCE_BYTES)).decode("ascii"),
        created_at=now, expires_at=now + CHALLENGE_LIFETIME,
    )
    with uow:
        uow.challenges.add(challenge)
        uow.commit()
    return {"challenge_id": challenge.challenge_id, "nonce": challenge.nonce_b64, "expires_at": challenge.expires_at}


ACCOUNT_CERTIFICATE_FIELDS = ("uscc", "subject_name", "issuer", "serial_hex", "fingerprint_sha256", "algorithm",
                              "not_after")


def login_with_certificate(uow, verifier, limits, clock, wall, challenge_id, certificate_pem, signature_b64):
    """The challenge is spent first, whatever follows: a refused attempt cannot be retried on it.
    A verified login starts a session bound to the certificate (and the CA certificates above it),
    so that revoking any of them ends the session."""
    challenge = _spent_challenge(uow, challenge_id)
    if challenge is None or wall.now() >= challenge.expires_at:
        raise ChallengeInvalid()
    certificate = verifier.verify(certificate_pem, signature_b64, base64.b64decode(challenge.nonce_b64),
                                  clock.now(), wall.now())
    account = _account_after_login(
        uow, {key: certificate[key] for key in ACCOUNT_CERTIFICATE_FIELDS if key in certificate}, clock)
    session = start_session(uow, wall, limits, ENTERPRISE, account.uscc,
                            certificate={"issuer": certificate["issuer"], "serial_hex": certificate["serial_hex"]},
                            revocation_keys=certificate.get("revocation_keys") or ())
    return {"uscc": account.uscc, "name": account.name, "session": session, "certificate": {
        "issuer": certificate["issuer"], "serial_hex": certificate["serial_hex"],
        "not_after": certificate["not_after"], "algorithm": certificate["algorithm"]}}


def _spent_challenge(uow, challenge_id):
    """The challenge, now marked used; None when unknown, used already, or spent by a concurrent
    login (its version-checked write came first)."""
    with uow:
        challenge = uow.challenges.get(challenge_id)
        if challenge is None or not challenge.spend():
            return None
        try:
            uow.commit()
        except ConcurrencyConflict:
            return None
    return challenge


def _account_after_login(uow, certificate, clock):
    """Create the account on the first login, else record the certificate (a renewal keeps the
    account). Retries a few times when a concurrent login of the same enterprise wrote first."""
    def attempt():
        with uow:
            now = clock.now()
            account = uow.accounts.get(certificate["uscc"])
            if account is None:
                account = EnterpriseAccount.first_login(certificate, now)
                uow.accounts.add(account)
            else:
                account.record_login(certificate, now)
            try:
                uow.commit()
            except DuplicateKey:  # created by a concurrent first login: record on the stored one
                raise ConcurrencyConflict() from None
            return account
    return retry_on_conflict(attempt)


def get_enterprise(uow, uscc):
    with uow:
        account = uow.accounts.get(uscc)
    if account is None:
        raise NotFound()
    return {
        "uscc": account.uscc, "name": account.name, "last_login_at": account.last_login_at,
        "certificates": [
            {key: certificate.get(key) for key in ("issuer", "serial_hex", "algorithm", "not_after", "last_login_at")}
            for certificate in account.certificates
        ],
    }
