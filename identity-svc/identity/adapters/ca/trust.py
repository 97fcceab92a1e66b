"""Trusted CA certificates (the ``XJ_CA_ROOTS`` bundle), their revocation lists (``XJ_CA_CRLS``)
and the per-CA login settings (``XJ_CA_POLICIES``, ``XJ_CA_PERSON_POLICIES``,
``XJ_CA_CRL_OPTIONAL``, ``XJ_CRL_GRACE_SECONDS``).

Every certificate in the bundle is a trust anchor, roots and intermediates alike. A login may
present the intermediate CA certificates between its leaf and an anchor after the leaf; the path
is built and validated as RFC 5280 §6.1 says (see ``path``). Every certificate of the path below
the anchor is checked against its issuer's CRL, and that check fails closed (see ``crls``): a
missing, badly signed or stale CRL refuses the login with CA_CRL_UNAVAILABLE.

A CRL file that is missing or unreadable does not stop the store from loading: its CA simply has
no CRL, so logins under that CA are refused (503) and readiness reports it, until the file is back.
"""

import base64
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from os import PathLike
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .crls import MISSING, CrlIndex
from .errors import CA_CERT_REVOKED, CA_CRL_UNAVAILABLE, CaLoginError, TrustStoreError
from .path import INTERMEDIATE_LABEL, CertPath, build_path, may_issue_as_anchor
from .settings import CaPolicies, CaSelector

log = logging.getLogger(__name__)

_PEM_CRL = re.compile(rb"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----", re.S)

_CRL_MESSAGES = {
    "stale": "CA机构的证书吊销列表已过期未更新，暂时无法核验证书状态，请稍后重试；如持续出现请联系平台运维",
    "missing": "暂时无法获取CA机构的证书吊销列表，无法核验证书状态，请稍后重试；如持续出现请联系平台运维",
    "bad_signature": "CA机构的证书吊销列表签名校验失败，暂时无法核验证书状态，请稍后重试；如持续出现请联系平台运维",
}


@dataclass(frozen=True)
class CrlFile:
    """One configured CRL file and what loading it gave."""

    path: str
    state: str  # "ok" | "missing" | "unreadable"
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class RevocationKey:
    """Enough to find a certificate on its issuer's CRL later (a session's certificate chain):
    the serial and the DER of the CA certificate that issued it."""

    serial: int
    issuer_der: bytes
    is_ca: bool = False  # an intermediate CA certificate (CRLs may be limited to end entities or CAs)

    def to_dict(self) -> dict:
        return {"serial_hex": format(self.serial, "x"), "issuer_cert": base64.b64encode(self.issuer_der).decode(),
                "is_ca": self.is_ca}

    @classmethod
    def from_dict(cls, data: dict) -> "RevocationKey":
        return cls(int(data["serial_hex"], 16), base64.b64decode(data["issuer_cert"]), bool(data.get("is_ca")))


