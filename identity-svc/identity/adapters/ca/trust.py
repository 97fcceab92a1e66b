"""Trusted CA certificates (the ``XJ_CA_ROOTS`` bundle) and their revocation lists (``XJ_CA_CRLS``).

Every certificate in the bundle is a trust anchor, roots and intermediates alike, so a leaf issued
directly by any of them is trusted. A leaf issued by an intermediate that is not in the bundle is
trusted when the login presents that intermediate after the leaf and a bundle certificate issued it.
Issuance is decided by the issuer's signature (names only pick the candidates), so a look-alike CA
with the same name is not trusted. A bundle certificate marked as an end entity (basicConstraints
cA false, or keyUsage without keyCertSign) issues nothing. Anchors are not checked for their own
validity or revocation (RFC 5280 trust anchors); a presented intermediate is. A CRL is used only once its own signature verifies against the
CA that issued the certificate being checked; one that does not is ignored with a warning.
"""

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from os import PathLike
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256

from .errors import CA_CERT_EXPIRED, CA_CERT_REVOKED, CA_CERT_UNTRUSTED, CaLoginError, TrustStoreError
from .signatures import is_signed_by

log = logging.getLogger(__name__)

_SHA256 = SHA256()
_PEM_CRL = re.compile(rb"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----", re.S)


class TrustStore:
    """Immutable set of trust anchors and CRLs. Thread-safe: the only mutable state is a cache of
    CRL signature checks, where a race merely repeats a check."""

    def __init__(self, anchors: Iterable[x509.Certificate], crls: Iterable[x509.CertificateRevocationList] = ()):
        self._anchors = tuple(anchors)
        if not self._anchors:
            raise TrustStoreError("the CA roots bundle holds no certificate")
        self._crls = tuple(crls)
        self._crl_signature_ok: dict[tuple[int, bytes], bool] = {}
        self._stale_reported: set[int] = set()
        for crl in self._crls:
            if not any(anchor.subject == crl.issuer for anchor in self._anchors):
                log.warning(
                    "CRL of %s matches no trusted CA certificate; it only applies to intermediates presented at login",
                    crl.issuer.rfc4514_string(),
                )

    @classmethod
    def from_files(cls, roots_pem_path: str | PathLike, crl_paths: Iterable[str | PathLike] = ()) -> "TrustStore":
        """Roots from a PEM bundle; CRLs from PEM (one or more CRLs) or DER files. Empty paths are
        skipped; a missing or unreadable file raises TrustStoreError (fail at start-up, not at login)."""
        crls = []
        for path in crl_paths or ():
            if str(path).strip():
                crls.extend(load_crls(_read(path), source=str(path)))
        return cls(load_certificates(_read(roots_pem_path), source=str(roots_pem_path)), crls)

    @classmethod
    def from_pem(cls, roots_pem: bytes | str, crls: Iterable[bytes] = ()) -> "TrustStore":
        """The same from in-memory data (CRLs as PEM or DER bytes)."""
        if isinstance(roots_pem, str):
            roots_pem = roots_pem.encode()
        return cls(load_certificates(roots_pem), [crl for data in crls for crl in load_crls(data)])

    @property
    def anchors(self) -> tuple[x509.Certificate, ...]:
        return self._anchors

    @property
    def crls(self) -> tuple[x509.CertificateRevocationList, ...]:
        return self._crls

    def verify_chain(
        self, cert: x509.Certificate, now: datetime, presented: Sequence[x509.Certificate] = ()
    ) -> x509.Certificate:
        """The CA certificate that signed ``cert``: a trust anchor, or one of the ``presented``
        intermediates which an anchor signed (then checked for validity and revocation too).
        Raises CaLoginError(CA_CERT_UNTRUSTED) when there is none."""
        issuer = _signer_among(cert, self._anchors)
        if issuer is not None:
            return issuer
        for intermediate in presented:
            if _signer_among(cert, [intermediate]) is None:
                continue
            root = _signer_among(intermediate, self._anchors)
            if root is None:
                continue
            check_validity(intermediate, now, label="签发该证书的中级CA证书")
            self.check_revocation(intermediate, root, now, label="签发该证书的中级CA证书")
            return intermediate
        raise CaLoginError(CA_CERT_UNTRUSTED)

    def check_revocation(
        self, cert: x509.Certificate, issuer: x509.Certificate, now: datetime, *, label: str = "证书"
    ) -> None:
        """Raises CaLoginError(CA_CERT_REVOKED) when a verified CRL of ``issuer`` lists ``cert``."""
        for crl in self._crls_of(issuer, now):
            entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
            if entry is not None:
                when = entry.revocation_date_utc.astimezone(now.tzinfo).strftime("%Y-%m-%d")
                raise CaLoginError(CA_CERT_REVOKED, f"{label}已于{when}被CA机构吊销（作废）")

    def _crls_of(self, issuer: x509.Certificate, now: datetime):
        issuer_id = issuer.fingerprint(_SHA256)
        for index, crl in enumerate(self._crls):
            if crl.issuer != issuer.subject:
                continue
            ok = self._crl_signature_ok.get((index, issuer_id))
            if ok is None:
                ok = is_signed_by(crl, issuer)
                self._crl_signature_ok[(index, issuer_id)] = ok
                if not ok:
                    log.warning(
                        "ignoring a CRL of %s: its signature does not verify against the CA certificate %s",
                        crl.issuer.rfc4514_string(),
                        issuer_id.hex(),
                    )
            if not ok:
                continue
            if crl.next_update_utc is not None and crl.next_update_utc < now and index not in self._stale_reported:
                self._stale_reported.add(index)
                log.warning(
                    "the CRL of %s is out of date (next update was due %s); still applying it",
                    crl.issuer.rfc4514_string(),
                    crl.next_update_utc.isoformat(),
                )
            yield crl


