"""The development CA: two roots (RSA and SM2), enterprise certificates, CRLs, and the USB-key signature.

Layout of a CA directory::

    root-rsa.pem  root-rsa.key.pem  crl-rsa.pem     RSA-2048 root (SHA-256); issues rsa and ecdsa certificates
    root-sm2.pem  root-sm2.key.pem  crl-sm2.pem     SM2 root (SM2-with-SM3); issues sm2 certificates
    roots.pem                                       both roots: XJ_CA_ROOTS
    issued/<uscc>-<alg>.cert.pem / .key.pem         what ``issue`` writes by default
    sample/…  sample/index.json                     what ``sample`` writes

Login certificates carry what the platform asks of an enterprise login certificate: keyUsage
digitalSignature (+ nonRepudiation), extendedKeyUsage clientAuth and the dev CA's
enterprise-certificate policy ``ENTERPRISE_POLICY_OID``; ``person=`` makes a person's certificate
instead (resident ID number in serialNumber, ``PERSON_POLICY_OID``), and ``eku=``/``policy=``
make certificates that are not meant for enterprise login, for tests. ``policy_settings`` gives
the ``XJ_CA_POLICIES`` / ``XJ_CA_PERSON_POLICIES`` values that name these policies for the dev roots.

Two clocks, as on the platform: certificate validity is placed around ``now``, the business
instant under test (``--now``, default ``XJ_FAKE_NOW``), because the platform judges a login
certificate at business time; CRLs (thisUpdate, nextUpdate, revocation dates) always carry real
wall-clock time, because their freshness is housekeeping.

FOR DEVELOPMENT AND TESTS ONLY: keys are unencrypted files.
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from . import sm2

FAMILIES = ("rsa", "sm2")
ALGORITHMS = ("rsa", "ecdsa", "sm2")
ROOT_YEARS = 20
ROOT_BACKDATE_DAYS = 2 * 365  # roots outlive any business date a test travels to
CRL_DAYS = 30
# the dev CA's certificate policies: UUID-based OIDs (ITU-T X.667, arc 2.25), nobody else's
ENTERPRISE_POLICY_OID = "2.25.50665953391598109218785395827305160896"
PERSON_POLICY_OID = "2.25.40832957453078592813346015269286555964"
POLICIES = {"enterprise": ENTERPRISE_POLICY_OID, "person": PERSON_POLICY_OID}
EKU_NAMES = {
    "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "serverAuth": ExtendedKeyUsageOID.SERVER_AUTH,
    "emailProtection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "codeSigning": ExtendedKeyUsageOID.CODE_SIGNING,
}
ROOT_NAMES = {
    "rsa": "XJ Dev Root CA (RSA)",
    "sm2": "XJ Dev Root CA (SM2)",
}
_DEV_ORG = "xjcloud development - NOT FOR PRODUCTION"
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class DevCaError(Exception):
    """A request the dev CA refuses (missing CA, bad USCC, unknown key...)."""


@dataclass(frozen=True)
class DevCA:
    directory: Path

    @property
    def roots_pem(self) -> Path:
        return self.directory / "roots.pem"

    def root_cert_path(self, family: str) -> Path:
        return self.directory / f"root-{family}.pem"

    def root_key_path(self, family: str) -> Path:
        return self.directory / f"root-{family}.key.pem"

    def crl_path(self, family: str) -> Path:
        return self.directory / f"crl-{family}.pem"

    @property
    def crl_paths(self) -> list[Path]:
        return [self.crl_path(family) for family in FAMILIES]

    def root_cert(self, family: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.root_cert_path(family).read_bytes())

    def root_key(self, family: str):
        data = self.root_key_path(family).read_bytes()
        return sm2.load_private_key(data) if family == "sm2" else serialization.load_pem_private_key(data, None)

    def has_root(self, family: str) -> bool:
        return self.root_cert_path(family).exists() and self.root_key_path(family).exists()

    def exists(self) -> bool:
        return all(self.has_root(family) for family in FAMILIES)


@dataclass(frozen=True)
class Issued:
    cert_path: Path
    key_path: Path
    uscc: str | None
    name: str
    algorithm: str
    serial: int


def is_valid_uscc(value: str) -> bool:
    """GB 32100: the mod-31 check character, and the GB 11714 organisation-code check of
    characters 9-17 (the same rule as ``xjkit.validators.check_uscc``, which the login applies)."""
    if len(value) != 18 or any(ch not in _USCC_CHARSET for ch in value):
        return False
    total = sum(_USCC_CHARSET.index(ch) * w for ch, w in zip(value, _USCC_WEIGHTS))
    if _USCC_CHARSET[(31 - total % 31) % 31] != value[17]:
        return False
    if value[0] not in "123456789ANY" or value[1] not in "123456789" or not value[2:8].isdigit():
        return False
    body = value[8:16]
    org = 11 - sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(org, str(org)) == value[16]


def init_ca(directory, *, force: bool = False, now: datetime | None = None) -> DevCA:
    """Create both roots, their (empty) CRLs and ``roots.pem``. Existing roots are kept unless
    ``force``; missing CRLs or bundle are (re)written either way. The roots are valid from two
    years before ``now`` (the business instant; default: real now) for twenty years."""
    ca = DevCA(Path(directory))
    ca.directory.mkdir(parents=True, exist_ok=True)
    now = _utc(now)
    for family, write_root in (("rsa", _write_rsa_root), ("sm2", _write_sm2_root)):
        if force or not ca.has_root(family):
            write_root(ca, now)
            ca.crl_path(family).unlink(missing_ok=True)  # it belonged to the old root
        if not ca.crl_path(family).exists():
            _write_crl(ca, family, [], _utc(None))
    bundle = b"".join(ca.root_cert_path(family).read_bytes() for family in FAMILIES)
    if not ca.roots_pem.exists() or ca.roots_pem.read_bytes() != bundle:
        ca.roots_pem.write_bytes(bundle)
    return ca


def issue(
    directory,
    *,
    name: str,
    uscc: str | None,
    algorithm: str = "rsa",
    days: int = 365,
    not_before: datetime | None = None,
    expired: bool = False,
    out=None,
    allow_invalid_uscc: bool = False,
    now: datetime | None = None,
    eku=("clientAuth",),
    policy: str | None = "enterprise",
    person: str | None = None,
) -> Issued:
    """An enterprise login certificate: subject C=CN, O=name, CN=name, serialNumber=uscc (omitted
    when ``uscc`` is None). rsa/ecdsa are issued by the RSA root, sm2 by the SM2 root. ``expired``
    makes one that ended yesterday; ``not_before`` (default now) starts it later or earlier.
    ``eku``: extendedKeyUsage names (empty: no extension); ``policy``: "enterprise", "person" or
    None (no certificatePolicies). ``person``: a resident ID number; makes a person's certificate
    (subject C=CN, CN=name, serialNumber=the ID number, person policy) instead of an enterprise's."""
    ca = _existing(directory)
    if algorithm not in ALGORITHMS:
        raise DevCaError(f"unknown algorithm {algorithm!r} (rsa, ecdsa or sm2)")
    unknown = [name for name in eku if name not in EKU_NAMES]
    if unknown:
        raise DevCaError(f"unknown extended key usage {', '.join(unknown)} ({', '.join(EKU_NAMES)})")
    if person is not None:
        if uscc is not None:
            raise DevCaError("a person's certificate carries an ID number, not a USCC")
        policy = "person" if policy == "enterprise" else policy
    if policy is not None and policy not in POLICIES:
        raise DevCaError(f"unknown policy {policy!r} (enterprise, person or none)")
    if uscc is not None:
        uscc = uscc.strip().upper()
        if not allow_invalid_uscc and not is_valid_uscc(uscc):
            raise DevCaError(f"{uscc} is not a valid unified social credit code (GB 32100)")
    if days < 1:
        raise DevCaError("--days must be at least 1")
    now = _utc(now)
    if expired:
        if not_before is not None:
            raise DevCaError("--expired and --not-before exclude each other")
        start = now - timedelta(days=days + 1)
    else:
        start = _utc(not_before) if not_before is not None else now - timedelta(minutes=5)
    end = start + timedelta(days=days)

    if person is not None:
        attributes = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, person.strip().upper()),
        ]
    else:
        attributes = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
        if uscc is not None:
            attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, uscc))
    subject = x509.Name(attributes)
    serial = x509.random_serial_number()
    family = "sm2" if algorithm == "sm2" else "rsa"
    issuer_cert, issuer_key = ca.root_cert(family), ca.root_key(family)
    extensions = [
        x509.Extension(x509.BasicConstraints.oid, True, x509.BasicConstraints(ca=False, path_length=None)),
        x509.Extension(x509.KeyUsage.oid, True, _key_usage(digital_signature=True, content_commitment=True)),
        x509.Extension(x509.AuthorityKeyIdentifier.oid, False, _aki(issuer_cert)),
    ]
    if eku:
        extensions.append(x509.Extension(x509.ExtendedKeyUsage.oid, False,
                                         x509.ExtendedKeyUsage([EKU_NAMES[name] for name in eku])))
    if policy is not None:
        extensions.append(x509.Extension(x509.CertificatePolicies.oid, False, x509.CertificatePolicies(
            [x509.PolicyInformation(x509.ObjectIdentifier(POLICIES[policy]), None)])))

    if algorithm == "sm2":
        key = sm2.Sm2PrivateKey.generate()
        extensions.append(
            x509.Extension(x509.SubjectKeyIdentifier.oid, False, x509.SubjectKeyIdentifier(key.key_identifier()))
        )
        cert = sm2.build_certificate(
            issuer_key=issuer_key,
            issuer=issuer_cert.subject,
            subject=subject,
            subject_spki_der=key.spki_der(),
            serial=serial,
            not_before=start,
            not_after=end,
            extensions=extensions,
        )
        key_pem = key.private_pem()
    else:
        key = rsa.generate_private_key(65537, 2048) if algorithm == "rsa" else ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        )
        for extension in extensions:
            builder = builder.add_extension(extension.value, extension.critical)
        cert = builder.sign(issuer_key, hashes.SHA256())
        key_pem = _private_pem(key)

    if out is None:
        label = uscc if uscc is not None else (f"person-{serial:x}" if person else f"no-uscc-{serial:x}")[:24]
        out = ca.directory / "issued" / f"{label}-{algorithm}"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = Path(f"{out}.cert.pem"), Path(f"{out}.key.pem")
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_secret(key_path, key_pem)
    return Issued(cert_path, key_path, uscc, name, algorithm, serial)


