"""Certificate revocation lists and the state of each CA's revocation information.

Revocation checking fails closed. A CA's CRL counts only when it names that CA as issuer, its
signature verifies against the CA's key, and it is a complete CRL (no delta CRL, no partition by
reason, no indirect CRL). Its freshness is judged by the wall clock: past nextUpdate it is
*overdue* but still used for a grace period (``XJ_CRL_GRACE_SECONDS``), then *stale*, and a login
under that CA is refused with CA_CRL_UNAVAILABLE (503) until a current CRL is in place. A CA with
no CRL at all is *missing* (refused the same way) unless it is explicitly allowed to go without one
(``XJ_CA_CRL_OPTIONAL``: *not_required*). A CRL that names the CA but does not verify is
*bad_signature* when no good one is there.

States: ok · overdue (past nextUpdate, within the grace period: still used) · stale · missing ·
bad_signature · not_required. Only ok and overdue let a login through.
"""

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256

from .settings import CaSelector
from .signatures import is_signed_by

log = logging.getLogger(__name__)

OK = "ok"
OVERDUE = "overdue"
STALE = "stale"
MISSING = "missing"
BAD_SIGNATURE = "bad_signature"
NOT_REQUIRED = "not_required"
USABLE = frozenset({OK, OVERDUE})

_SHA256 = SHA256()


@dataclass(frozen=True)
class CrlState:
    """The revocation information of one CA at one wall-clock instant."""

    state: str
    crl: x509.CertificateRevocationList | None = None

    @property
    def usable(self) -> bool:
        return self.state in USABLE

    @property
    def this_update(self) -> datetime | None:
        return self.crl.last_update_utc if self.crl is not None else None

    @property
    def next_update(self) -> datetime | None:
        return self.crl.next_update_utc if self.crl is not None else None


class CrlIndex:
    """Immutable set of CRLs with cached signature checks and serial-number sets. Thread-safe:
    the caches only ever gain entries, and a race merely repeats a computation."""

    def __init__(self, crls: Iterable[x509.CertificateRevocationList], *, grace: timedelta = timedelta(0),
                 optional: Sequence[CaSelector] = ()):
        self.crls = tuple(crls)
        self.grace = grace
        self.optional = tuple(optional)
        self._signature_ok: dict[tuple[int, bytes], bool] = {}
        self._serials: dict[int, frozenset[int]] = {}
        self._lock = threading.Lock()

    def state_of(self, ca: x509.Certificate, wall_now: datetime, *, for_ca_certificates: bool = False) -> CrlState:
        """The state of ``ca``'s revocation information at ``wall_now``. ``for_ca_certificates``:
        the certificate to check is itself a CA (a CRL limited to end entities does not cover it)."""
        named = [(index, crl) for index, crl in enumerate(self.crls) if crl.issuer == ca.subject]
        verified = [(index, crl) for index, crl in named if self._verified(index, crl, ca)]
        complete = [(index, crl) for index, crl in verified if _complete(crl, for_ca_certificates)]
        if complete:
            _, newest = max(complete, key=lambda pair: pair[1].last_update_utc)
            return CrlState(self._freshness(newest, wall_now), newest)
        if any(selector.matches(ca) for selector in self.optional):
            return CrlState(NOT_REQUIRED)
        if named and not verified:
            return CrlState(BAD_SIGNATURE)
        return CrlState(MISSING)

    def listed(self, serial: int, ca: x509.Certificate, *, for_ca_certificates: bool = False):
        """The revoked-certificate entry of ``serial`` in a verified, complete CRL of ``ca`` (the
        newest that lists it), or None. Freshness does not matter here: a listing in an old CRL is
        still a revocation."""
        for index, crl in enumerate(self.crls):
            if crl.issuer != ca.subject or not _complete(crl, for_ca_certificates):
                continue
            if not self._verified(index, crl, ca):
                continue
            if serial in self._serial_set(index, crl):
                return crl.get_revoked_certificate_by_serial_number(serial)
        return None

    def issuers_without_anchor(self, anchors: Sequence[x509.Certificate]) -> list[x509.CertificateRevocationList]:
        """CRLs whose issuer is no trust anchor (CRLs of intermediates, checked when one is presented)."""
        subjects = {anchor.subject for anchor in anchors}
        return [crl for crl in self.crls if crl.issuer not in subjects]

    # --- internals -----------------------------------------------------------------------------

    def _freshness(self, crl, wall_now) -> str:
        next_update = crl.next_update_utc
        if next_update is None:  # RFC 5280 requires nextUpdate; without it freshness is unknowable
            return STALE
        if wall_now <= next_update:
            return OK
        return OVERDUE if wall_now <= next_update + self.grace else STALE

    def _verified(self, index, crl, ca) -> bool:
        key = (index, ca.fingerprint(_SHA256))
        ok = self._signature_ok.get(key)
        if ok is None:
            ok = is_signed_by(crl, ca)
            with self._lock:
                self._signature_ok[key] = ok
            if not ok:
                log.warning("a CRL of %s does not verify against the CA certificate %s: not used",
                            crl.issuer.rfc4514_string(), key[1].hex())
        return ok

    def _serial_set(self, index, crl) -> frozenset[int]:
        serials = self._serials.get(index)
        if serials is None:
            serials = frozenset(entry.serial_number for entry in crl)
            with self._lock:
                self._serials[index] = serials
        return serials


def _complete(crl: x509.CertificateRevocationList, for_ca_certificates: bool) -> bool:
    """A full CRL for the certificate's kind: not a delta CRL, not split by reason, not indirect,
    and no unknown critical extension (RFC 5280 §6.3.3)."""
    try:
        extensions = crl.extensions
    except ValueError:
        return False
    for extension in extensions:
        if isinstance(extension.value, x509.DeltaCRLIndicator):
            return False
        if extension.critical and isinstance(extension.value, x509.UnrecognizedExtension):
            return False
        if isinstance(extension.value, x509.IssuingDistributionPoint):
            point = extension.value
            if point.indirect_crl or point.only_some_reasons or point.only_contains_attribute_certs:
                return False
            if point.only_contains_ca_certs and not for_ca_certificates:
                return False
            if point.only_contains_user_certs and for_ca_certificates:
                return False
    return True
