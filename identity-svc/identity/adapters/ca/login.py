"""Verify an enterprise's CA-certificate (CA锁) login: certificate, certification path, validity,
revocation, purpose, USCC, and the signature the USB key made over the login challenge's nonce."""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from .errors import CA_CERT_UNTRUSTED, CA_NO_USCC, CA_SIGNATURE_INVALID, CaLoginError
from .path import check_validity
from .purpose import check_enterprise_purpose
from .signatures import UnsupportedKey, subject_key, verify_signature
from .subject import display_name, find_uscc
from .trust import RevocationKey, TrustStore

MAX_CERTIFICATE_CHARS = 64 * 1024
MAX_SIGNATURE_CHARS = 4 * 1024
MAX_PRESENTED_INTERMEDIATES = 4

_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
_UNREADABLE = "无法读取证书，请提交PEM格式的X.509证书"


@dataclass(frozen=True)
class VerifiedCertificate:
    uscc: str
    subject_name: str  # the organisation (O) or common name (CN), for display
    issuer: str  # RFC 4514
    serial_hex: str
    not_before: datetime  # UTC
    not_after: datetime  # UTC
    algorithm: str  # "rsa" | "ecdsa" | "sm2"
    fingerprint_sha256: str  # hex of SHA-256 over the DER certificate
    # the leaf and every intermediate with the CA that issued it: what a session re-checks on CRLs
    revocation_keys: tuple[RevocationKey, ...] = ()


def verify_login(
    cert_pem: str, signature_b64: str, nonce: bytes, trust: TrustStore, now: datetime,
    *, wall_now: datetime | None = None,
) -> VerifiedCertificate:
    """Check a login and return the certificate's facts, or raise CaLoginError.

    ``cert_pem``: the login certificate (PEM; headerless base64 DER is accepted too), optionally
    followed by the intermediate CA certificates between it and a trusted root. ``signature_b64``:
    base64 (standard or URL-safe) of the signature over the raw ``nonce`` bytes. ``now``: the
    business instant certificates are judged at; ``wall_now``: the real instant CRL freshness is
    judged at (default: the system clock). Both timezone-aware.
    Checks, in order: readable (CA_CERT_UNTRUSTED) → a valid certification path to a trusted root
    (CA_CERT_UNTRUSTED, or CA_CERT_EXPIRED for an intermediate) → within validity (CA_CERT_EXPIRED)
    → revocation checkable and not revoked (CA_CRL_UNAVAILABLE 503, CA_CERT_REVOKED) → meant for
    enterprise login (CA_CERT_NOT_ENTERPRISE) → USCC in the subject (CA_NO_USCC) → signature over
    the nonce (CA_SIGNATURE_INVALID).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("verify_login needs a timezone-aware now")
    wall_now = wall_now or datetime.now(timezone.utc)
    if wall_now.tzinfo is None or wall_now.utcoffset() is None:
        raise ValueError("verify_login needs a timezone-aware wall_now")
    cert, presented = parse_certificates(cert_pem)
    path = trust.verify_chain(cert, now, presented)
    check_validity(cert, now)
    trust.check_revocation(path, now, wall_now)
    check_enterprise_purpose(path, trust.policies, now.date())
    uscc = find_uscc(cert.subject)
    if uscc is None:
        raise CaLoginError(CA_NO_USCC, "证书主题（serialNumber、OU、CN）中没有有效的统一社会信用代码")
    try:
        key = subject_key(cert)
    except UnsupportedKey:
        raise CaLoginError(CA_SIGNATURE_INVALID, "不支持该证书的密钥算法（支持RSA、ECDSA、SM2）") from None
    signature = _decode_base64(signature_b64)
    if signature is None:
        raise CaLoginError(CA_SIGNATURE_INVALID, "签名不是有效的Base64编码")
    if not verify_signature(key, signature, bytes(nonce)):
        raise CaLoginError(CA_SIGNATURE_INVALID)
    return VerifiedCertificate(
        uscc=uscc,
        subject_name=display_name(cert.subject),
        issuer=cert.issuer.rfc4514_string(),
        serial_hex=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        algorithm=key.algorithm,
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
        revocation_keys=trust.revocation_keys(path),
    )


def parse_certificates(text: str | bytes) -> tuple[x509.Certificate, list[x509.Certificate]]:
    """The login certificate and any CA certificates presented after it; CA_CERT_UNTRUSTED if unreadable."""
    if not isinstance(text, (str, bytes)) or len(text) > MAX_CERTIFICATE_CHARS:
        raise CaLoginError(CA_CERT_UNTRUSTED, _UNREADABLE)
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    try:
        blocks = _PEM_CERT.findall(data)
        if blocks:
            certs = [x509.load_pem_x509_certificate(block) for block in blocks[: 1 + MAX_PRESENTED_INTERMEDIATES]]
        else:  # base64 DER without the PEM lines, as some CA-lock browser plug-ins return it
            der = _decode_base64(data.decode("ascii", "replace"), limit=MAX_CERTIFICATE_CHARS)
            if not der:
                raise ValueError("neither PEM nor base64")
            certs = [x509.load_der_x509_certificate(der)]
        for cert in certs:  # cryptography parses lazily: surface malformed fields here
            cert.serial_number, cert.issuer, cert.subject, cert.extensions
            cert.not_valid_before_utc, cert.not_valid_after_utc, cert.signature_algorithm_oid
    except ValueError:
        raise CaLoginError(CA_CERT_UNTRUSTED, _UNREADABLE) from None
    return certs[0], certs[1:]


def _decode_base64(text, limit: int = MAX_SIGNATURE_CHARS) -> bytes | None:
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    if not isinstance(text, str) or len(text) > limit:
        return None
    compact = "".join(text.split())
    compact += "=" * (-len(compact) % 4)
    for altchars in (None, b"-_"):
        try:
            return base64.b64decode(compact, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            continue
    return None