def policy_settings(directory) -> dict[str, str]:
    """``XJ_CA_POLICIES`` and ``XJ_CA_PERSON_POLICIES`` for this CA: its two roots, each with the
    dev enterprise (person) certificate policy."""
    ca = _existing(directory)
    subjects = [ca.root_cert(family).subject.rfc4514_string() for family in FAMILIES]
    return {
        "XJ_CA_POLICIES": ";".join(f"{subject}={ENTERPRISE_POLICY_OID}" for subject in subjects),
        "XJ_CA_PERSON_POLICIES": ";".join(f"{subject}={PERSON_POLICY_OID}" for subject in subjects),
    }


def environment(directory) -> dict[str, str]:
    """What identity-svc needs to trust this CA: roots, CRLs and policies."""
    ca = _existing(directory)
    return {
        "XJ_CA_ROOTS": str(ca.roots_pem),
        "XJ_CA_CRLS": ",".join(str(path) for path in ca.crl_paths),
        **policy_settings(directory),
    }


def refresh_crls(directory, *, now: datetime | None = None) -> list[Path]:
    """Re-sign both CRLs at ``now`` (default: real now), keeping every entry and counting the CRL
    number up, so they are current for another CRL_DAYS whenever the CA was made (the launcher
    does this at every start)."""
    ca = _existing(directory)
    now = _utc(now)
    for family in FAMILIES:
        revoked, number = _current_crl(ca, family)
        _write_crl(ca, family, revoked, now, number + 1)
    return ca.crl_paths


