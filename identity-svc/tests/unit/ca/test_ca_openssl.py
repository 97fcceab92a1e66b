"""Certificates, CRLs and signatures made by the ``openssl`` command (not by the project's tool) log in.

OpenSSL 3.0 signs and verifies SM2 with an EMPTY user ID unless told ``distid:1234567812345678``;
USB keys and GM/T 0015 use the default ID. Certificates and CRLs are accepted either way; the login
signature must use the default ID (the API contract), so openssl needs ``-sigopt distid:…`` there.
"""

import base64
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from cryptography import x509

from identity.adapters.ca import (
    CA_CERT_NOT_ENTERPRISE,
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CA_SIGNATURE_INVALID,
    CaLoginError,
    CaPolicies,
    TrustStore,
    verify_login,
)

import xjdevca
from xjdevca import ENTERPRISE_POLICY_OID

OPENSSL = shutil.which("openssl")
DISTID = "distid:1234567812345678"
USCC = "9151010029141777XB"
NAME = "四川黄河建设集团有限公司"
SUBJECT = f"/C=CN/O={NAME}/CN={NAME}/serialNumber={USCC}"
OTHER_USCC = "91610100859574891U"
OTHER_SUBJECT = f"/C=CN/O=陕西华西建设监理咨询有限公司/CN=陕西华西建设监理咨询有限公司/serialNumber={OTHER_USCC}"

pytestmark = pytest.mark.skipif(OPENSSL is None, reason="no openssl command on this machine")


def _openssl_version():
    if OPENSSL is None:
        return "no openssl"
    return subprocess.run([OPENSSL, "version"], capture_output=True, text=True).stdout.strip()


def _has_sm2():
    if OPENSSL is None:
        return False
    probe = subprocess.run([OPENSSL, "genpkey", "-algorithm", "SM2"], capture_output=True)
    return probe.returncode == 0 and b"PRIVATE KEY" in probe.stdout


needs_sm2 = pytest.mark.skipif(
    not _has_sm2(), reason=f"{_openssl_version()} cannot make SM2 keys (needs OpenSSL >= 1.1.1 built with SM2)"
)