def check_validity(cert: x509.Certificate, now: datetime, *, label: str = "证书") -> None:
    """Raises CaLoginError(CA_CERT_EXPIRED) when ``now`` is outside the certificate's validity."""
    if now < cert.not_valid_before_utc:
        start = cert.not_valid_before_utc.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        raise CaLoginError(CA_CERT_EXPIRED, f"{label}尚未生效（生效时间：{start}）")
    if now > cert.not_valid_after_utc:
        end = cert.not_valid_after_utc.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        raise CaLoginError(CA_CERT_EXPIRED, f"{label}已过期（有效期至：{end}），请到CA机构办理证书更新")


def load_certificates(data: bytes, source: str = "CA roots") -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise TrustStoreError(f"{source}: not a PEM bundle of certificates ({exc})") from exc


def load_crls(data: bytes, source: str = "CRL") -> list[x509.CertificateRevocationList]:
    try:
        blocks = _PEM_CRL.findall(data)
        if blocks:
            return [x509.load_pem_x509_crl(block) for block in blocks]
        return [x509.load_der_x509_crl(data)]
    except ValueError as exc:
        raise TrustStoreError(f"{source}: not a PEM or DER CRL ({exc})") from exc


def _signer_among(cert: x509.Certificate, candidates: Iterable[x509.Certificate]) -> x509.Certificate | None:
    for candidate in candidates:
        if candidate.subject == cert.issuer and _may_issue(candidate) and is_signed_by(cert, candidate):
            return candidate
    return None


def _may_issue(ca: x509.Certificate) -> bool:
    """Not marked as an end-entity (basicConstraints cA false) nor as unable to sign certificates."""
    try:
        extensions = ca.extensions
    except ValueError:
        return False
    try:
        if not extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return False
    except x509.ExtensionNotFound:
        pass  # an X.509 v1 root
    try:
        return extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    except x509.ExtensionNotFound:
        return True


def _read(path: str | PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise TrustStoreError(f"cannot read {path}: {exc}") from exc