def _current_crl(ca: DevCA, family: str) -> tuple[list, int]:
    """(entries as (serial, revocation date), CRL number) of the family's CRL; nothing if absent."""
    crl_path = ca.crl_path(family)
    if not crl_path.exists():
        return [], 0
    current = x509.load_pem_x509_crl(crl_path.read_bytes())
    revoked = [(entry.serial_number, entry.revocation_date_utc) for entry in current]
    try:
        number = current.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        number = 0
    return revoked, number


def revoke(directory, cert_path, *, now: datetime | None = None) -> Path:
    """Add the certificate's serial to its root's CRL and rewrite that CRL; returns the CRL path.
    ``now`` is the wall-clock instant of the revocation (default: real now), never a business one."""
    ca = _existing(directory)
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    family = "sm2" if cert.signature_algorithm_oid.dotted_string == sm2.SM2_WITH_SM3_OID else "rsa"
    if not _issued_by(cert, ca.root_cert(family)):
        raise DevCaError(f"{cert_path} was not issued by the {family} root in {ca.directory}")
    now = _utc(now)
    crl_path = ca.crl_path(family)
    revoked, number = _current_crl(ca, family)
    if all(serial != cert.serial_number for serial, _ in revoked):
        revoked.append((cert.serial_number, now))
    _write_crl(ca, family, revoked, now, number + 1)
    return crl_path