# the extensions of a CA certificate, in sections root, intermediate and intermediate_pathlen0
CA_SECTION = """\
[{section}]
basicConstraints = critical, CA:TRUE{pathlen}
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""

CONFIG = """\
[req]
distinguished_name = dn
[dn]
""" + "".join(CA_SECTION.format(section=section, pathlen=pathlen) for section, pathlen in (
    ("root", ""), ("intermediate", ""), ("intermediate_pathlen0", ", pathlen:0"))) + """\
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth
certificatePolicies = {policy}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_bare]
extendedKeyUsage = clientAuth
certificatePolicies = {policy}
[leaf_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca]
default_ca = test
[test]
database = index.txt
crlnumber = crlnumber
default_md = {digest}
default_crl_days = 30
"""

KEY_OPTIONS = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "ecdsa": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "ecdsa-p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "sm2": ["-algorithm", "SM2"],
}


def openssl(*args, cwd):
    done = subprocess.run([OPENSSL, *map(str, args)], cwd=cwd, capture_output=True)
    assert done.returncode == 0, f"openssl {' '.join(map(str, args))}\n{done.stderr.decode(errors='replace')}"
    return done.stdout


class OpenSslCa:
    """A CA made by the openssl command: a root (`openssl req -x509`), or an intermediate signed by
    ``parent`` (`openssl x509 -req`, extensions section ``section``); leaves by `openssl x509 -req`,
    CRLs by `openssl ca -gencrl`. Every CA starts with an empty CRL of its own (``self.crl``)."""

    def __init__(self, directory: Path, kind: str, *, distid: bool = False, parent: "OpenSslCa | None" = None,
                 section: str = "intermediate", name: str | None = None):
        self.dir = directory
        self.kind = kind
        self.digest = "sm3" if kind == "sm2" else ("sha384" if kind == "ecdsa-p384" else "sha256")
        self.sign_options = ["-sigopt", DISTID] if distid else []
        self.verify_options = ["-vfyopt", DISTID] if distid else []
        self.distid = distid
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "openssl.cnf").write_text(CONFIG.format(digest=self.digest, policy=ENTERPRISE_POLICY_OID))
        (directory / "index.txt").write_text("")
        (directory / "crlnumber").write_text("01\n")
        self.key(kind, "ca.key")
        subject = f"/C=CN/O=OpenSSL test/CN={name or f'OpenSSL {kind} root'}"
        if parent is None:
            self.run("req", "-x509", "-new", "-key", "ca.key", f"-{self.digest}", *self.sign_options,
                     "-config", "openssl.cnf", "-extensions", "root", "-subj", subject, "-days", "3650", "-out", "ca.pem")
        else:
            self.run("req", "-new", "-key", "ca.key", f"-{self.digest}", *self.sign_options, "-config", "openssl.cnf",
                     "-subj", subject, "-out", "ca.csr")
            parent.sign_request(self.dir / "ca.csr", self.dir / "ca.pem", section, self.verify_options)
        self.cert = directory / "ca.pem"
        self.root = self.cert
        self.crl = self.gencrl()

    def run(self, *args):
        return openssl(*args, cwd=self.dir)

    def key(self, kind: str, name: str) -> Path:
        self.run("genpkey", *KEY_OPTIONS[kind], "-out", name)
        return self.dir / name

    def sign_request(self, csr: Path, out: Path, section: str, csr_check=()):
        self.run("x509", "-req", "-in", csr, "-CA", "ca.pem", "-CAkey", "ca.key", f"-{self.digest}",
                 *self.sign_options, *csr_check, "-days", "365", "-extfile", "openssl.cnf", "-extensions", section,
                 "-CAcreateserial", "-out", out)

    def leaf(self, kind: str, name: str, subject: str = SUBJECT, section: str = "leaf") -> tuple[Path, Path]:
        key = self._key_and_request(kind, name, subject)
        self.sign_request(self.dir / f"{name}.csr", self.dir / f"{name}.pem", section,
                          self.verify_options if kind == "sm2" else [])
        return self.dir / f"{name}.pem", key

    def _key_and_request(self, kind: str, name: str, subject: str) -> Path:
        """A new key ``<name>.key`` and its certificate request ``<name>.csr``; returns the key."""
        key = self.key(kind, f"{name}.key")
        csr_options = ["-sm3", *self.sign_options] if kind == "sm2" else ["-sha256"]
        self.run("req", "-new", "-key", key.name, *csr_options, "-config", "openssl.cnf", "-utf8", "-subj", subject,
                 "-out", f"{name}.csr")
        return key

    def forge_with(self, issuer_cert: Path, issuer_key: Path, kind: str, name: str, subject: str) -> tuple[Path, Path]:
        """A leaf signed by any certificate's key (an enterprise's own login certificate, say)."""
        key = self._key_and_request(kind, name, subject)
        self.run("x509", "-req", "-in", f"{name}.csr", "-CA", issuer_cert, "-CAkey", issuer_key, f"-{self.digest}",
                 *self.sign_options, *(self.verify_options if kind == "sm2" else []), "-days", "365",
                 "-extfile", "openssl.cnf", "-extensions", "leaf", "-CAcreateserial", "-out", f"{name}.pem")
        return self.dir / f"{name}.pem", key

    def _ca_options(self):
        return ["-config", "openssl.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-md", self.digest]

    def gencrl(self) -> Path:
        self.run("ca", "-gencrl", *self._ca_options(), *self.sign_options, "-out", "crl.pem")
        return self.dir / "crl.pem"

    def revoke(self, cert: Path) -> Path:
        self.run("ca", "-revoke", cert, *self._ca_options())
        return self.gencrl()

    def key_id(self) -> str:
        cert = x509.load_pem_x509_certificate(self.cert.read_bytes())
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest.hex(":")

    def trust(self, *crls: Path) -> TrustStore:
        """This CA's root as the trust anchor, its enterprise policy named by subjectKeyIdentifier;
        CRLs: those given, else this CA's own."""
        return TrustStore.from_files(self.cert, list(crls) or [self.crl],
                                     policies=CaPolicies.parse(f"{self.key_id()}={ENTERPRISE_POLICY_OID}"))