class TrustStore:
    """Immutable set of trust anchors, CRLs and per-CA settings. Thread-safe."""

    def __init__(
        self,
        anchors: Iterable[x509.Certificate],
        crls: Iterable[x509.CertificateRevocationList] = (),
        *,
        crl_grace: timedelta = timedelta(0),
        crl_optional: Sequence[CaSelector] = (),
        policies: CaPolicies | None = None,
        crl_files: Sequence[CrlFile] = (),
    ):
        self._anchors = tuple(anchors)
        if not self._anchors:
            raise TrustStoreError("the CA roots bundle holds no certificate")
        self._crl_index = CrlIndex(crls, grace=crl_grace, optional=crl_optional)
        self.policies = policies or CaPolicies()
        self.crl_files = tuple(crl_files)
        self._issuers_by_der: dict[bytes, x509.Certificate] = {}
        for crl in self._crl_index.issuers_without_anchor(self._anchors):
            log.info("CRL of %s matches no trusted CA certificate; it applies to intermediates presented at login",
                     crl.issuer.rfc4514_string())

    @classmethod
    def from_files(cls, roots_pem_path: str | PathLike, crl_paths: Iterable[str | PathLike] = (), **settings) -> "TrustStore":
        """Roots from a PEM bundle (missing or unreadable: TrustStoreError). CRLs from PEM (one or
        more CRLs) or DER files; empty paths are skipped; a missing or unreadable CRL file is
        recorded (``crl_files``) and leaves its CA without a CRL, so its logins fail closed."""
        files = [load_crl_file(path) for path in crl_paths or () if str(path).strip()]
        for problem in (f for f in files if f.state != "ok"):
            log.error("CRL file %s is %s (%s): logins under its CA are refused until it is readable",
                      problem.path, problem.state, problem.detail)
        crls = [crl for crl_file in files for crl in crl_file.crls]
        return cls(load_certificates(_read(roots_pem_path), source=str(roots_pem_path)), crls,
                   crl_files=files, **settings)

    @classmethod
    def from_pem(cls, roots_pem: bytes | str, crls: Iterable[bytes] = (), **settings) -> "TrustStore":
        """The same from in-memory data (CRLs as PEM or DER bytes)."""
        if isinstance(roots_pem, str):
            roots_pem = roots_pem.encode()
        return cls(load_certificates(roots_pem), [crl for data in crls for crl in load_crls(data)], **settings)

    @property
    def anchors(self) -> tuple[x509.Certificate, ...]:
        return self._anchors

    @property
    def crls(self) -> tuple[x509.CertificateRevocationList, ...]:
        return self._crl_index.crls

    # --- login ---------------------------------------------------------------------------------

    def verify_chain(self, cert: x509.Certificate, now: datetime, presented: Sequence[x509.Certificate] = ()) -> CertPath:
        """The validated certification path of ``cert`` at the business instant ``now``:
        CA_CERT_UNTRUSTED or CA_CERT_EXPIRED (an intermediate) otherwise."""
        return build_path(cert, presented, self._anchors, now)

    def check_revocation(self, path: CertPath, now: datetime, wall_now: datetime) -> None:
        """Every certificate below the anchor against its issuer's CRL, top down. CA_CRL_UNAVAILABLE
        (503) when an issuer's CRL is not usable at ``wall_now``; CA_CERT_REVOKED when listed.
        ``now`` (business) only words the revocation date."""
        for cert, issuer in path.issued_pairs_top_down():
            is_ca = cert is not path.leaf
            label = INTERMEDIATE_LABEL if is_ca else "证书"
            state = self._crl_index.state_of(issuer, wall_now, for_ca_certificates=is_ca)
            if state.state == "not_required":
                continue
            if not state.usable:
                log.warning("login refused: the CRL of %s is %s", issuer.subject.rfc4514_string(), state.state)
                raise CaLoginError(CA_CRL_UNAVAILABLE, _CRL_MESSAGES.get(state.state))
            if state.state == "overdue":
                log.warning("the CRL of %s is past its nextUpdate (%s); used within the grace period",
                            issuer.subject.rfc4514_string(), state.next_update.isoformat())
            entry = self._crl_index.listed(cert.serial_number, issuer, for_ca_certificates=is_ca)
            if entry is not None:
                when = entry.revocation_date_utc.astimezone(now.tzinfo).strftime("%Y-%m-%d")
                raise CaLoginError(CA_CERT_REVOKED, f"{label}已于{when}被CA机构吊销（作废），请联系CA机构办理新证书")

    # --- sessions ------------------------------------------------------------------------------

    def revocation_keys(self, path: CertPath) -> tuple[RevocationKey, ...]:
        """The leaf and each intermediate of ``path``, as a session keeps them."""
        return tuple(RevocationKey(cert.serial_number, issuer.public_bytes(serialization.Encoding.DER),
                                   is_ca=cert is not path.leaf)
                     for cert, issuer in path.issued_pairs_top_down())

    def revoked(self, keys: Iterable[RevocationKey]) -> RevocationKey | None:
        """The first of ``keys`` a verified CRL lists, or None."""
        for key in keys:
            issuer = self._issuer(key.issuer_der)
            if issuer is None:
                continue
            if self._crl_index.listed(key.serial, issuer, for_ca_certificates=key.is_ca) is not None:
                return key
        return None

    # --- operations ----------------------------------------------------------------------------

    def crl_report(self, wall_now: datetime) -> list[dict]:
        """Per trust anchor: the state of its CRL, thisUpdate and nextUpdate (readiness)."""
        report = []
        for anchor in self._anchors:
            state = self._crl_index.state_of(anchor, wall_now)
            report.append({
                "ca": anchor.subject.rfc4514_string(),
                "state": state.state,
                "this_update": state.this_update,
                "next_update": state.next_update,
            })
        return report

    def anchors_without_crl(self, wall_now: datetime) -> list[x509.Certificate]:
        """Anchors that may issue but have no CRL at all and are not allowed to go without one."""
        return [anchor for anchor in self._anchors
                if may_issue_as_anchor(anchor) and self._crl_index.state_of(anchor, wall_now).state == MISSING]

    # --- internals -----------------------------------------------------------------------------

    def _issuer(self, der: bytes) -> x509.Certificate | None:
        issuer = self._issuers_by_der.get(der)
        if issuer is None:
            try:
                issuer = x509.load_der_x509_certificate(der)
            except ValueError:
                return None
            self._issuers_by_der[der] = issuer
        return issuer


def load_crl_file(path: str | PathLike) -> CrlFile:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return CrlFile(str(path), "missing", detail="no such file")
    except OSError as exc:
        return CrlFile(str(path), "unreadable", detail=str(exc))
    try:
        return CrlFile(str(path), "ok", tuple(load_crls(data, source=str(path))))
    except TrustStoreError as exc:
        return CrlFile(str(path), "unreadable", detail=str(exc))


def load_certificates(data: bytes, source: str = "CA roots") -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise TrustStoreError(f"{source}: not a PEM bundle of certificates ({exc})") from exc


def load_crls(data: bytes, source: str = "CRL") -> list[x509.CertificateRevocationList]:
    try:
        blocks = _PEM_CRL.findall(data)
        if blocks:
            crls = [x509.load_pem_x509_crl(block) for block in blocks]
        else:
            crls = [x509.load_der_x509_crl(data)]
        for crl in crls:  # parsed lazily: surface malformed fields here, not at login
            crl.issuer, crl.last_update_utc, crl.next_update_utc, crl.extensions, list(crl)
        return crls
    except ValueError as exc:
        raise TrustStoreError(f"{source}: not a PEM or DER CRL ({exc})") from exc


def _read(path: str | PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise TrustStoreError(f"cannot read {path}: {exc}") from exc