def sign_nonce(key_pem: bytes, nonce: bytes, algorithm: str = "auto") -> bytes:
    """What the USB-key helper returns for a login nonce: RSA PKCS#1 v1.5 SHA-256, ECDSA SHA-256
    (DER) or SM2 with SM3 and ID 1234567812345678 (DER)."""
    actual, key = load_private_key(key_pem)
    if algorithm not in ("auto", actual):
        raise DevCaError(f"the key is {actual}, not {algorithm}")
    if actual == "rsa":
        return key.sign(nonce, padding.PKCS1v15(), hashes.SHA256())
    if actual == "ecdsa":
        return key.sign(nonce, ec.ECDSA(hashes.SHA256()))
    return key.sign(nonce)


def load_private_key(data: bytes):
    """(algorithm, key) for an unencrypted PEM key: RSA, EC (ecdsa) or SM2."""
    try:
        key = serialization.load_pem_private_key(data, None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        try:
            return "sm2", sm2.load_private_key(data)
        except (ValueError, IndexError, TypeError):
            raise DevCaError("not an unencrypted PEM RSA, EC or SM2 private key") from None
    if isinstance(key, rsa.RSAPrivateKey):
        return "rsa", key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ecdsa", key
    raise DevCaError(f"unsupported key type {type(key).__name__}")


SAMPLE_BACKDATE_DAYS = 365
SAMPLE_DAYS = 3650


def sample(directory, data_path, *, now: datetime | None = None, keep_current: bool = False) -> list[Issued]:
    """One RSA certificate per enterprise of a national-platform dataset (and an ECDSA and an SM2
    one for the first), into ``<dir>/sample/``, listed in ``sample/index.json``. Creates the CA if
    needed. ``keep_current``: keep the samples already there when every one carries what a login
    needs today (the enterprise-certificate policy); samples an older tool made are issued anew."""
    ca = init_ca(directory, now=now)
    if keep_current:
        current = _current_samples(ca)
        if current is not None:
            return current
    enterprises = json.loads(Path(data_path).read_text(encoding="utf-8"))["enterprises"]
    issued = []
    for index, enterprise in enumerate(enterprises):
        for algorithm in ALGORITHMS if index == 0 else ("rsa",):
            issued.append(
                issue(
                    ca.directory,
                    name=enterprise["name"],
                    uscc=enterprise["uscc"],
                    algorithm=algorithm,
                    out=ca.directory / "sample" / f"{enterprise['uscc']}-{algorithm}",
                    # valid from a year before the business instant for ten years: a platform whose
                    # business clock (XJ_FAKE_NOW) travels within that span logs them in
                    not_before=_utc(now) - timedelta(days=SAMPLE_BACKDATE_DAYS),
                    days=SAMPLE_DAYS,
                    now=now,
                )
            )
    index_file = ca.directory / "sample" / "index.json"
    index_file.write_text(
        json.dumps(
            [
                {"uscc": i.uscc, "name": i.name, "algorithm": i.algorithm, "cert": str(i.cert_path), "key": str(i.key_path)}
                for i in issued
            ],
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return issued


def _current_samples(ca: DevCA) -> list[Issued] | None:
    """The samples listed in sample/index.json when all exist, were issued by this CA's roots and
    carry the enterprise-certificate policy; else None."""
    index_file = ca.directory / "sample" / "index.json"
    try:
        entries = json.loads(index_file.read_text(encoding="utf-8"))
        issued = []
        for entry in entries:
            cert = x509.load_pem_x509_certificate(Path(entry["cert"]).read_bytes())
            family = "sm2" if entry["algorithm"] == "sm2" else "rsa"
            policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
            if not Path(entry["key"]).exists() or not _issued_by(cert, ca.root_cert(family)):
                return None
            if ENTERPRISE_POLICY_OID not in {p.policy_identifier.dotted_string for p in policies}:
                return None
            issued.append(Issued(Path(entry["cert"]), Path(entry["key"]), entry["uscc"], entry["name"],
                                 entry["algorithm"], cert.serial_number))
        return issued or None
    except (OSError, ValueError, KeyError, TypeError, x509.ExtensionNotFound):
        return None


# --- internals ---------------------------------------------------------------------------------


def _root_name(family: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _DEV_ORG),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAMES[family]),
        ]
    )