def sign(key: Path, nonce: bytes, kind: str, *, method: str = "dgst", distid: bool = True) -> str:
    """The signature over the nonce, made by openssl the way a CA-lock helper would."""
    nonce_file = key.parent / f"nonce-{os.urandom(4).hex()}.bin"
    nonce_file.write_bytes(nonce)
    sig_file = nonce_file.with_suffix(".sig")
    if kind == "sm2" and method == "pkeyutl":
        options = ["-pkeyopt", DISTID] if distid else []
        openssl("pkeyutl", "-sign", "-inkey", key, "-rawin", "-digest", "sm3", *options, "-in", nonce_file,
                "-out", sig_file, cwd=key.parent)
    else:
        digest = ["-sm3", *(["-sigopt", DISTID] if distid else [])] if kind == "sm2" else ["-sha256"]
        openssl("dgst", *digest, "-sign", key, "-out", sig_file, nonce_file, cwd=key.parent)
    return base64.b64encode(sig_file.read_bytes()).decode()


def login(cert: Path, key: Path, kind: str, trust: TrustStore, at, *, chain=(), **sign_options):
    """Log in with ``cert`` followed by the intermediate CA certificates ``chain`` (PEM files)."""
    nonce = os.urandom(32)
    presented = cert.read_text() + "".join(Path(c).read_text() for c in chain)
    return verify_login(presented, sign(key, nonce, kind, **sign_options), nonce, trust, at)


def refused_code(*args, **kwargs):
    with pytest.raises(CaLoginError) as caught:
        login(*args, **kwargs)
    return caught.value.code


@pytest.fixture
def at():
    """A minute from now: openssl starts its certificates at the second it makes them."""
    return datetime.now(timezone.utc) + timedelta(minutes=1)


@pytest.fixture(scope="module")
def rsa_ca(tmp_path_factory):
    return OpenSslCa(tmp_path_factory.mktemp("openssl-rsa"), "rsa")


@pytest.fixture(scope="module")
def sm2_cas(tmp_path_factory):
    """An SM2 root signing with the GM/T default ID, and one with OpenSSL 3.0's default (empty) ID."""
    if not _has_sm2():
        pytest.skip(f"{_openssl_version()} has no SM2")
    return {
        "distid": OpenSslCa(tmp_path_factory.mktemp("openssl-sm2-distid"), "sm2", distid=True),
        "openssl-default-id": OpenSslCa(tmp_path_factory.mktemp("openssl-sm2-default"), "sm2"),
    }


# --- RSA / ECDSA ------------------------------------------------------------------------------


def test_openssl_rsa_root_and_rsa_leaf_log_in_with_an_openssl_dgst_signature(rsa_ca, at):
    cert, key = rsa_ca.leaf("rsa", "rsa-leaf")
    verified = login(cert, key, "rsa", rsa_ca.trust(), at)
    assert (verified.uscc, verified.subject_name, verified.algorithm) == (USCC, NAME, "rsa")


def test_openssl_ecdsa_p256_leaf_under_the_openssl_rsa_root_logs_in(rsa_ca, at):
    cert, key = rsa_ca.leaf("ecdsa", "ec-leaf")
    assert login(cert, key, "ecdsa", rsa_ca.trust(), at).algorithm == "ecdsa"


def test_openssl_ecdsa_p384_root_with_sha384_signing_an_ecdsa_leaf_logs_in(tmp_path, at):
    ca = OpenSslCa(tmp_path, "ecdsa-p384")
    cert, key = ca.leaf("ecdsa", "leaf")
    assert login(cert, key, "ecdsa", ca.trust(), at).algorithm == "ecdsa"


def test_openssl_leaf_with_the_uscc_inside_a_cfca_style_cn_logs_in(rsa_ca, at):
    cert, key = rsa_ca.leaf("rsa", "cfca-leaf", subject=f"/C=CN/O={NAME}/CN=041@{USCC}@黄河建设@00000001")
    assert login(cert, key, "rsa", rsa_ca.trust(), at).uscc == USCC


