"""A development CA (made with the project's own tool, xjdevca) for the CA-login tests.

Helpers reach the tests as the ``helpers`` fixture (no test module imports another, whatever the
import mode).
"""

import base64
import importlib.util
import os
import sys
from types import SimpleNamespace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_DEVCA = Path(__file__).resolve().parents[4] / "deploy" / "devca"
if importlib.util.find_spec("xjdevca") is None:  # not yet `pip install -e deploy/devca`
    sys.path.insert(0, str(_DEVCA))

import xjdevca  # noqa: E402

from identity.adapters.ca import CaPolicies, TrustStore, verify_login  # noqa: E402

# from the development dataset (deploy/stubs/xjstubs/data/national-platform.json)
USCC = "9151010029141777XB"
NAME = "四川黄河建设集团有限公司"
OTHER_USCC = "91610100859574891U"


@pytest.fixture(scope="session")
def now():
    return datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture(scope="session")
def dev_ca(tmp_path_factory, now):
    return xjdevca.init_ca(tmp_path_factory.mktemp("dev-ca"), now=now - timedelta(days=1))


@pytest.fixture(scope="session")
def impostor_ca(tmp_path_factory, now):
    """A second, unrelated dev CA: same root names, other keys."""
    return xjdevca.init_ca(tmp_path_factory.mktemp("impostor-ca"), now=now - timedelta(days=1))


def dev_policies(ca) -> CaPolicies:
    """XJ_CA_POLICIES / XJ_CA_PERSON_POLICIES naming the dev CA's roots, as the platform runs it."""
    settings = xjdevca.policy_settings(ca.directory)
    return CaPolicies.parse(settings["XJ_CA_POLICIES"], settings["XJ_CA_PERSON_POLICIES"])


@pytest.fixture(scope="session")
def policies(dev_ca):
    return dev_policies(dev_ca)


@pytest.fixture(scope="session")
def trust(dev_ca, policies):
    return TrustStore.from_files(dev_ca.roots_pem, dev_ca.crl_paths, policies=policies)


@pytest.fixture(scope="session")
def trust_of(dev_ca, policies):
    """trust_of(roots_pem=None, crls=None, **settings): a TrustStore like the platform's, over other
    roots (PEM text/bytes) or CRLs (a list of PEM/DER bytes), with the dev CA's policies."""

    def _trust(roots_pem=None, crls=None, **settings):
        settings.setdefault("policies", policies)
        roots = roots_pem if roots_pem is not None else dev_ca.roots_pem.read_bytes()
        if crls is None:
            crls = [path.read_bytes() for path in dev_ca.crl_paths]
        return TrustStore.from_pem(roots, crls, **settings)

    return _trust


@pytest.fixture(scope="session")
def issue(dev_ca, tmp_path_factory, now):
    """issue(alg, **options) -> xjdevca.Issued, from the dev CA unless ca= says otherwise."""
    out_dir = tmp_path_factory.mktemp("issued")
    counter = iter(range(10**6))

    def _issue(algorithm="rsa", *, ca=None, uscc=USCC, name=NAME, **options):
        options.setdefault("now", now)
        return xjdevca.issue(
            (ca or dev_ca).directory,
            name=name,
            uscc=uscc,
            algorithm=algorithm,
            out=out_dir / f"{next(counter)}-{algorithm}",
            **options,
        )

    return _issue


@pytest.fixture(scope="session")
def certs(issue):
    """One valid certificate per algorithm, shared by the tests that do not change it."""
    return {algorithm: issue(algorithm) for algorithm in ("rsa", "ecdsa", "sm2")}


def sign(issued_or_key, nonce: bytes) -> str:
    """Base64 signature over the nonce, as the CA lock's browser helper returns it."""
    key_path = getattr(issued_or_key, "key_path", issued_or_key)
    return base64.b64encode(xjdevca.sign_nonce(Path(key_path).read_bytes(), nonce)).decode()


@pytest.fixture(scope="session")
def login(trust, now):
    """login(issued, nonce=None, signature=None, trust=None, now=None, cert_pem=None, wall_now=None)
    -> VerifiedCertificate. ``now``: the business instant; ``wall_now``: the real one (CRL freshness)."""

    def _login(issued=None, *, nonce=None, signature=None, trust=trust, now=now, cert_pem=None, wall_now=None):
        nonce = nonce if nonce is not None else os.urandom(32)
        if cert_pem is None:
            cert_pem = issued.cert_path.read_text()
        if signature is None:
            signature = sign(issued, nonce)
        return verify_login(cert_pem, signature, nonce, trust, now, wall_now=wall_now)

    return _login


DEFAULT = object()  # make_cert: "what a well-formed certificate of this kind carries"


@pytest.fixture(scope="session")
def make_cert(now):
    """make_cert(issuer_cert, issuer_key, subject, key=None, ca=False, path_length=None,
    key_usage=DEFAULT, eku=DEFAULT, policies=DEFAULT, basic_constraints=True, days=365,
    not_before=None) -> (certificate, private key): certificates the dev tool does not make
    (intermediates, forged chains, encryption-only certificates...), RSA, SHA-256, by cryptography.

    By default a CA gets keyUsage keyCertSign + cRLSign; an end entity keyUsage digitalSignature,
    extendedKeyUsage clientAuth and the dev enterprise-certificate policy, i.e. what a login needs.
    ``None`` leaves an extension out; ``basic_constraints=False`` leaves basicConstraints out."""

    def _make(issuer_cert, issuer_key, subject, *, key=None, ca=False, path_length=None, key_usage=DEFAULT,
              eku=DEFAULT, policies=DEFAULT, basic_constraints=True, days=365, not_before=None):
        key = key or rsa.generate_private_key(65537, 2048)
        if isinstance(subject, str):
            subject = x509.Name.from_rfc4514_string(subject)
        if key_usage is DEFAULT:
            key_usage = _key_usage(key_cert_sign=True, crl_sign=True) if ca else _key_usage(digital_signature=True)
        if eku is DEFAULT:
            eku = None if ca else [ExtendedKeyUsageOID.CLIENT_AUTH]
        if policies is DEFAULT:
            policies = None if ca else [xjdevca.ENTERPRISE_POLICY_OID]
        start = not_before or now - timedelta(days=1)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=days))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        )
        if basic_constraints:
            builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None),
                                            critical=True)
        if key_usage is not None:
            builder = builder.add_extension(key_usage, critical=True)
        if eku is not None:
            builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        if policies is not None:
            builder = builder.add_extension(x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier(oid), None) for oid in policies]), critical=False)
        certificate = builder.sign(issuer_key or key, hashes.SHA256())
        return certificate, key

    return _make


def key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def sign_with(key, nonce: bytes) -> str:
    """Base64 signature over the nonce with a cryptography private key (via the dev tool)."""
    return base64.b64encode(xjdevca.sign_nonce(key_pem(key), nonce)).decode()


def pem(*certificates) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def enterprise_name(uscc=USCC, name=NAME) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, uscc),
        ]
    )


def key_usage(**flags) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


_key_usage = key_usage


@pytest.fixture(scope="session")
def helpers():
    return SimpleNamespace(
        USCC=USCC, NAME=NAME, OTHER_USCC=OTHER_USCC,
        sign=sign, sign_with=sign_with, key_pem=key_pem, pem=pem, enterprise_name=enterprise_name,
        key_usage=key_usage, DEFAULT=DEFAULT,
    )
