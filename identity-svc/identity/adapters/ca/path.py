"""Certification path building and validation for login certificates (RFC 5280 §6.1).

A path runs from the login certificate up through intermediate CA certificates the login
presented (after the leaf, at most four) to a trust anchor (a certificate of the ``XJ_CA_ROOTS``
bundle). Links are made by name *and* signature, so a look-alike CA with the same name never links.

Every CA certificate in the path that is not the trust anchor must be a CA that may sign
certificates: basicConstraints present (critical or not) with cA=TRUE, and keyUsage present with
keyCertSign. A certificate without those extensions is an end entity, whatever its issuer let it
do: an enterprise cannot use its own login certificate to issue one for another enterprise. The
pathLenConstraint of every CA, the trust anchor's included, bounds the number of non-self-issued
intermediates below it. A trust anchor whose own extensions say it is not a CA (cA=FALSE, or a
keyUsage without keyCertSign) issues nothing either; an X.509 v1 anchor without extensions does.

Intermediates are judged at the login's (business) instant for validity; trust anchors are not
(RFC 5280 trust anchors), their revocation neither. Unknown critical extensions, nameConstraints
(which are not processed here) and MD5/SHA-1 signatures make a certificate unusable.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from .errors import CA_CERT_EXPIRED, CA_CERT_UNTRUSTED, CaLoginError
from .signatures import is_signed_by

log = logging.getLogger(__name__)

MAX_INTERMEDIATES = 4
INTERMEDIATE_LABEL = "签发该证书的中级CA证书"

# md2/md5/sha1 with RSA, ecdsa-with-SHA1, dsa-with-SHA1: collisions are practical for MD5 and SHA-1
WEAK_SIGNATURE_OIDS = frozenset({
    "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5",
    "1.2.840.10045.4.1", "1.2.840.10040.4.3", "1.3.14.3.2.29",
})


@dataclass(frozen=True)
class CertPath:
    """leaf ← intermediates (the leaf's issuer first) ← anchor."""

    leaf: x509.Certificate
    intermediates: tuple[x509.Certificate, ...]
    anchor: x509.Certificate

    @property
    def issuer(self) -> x509.Certificate:
        """The CA that signed the leaf."""
        return (self.intermediates or (self.anchor,))[0]

    @property
    def cas(self) -> tuple[x509.Certificate, ...]:
        """Every CA of the path, the leaf's issuer first, the trust anchor last."""
        return (*self.intermediates, self.anchor)

    def issued_pairs_top_down(self) -> list[tuple[x509.Certificate, x509.Certificate]]:
        """(certificate, the CA that issued it) for every non-anchor certificate, from the one the
        anchor issued down to the leaf: the order in which revocation is checked."""
        below = (self.leaf, *self.intermediates)
        above = (*self.intermediates, self.anchor)
        return list(reversed(list(zip(below, above))))


def build_path(
    leaf: x509.Certificate,
    presented: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    now: datetime,
) -> CertPath:
    """The first valid path from ``leaf`` to one of ``anchors``; CaLoginError otherwise:
    CA_CERT_UNTRUSTED (no path, or no path whose CAs may issue) or CA_CERT_EXPIRED (the only
    paths run through an intermediate outside its validity at ``now``)."""
    candidates = _candidate_paths(leaf, [c for c in presented if c not in anchors], anchors)
    if not candidates:
        raise CaLoginError(CA_CERT_UNTRUSTED)
    refusals = []
    for path in candidates:
        try:
            validate_path(path, now)
            return path
        except CaLoginError as refusal:
            refusals.append(refusal)
    # an expired intermediate is the user's to fix (renewal at the CA); report it over a bad link
    return _raise(next((r for r in refusals if r.code == CA_CERT_EXPIRED), refusals[0]))


def validate_path(path: CertPath, now: datetime) -> None:
    """RFC 5280 §6.1 basic path validation of a linked path (names and signatures already match)."""
    if not may_issue_as_anchor(path.anchor):
        _untrusted("trust anchor %s is marked as unable to issue certificates", path.anchor)
    for ca in path.intermediates:
        if not _is_ca_with_cert_sign(ca):
            _untrusted("%s is not a CA that may sign certificates (needs basicConstraints cA=TRUE and "
                       "keyUsage keyCertSign)", ca)
        _check_usable(ca)
        check_validity(ca, now, label=INTERMEDIATE_LABEL)
    _check_usable(path.leaf)
    # pathLenConstraint: how many non-self-issued intermediates may follow each CA
    for position, ca in enumerate(path.cas):
        limit = _path_length(ca)
        if limit is None:
            continue
        below = sum(1 for intermediate in path.intermediates[:position] if not _self_issued(intermediate))
        if below > limit:
            _untrusted("pathLenConstraint %d of %%s is exceeded by %d intermediate(s) below it" % (limit, below), ca)


def may_issue_as_anchor(anchor: x509.Certificate) -> bool:
    """A trust anchor issues unless its own extensions say it cannot: basicConstraints cA=FALSE,
    or a keyUsage without keyCertSign. (An X.509 v1 root carries neither and issues.)"""
    try:
        extensions = anchor.extensions
    except ValueError:
        return False
    constraints = _extension(extensions, x509.BasicConstraints)
    if constraints is not None and not constraints.ca:
        return False
    usage = _extension(extensions, x509.KeyUsage)
    return usage is None or usage.key_cert_sign


def check_validity(cert: x509.Certificate, now: datetime, *, label: str = "证书") -> None:
    """Raises CaLoginError(CA_CERT_EXPIRED) when ``now`` is outside the certificate's validity."""
    if now < cert.not_valid_before_utc:
        start = cert.not_valid_before_utc.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        raise CaLoginError(CA_CERT_EXPIRED, f"{label}尚未生效（生效时间：{start}）")
    if now > cert.not_valid_after_utc:
        end = cert.not_valid_after_utc.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        raise CaLoginError(CA_CERT_EXPIRED, f"{label}已过期（有效期至：{end}），请到CA机构办理证书更新")


# --- internals ---------------------------------------------------------------------------------


def _candidate_paths(leaf, presented, anchors) -> list[CertPath]:
    """Every name-and-signature linked path from the leaf to an anchor, shortest first."""
    found: list[CertPath] = []

    def extend(current, intermediates):
        for anchor in anchors:
            if _issued(current, anchor):
                found.append(CertPath(leaf, tuple(intermediates), anchor))
        if len(intermediates) >= MAX_INTERMEDIATES:
            return
        for ca in presented:
            if ca == leaf or ca in intermediates or not _issued(current, ca):
                continue
            extend(ca, [*intermediates, ca])

    extend(leaf, [])
    return sorted(found, key=lambda path: len(path.intermediates))


def _issued(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    return ca.subject == cert.issuer and is_signed_by(cert, ca)


def _is_ca_with_cert_sign(ca: x509.Certificate) -> bool:
    try:
        extensions = ca.extensions
    except ValueError:
        return False
    constraints = _extension(extensions, x509.BasicConstraints)
    usage = _extension(extensions, x509.KeyUsage)
    return constraints is not None and constraints.ca and usage is not None and usage.key_cert_sign


def _check_usable(cert: x509.Certificate) -> None:
    if cert.signature_algorithm_oid.dotted_string in WEAK_SIGNATURE_OIDS:
        _untrusted("%s is signed with MD5 or SHA-1", cert)
    for extension in cert.extensions:
        if not extension.critical:
            continue
        if isinstance(extension.value, x509.UnrecognizedExtension):
            _untrusted(f"%s carries an unknown critical extension {extension.oid.dotted_string}", cert)
        if isinstance(extension.value, x509.NameConstraints):
            _untrusted("%s carries nameConstraints, which this verifier does not process", cert)


def _path_length(ca: x509.Certificate) -> int | None:
    try:
        constraints = _extension(ca.extensions, x509.BasicConstraints)
    except ValueError:
        return None
    return constraints.path_length if constraints is not None and constraints.ca else None


def _self_issued(cert: x509.Certificate) -> bool:
    return cert.subject == cert.issuer


def _extension(extensions: x509.Extensions, kind):
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _untrusted(reason: str, cert: x509.Certificate):
    # the user sees the plain refusal; operations see which rule of the path failed
    log.info("certification path refused: " + reason, cert.subject.rfc4514_string())
    raise CaLoginError(CA_CERT_UNTRUSTED)


def _raise(error: CaLoginError):
    raise error
