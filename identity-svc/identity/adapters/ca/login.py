"""Verify an enterprise's CA-certificate (CA锁) login: certificate, trust, validity, revocation,
USCC, and the signature the USB key made over the login challenge's nonce."""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from .errors import CA_CERT_UNTRUSTED, CA_NO_USCC, CA_SIGNATURE_INVALID, CaLoginError
from .signatures import UnsupportedKey, subject_key, verify_signature
from .subject import display_name, find_uscc
from .trust import TrustStore, check_validity

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


def verify_login(
    cert_pem: str, signature_b64: str, nonce: bytes, trust: TrustStore, now: datetime
) -> VerifiedCertificate:
    """Check a login and return the certificate's facts, or raise CaLoginError.

    ``cert_pem``: the login certificate (PEM; headerless base64 DER is accepted too), optionally
    followed by the intermediate CA certificate that issued it. ``signature_b64``: base64 (standard
    or URL-safe) of the signature over the raw ``nonce`` bytes. ``now``: timezone-aware.
    Checks, in order: readable (CA_CERT_UNTRUSTED) → signed by a trusted CA (CA_CERT_UNTRUSTED) →
    within validity (CA_CERT_EXPIRED) → not on the CA's CRL (CA_CERT_REVOKED) → USCC in the subject
    (CA_NO_USCC) → signature over the nonce (CA_SIGNATURE_INVALID).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("verify_login needs a timezone-aware now")
    cert, presented = parse_certificates(cert_pem)
    issuer = trust.verify_chain(cert, now, presented)
    check_validity(cert, now)
    trust.check_revocation(cert, issuer, now)
    uscc = find_uscc(cert.subject)
    if uscc is None:
        raise CaLoginError(CA_NO_USCC, "证书主题（serialNumber、OU、CN）中没有有效的统一社会信用代码")
    try:
        key = subject_key(cert)
    except UnsupportedKey:
        raise CaLoginError(CA_SIGNATURE_INVALID, "不支持该证书的密钥算法（支持RSA、ECDSA、SM2）") from None
    if not _may_sign(cert):
        raise CaLoginError(CA_SIGNATURE_INVALID, "该证书不是签名证书，请使用CA锁中的签名证书登录")
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


def _may_sign(cert: x509.Certificate) -> bool:
    """A signing certificate: no keyUsage, or one with digitalSignature or nonRepudiation. (SM2 CA
    locks hold a signing and an encryption certificate; only the first can log in.)"""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.digital_signature or usage.content_commitment


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