def assert_its_crl_revokes(ca, kind, at):
    """Of two leaves of ``ca``, the one its new CRL lists is refused; the other still logs in."""
    cert, key = ca.leaf(kind, f"{kind}-revoked")
    kept, kept_key = ca.leaf(kind, f"{kind}-kept")
    trust = ca.trust(ca.revoke(cert))
    assert refused_code(cert, key, kind, trust, at) == CA_CERT_REVOKED
    assert login(kept, kept_key, kind, trust, at).uscc == USCC


def login_signed_by_dev_tool(ca, kind, name, at):
    """Log in with a leaf of ``ca`` whose openssl-made key signs through the dev tool (xjdevca)."""
    cert, key = ca.leaf(kind, name)
    nonce = os.urandom(32)
    signature = base64.b64encode(xjdevca.sign_nonce(key.read_bytes(), nonce)).decode()
    return verify_login(cert.read_text(), signature, nonce, ca.trust(), at)


def test_openssl_made_rsa_crl_revokes(tmp_path, at):
    assert_its_crl_revokes(OpenSslCa(tmp_path, "rsa"), "rsa", at)


def test_openssl_leaf_is_untrusted_by_the_dev_roots(rsa_ca, trust, at):
    cert, key = rsa_ca.leaf("rsa", "stranger")
    with pytest.raises(CaLoginError) as caught:
        login(cert, key, "rsa", trust, at)
    assert caught.value.code == CA_CERT_UNTRUSTED


@pytest.mark.parametrize("kind", ["rsa", "ecdsa"])
def test_dev_tool_signs_with_openssl_generated_keys(kind, rsa_ca, at):
    assert login_signed_by_dev_tool(rsa_ca, kind, f"devtool-{kind}", at).algorithm == kind


# --- SM2 --------------------------------------------------------------------------------------


@needs_sm2
@pytest.mark.parametrize("method", ["dgst", "pkeyutl"])
@pytest.mark.parametrize("certificate_id", ["distid", "openssl-default-id"])
def test_openssl_sm2_root_and_leaf_signed_with_sm3_log_in(certificate_id, method, sm2_cas, at):
    ca = sm2_cas[certificate_id]
    cert, key = ca.leaf("sm2", f"sm2-leaf-{method}")
    verified = login(cert, key, "sm2", ca.trust(), at, method=method)
    assert (verified.uscc, verified.algorithm) == (USCC, "sm2")


@needs_sm2
@pytest.mark.parametrize("method", ["dgst", "pkeyutl"])
def test_sm2_login_signature_made_without_the_default_id_is_refused(method, sm2_cas, at):
    """openssl without `distid:1234567812345678` signs with an empty ID: not what the API specifies."""
    ca = sm2_cas["distid"]
    cert, key = ca.leaf("sm2", f"sm2-no-distid-{method}")
    with pytest.raises(CaLoginError) as caught:
        login(cert, key, "sm2", ca.trust(), at, method=method, distid=False)
    assert caught.value.code == CA_SIGNATURE_INVALID


@needs_sm2
@pytest.mark.parametrize("certificate_id", ["distid", "openssl-default-id"])
def test_openssl_made_sm2_crl_revokes(certificate_id, tmp_path, at):
    assert_its_crl_revokes(OpenSslCa(tmp_path, "sm2", distid=certificate_id == "distid"), "sm2", at)


@needs_sm2
def test_dev_tool_signs_with_an_openssl_generated_sm2_key(sm2_cas, at):
    assert login_signed_by_dev_tool(sm2_cas["distid"], "sm2", "devtool-sm2", at).algorithm == "sm2"


# --- certification paths (RFC 5280 §6.1) with openssl-made chains -----------------------------

CHAIN_KINDS = ["rsa", "ecdsa", pytest.param("sm2", marks=needs_sm2)]