def _root_extensions(ski: x509.SubjectKeyIdentifier) -> list[x509.Extension]:
    return [
        x509.Extension(x509.BasicConstraints.oid, True, x509.BasicConstraints(ca=True, path_length=None)),
        x509.Extension(x509.KeyUsage.oid, True, _key_usage(key_cert_sign=True, crl_sign=True, digital_signature=True)),
        x509.Extension(x509.SubjectKeyIdentifier.oid, False, ski),
        x509.Extension(
            x509.AuthorityKeyIdentifier.oid,
            False,
            x509.AuthorityKeyIdentifier(ski.digest, None, None),
        ),
    ]


def _write_rsa_root(ca: DevCA, now: datetime) -> None:
    key = rsa.generate_private_key(65537, 2048)
    name = _root_name("rsa")
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=ROOT_BACKDATE_DAYS))
        .not_valid_after(now + timedelta(days=365 * ROOT_YEARS))
    )
    for extension in _root_extensions(x509.SubjectKeyIdentifier.from_public_key(key.public_key())):
        builder = builder.add_extension(extension.value, extension.critical)
    cert = builder.sign(key, hashes.SHA256())
    _write_secret(ca.root_key_path("rsa"), _private_pem(key))
    ca.root_cert_path("rsa").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _write_sm2_root(ca: DevCA, now: datetime) -> None:
    key = sm2.Sm2PrivateKey.generate()
    name = _root_name("sm2")
    cert = sm2.build_certificate(
        issuer_key=key,
        issuer=name,
        subject=name,
        subject_spki_der=key.spki_der(),
        serial=x509.random_serial_number(),
        not_before=now - timedelta(days=ROOT_BACKDATE_DAYS),
        not_after=now + timedelta(days=365 * ROOT_YEARS),
        extensions=_root_extensions(x509.SubjectKeyIdentifier(key.key_identifier())),
    )
    _write_secret(ca.root_key_path("sm2"), key.private_pem())
    ca.root_cert_path("sm2").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _write_crl(ca: DevCA, family: str, revoked: list, now: datetime, number: int = 1) -> None:
    root, key = ca.root_cert(family), ca.root_key(family)
    extensions = [
        x509.Extension(x509.AuthorityKeyIdentifier.oid, False, _aki(root)),
        x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(number)),
    ]
    this_update, next_update = now, now + timedelta(days=CRL_DAYS)
    if family == "sm2":
        crl = sm2.build_crl(
            issuer_key=key,
            issuer=root.subject,
            this_update=this_update,
            next_update=next_update,
            revoked=revoked,
            extensions=extensions,
        )
    else:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(root.subject)
            .last_update(this_update)
            .next_update(next_update)
        )
        for extension in extensions:
            builder = builder.add_extension(extension.value, extension.critical)
        for serial, when in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
            )
        crl = builder.sign(key, hashes.SHA256())
    ca.crl_path(family).write_bytes(crl.public_bytes(serialization.Encoding.PEM))


def _issued_by(cert: x509.Certificate, root: x509.Certificate) -> bool:
    if cert.issuer != root.subject:
        return False
    if cert.signature_algorithm_oid.dotted_string == sm2.SM2_WITH_SM3_OID:
        point = sm2.certificate_point(root)
        return point is not None and sm2.verify(point, cert.signature, cert.tbs_certificate_bytes)
    try:
        cert.verify_directly_issued_by(root)
        return True
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False


def _aki(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _key_usage(**flags) -> x509.KeyUsage:
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


def _private_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _existing(directory) -> DevCA:
    ca = DevCA(Path(directory))
    if not ca.exists():
        raise DevCaError(f"no dev CA in {directory}: run `xj-dev-ca init --dir {directory}` first")
    return ca


def _utc(value: datetime | None) -> datetime:
    """UTC, whole seconds (certificate times have no fractions); naive means Asia/Shanghai (+08:00)."""
    if value is None:
        value = datetime.now(timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=timezone(timedelta(hours=8)))
    return value.astimezone(timezone.utc).replace(microsecond=0)