@pytest.fixture(scope="module", params=CHAIN_KINDS)
def hierarchy(request, tmp_path_factory):
    """One algorithm throughout: root → intermediate; root → intermediate with pathlen:0 → a
    second intermediate below it. Every CA has its CRL; the enterprise policy is named on the root."""
    kind = request.param
    base = tmp_path_factory.mktemp(f"openssl-chain-{kind}")
    distid = kind == "sm2"
    root = OpenSslCa(base / "root", kind, distid=distid)
    intermediate = OpenSslCa(base / "intermediate", kind, distid=distid, parent=root,
                             name=f"OpenSSL {kind} intermediate")
    limited = OpenSslCa(base / "limited", kind, distid=distid, parent=root, section="intermediate_pathlen0",
                        name=f"OpenSSL {kind} intermediate pathlen 0")
    below_limited = OpenSslCa(base / "below", kind, distid=distid, parent=limited,
                              name=f"OpenSSL {kind} intermediate under pathlen 0")
    trust = TrustStore.from_files(
        root.cert, [ca.crl for ca in (root, intermediate, limited, below_limited)],
        policies=CaPolicies.parse(f"{root.key_id()}={ENTERPRISE_POLICY_OID}"))
    return SimpleNamespace(kind=kind, root=root, intermediate=intermediate, limited=limited,
                           below_limited=below_limited, trust=trust)


def test_openssl_root_intermediate_leaf_logs_in_when_the_leaf_presents_its_intermediate(hierarchy, at):
    cert, key = hierarchy.intermediate.leaf(hierarchy.kind, "via-intermediate")
    verified = login(cert, key, hierarchy.kind, hierarchy.trust, at, chain=[hierarchy.intermediate.cert])
    assert verified.uscc == USCC
    assert verified.issuer == x509.load_pem_x509_certificate(hierarchy.intermediate.cert.read_bytes()).subject.rfc4514_string()


def test_openssl_leaf_directly_below_a_pathlen_0_intermediate_logs_in(hierarchy, at):
    cert, key = hierarchy.limited.leaf(hierarchy.kind, "below-pathlen0")
    assert login(cert, key, hierarchy.kind, hierarchy.trust, at, chain=[hierarchy.limited.cert]).uscc == USCC


def test_openssl_intermediate_below_a_pathlen_0_intermediate_cannot_issue_a_login_certificate(hierarchy, at):
    cert, key = hierarchy.below_limited.leaf(hierarchy.kind, "too-deep")
    chain = [hierarchy.below_limited.cert, hierarchy.limited.cert]
    assert refused_code(cert, key, hierarchy.kind, hierarchy.trust, at, chain=chain) == CA_CERT_UNTRUSTED


@pytest.mark.parametrize("section", ["leaf", "leaf_bare"], ids=["ca-false", "no-basic-constraints-no-key-usage"])
def test_openssl_enterprise_certificate_cannot_sign_a_certificate_for_another_enterprise(section, hierarchy, at):
    """The forged chain of issue 11: an enterprise's own login certificate (cA=FALSE, or without
    basicConstraints and keyUsage at all) signs one for another USCC and presents itself as its CA."""
    own, own_key = hierarchy.intermediate.leaf(hierarchy.kind, f"own-{section}", section=section)
    assert login(own, own_key, hierarchy.kind, hierarchy.trust, at, chain=[hierarchy.intermediate.cert]).uscc == USCC
    forged, forged_key = hierarchy.intermediate.forge_with(own, own_key, hierarchy.kind, f"forged-{section}",
                                                          OTHER_SUBJECT)
    chain = [own, hierarchy.intermediate.cert]
    assert refused_code(forged, forged_key, hierarchy.kind, hierarchy.trust, at, chain=chain) == CA_CERT_UNTRUSTED


def test_openssl_intermediate_on_the_roots_crl_refuses_its_leaves_as_revoked(tmp_path, at):
    root = OpenSslCa(tmp_path / "root", "rsa")
    intermediate = OpenSslCa(tmp_path / "intermediate", "rsa", parent=root, name="OpenSSL revoked intermediate")
    cert, key = intermediate.leaf("rsa", "under-revoked")
    trust = TrustStore.from_files(root.cert, [root.revoke(intermediate.cert), intermediate.crl],
                                  policies=CaPolicies.parse(f"{root.key_id()}={ENTERPRISE_POLICY_OID}"))
    assert refused_code(cert, key, "rsa", trust, at, chain=[intermediate.cert]) == CA_CERT_REVOKED


def test_openssl_server_auth_only_certificate_is_not_meant_for_enterprise_login(rsa_ca, at):
    cert, key = rsa_ca.leaf("rsa", "tls-server", section="leaf_server")
    assert refused_code(cert, key, "rsa", rsa_ca.trust(), at) == CA_CERT_NOT_ENTERPRISE
