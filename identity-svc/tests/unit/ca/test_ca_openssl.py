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

import pytest

from identity.adapters.ca import (
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CA_SIGNATURE_INVALID,
    CaLoginError,
    TrustStore,
    verify_login,
)

import xjdevca

OPENSSL = shutil.which("openssl")
DISTID = "distid:1234567812345678"
USCC = "9151010029141777XB"
NAME = "四川黄河建设集团有限公司"
SUBJECT = f"/C=CN/O={NAME}/CN={NAME}/serialNumber={USCC}"

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

CONFIG = """\
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
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
    """A root made by `openssl req -x509`, leaves by `openssl x509 -req`, CRLs by `openssl ca -gencrl`."""

    def __init__(self, directory: Path, root_kind: str, *, distid: bool = False):
        self.dir = directory
        self.digest = "sm3" if root_kind == "sm2" else ("sha384" if root_kind == "ecdsa-p384" else "sha256")
        self.sign_options = ["-sigopt", DISTID] if distid else []
        self.verify_options = ["-vfyopt", DISTID] if distid else []
        self.distid = distid
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "openssl.cnf").write_text(CONFIG.format(digest=self.digest))
        (directory / "index.txt").write_text("")
        (directory / "crlnumber").write_text("01\n")
        self.key(root_kind, "root.key")
        self.run("req", "-x509", "-new", "-key", "root.key", f"-{self.digest}", *self.sign_options,
                 "-config", "openssl.cnf", "-extensions", "root", "-subj", f"/C=CN/O=OpenSSL test/CN=OpenSSL {root_kind} root",
                 "-days", "3650", "-out", "root.pem")
        self.root = directory / "root.pem"

    def run(self, *args):
        return openssl(*args, cwd=self.dir)

    def key(self, kind: str, name: str) -> Path:
        self.run("genpkey", *KEY_OPTIONS[kind], "-out", name)
        return self.dir / name

    def leaf(self, kind: str, name: str, subject: str = SUBJECT) -> tuple[Path, Path]:
        key = self.key(kind, f"{name}.key")
        csr_options = ["-sm3", *self.sign_options] if kind == "sm2" else ["-sha256"]
        self.run("req", "-new", "-key", key.name, *csr_options, "-config", "openssl.cnf", "-utf8", "-subj", subject,
                 "-out", f"{name}.csr")
        csr_check = self.verify_options if kind == "sm2" else []
        self.run("x509", "-req", "-in", f"{name}.csr", "-CA", "root.pem", "-CAkey", "root.key", f"-{self.digest}",
                 *self.sign_options, *csr_check, "-days", "365", "-extfile", "openssl.cnf", "-extensions", "leaf",
                 "-CAcreateserial", "-out", f"{name}.pem")
        return self.dir / f"{name}.pem", key

    def revoke(self, cert: Path) -> Path:
        common = ["-config", "openssl.cnf", "-keyfile", "root.key", "-cert", "root.pem", "-md", self.digest]
        self.run("ca", "-revoke", cert.name, *common)
        self.run("ca", "-gencrl", *common, *self.sign_options, "-out", "crl.pem")
        return self.dir / "crl.pem"

    def trust(self, *crls: Path) -> TrustStore:
        return TrustStore.from_files(self.root, list(crls))


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


def login(cert: Path, key: Path, kind: str, trust: TrustStore, at, **sign_options):
    nonce = os.urandom(32)
    return verify_login(cert.read_text(), sign(key, nonce, kind, **sign_options), nonce, trust, at)


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


def test_openssl_made_rsa_crl_revokes(rsa_ca, at):
    cert, key = rsa_ca.leaf("rsa", "rsa-revoked")
    kept, kept_key = rsa_ca.leaf("rsa", "rsa-kept")
    trust = rsa_ca.trust(rsa_ca.revoke(cert))
    with pytest.raises(CaLoginError) as caught:
        login(cert, key, "rsa", trust, at)
    assert caught.value.code == CA_CERT_REVOKED
    assert login(kept, kept_key, "rsa", trust, at).uscc == USCC


def test_openssl_leaf_is_untrusted_by_the_dev_roots(rsa_ca, trust, at):
    cert, key = rsa_ca.leaf("rsa", "stranger")
    with pytest.raises(CaLoginError) as caught:
        login(cert, key, "rsa", trust, at)
    assert caught.value.code == CA_CERT_UNTRUSTED


@pytest.mark.parametrize("kind", ["rsa", "ecdsa"])
def test_dev_tool_signs_with_openssl_generated_keys(kind, rsa_ca, at):
    cert, key = rsa_ca.leaf(kind, f"devtool-{kind}")
    nonce = os.urandom(32)
    signature = base64.b64encode(xjdevca.sign_nonce(key.read_bytes(), nonce)).decode()
    assert verify_login(cert.read_text(), signature, nonce, rsa_ca.trust(), at).algorithm == kind


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
def test_openssl_made_sm2_crl_revokes(certificate_id, sm2_cas, at):
    ca = sm2_cas[certificate_id]
    cert, key = ca.leaf("sm2", "sm2-revoked")
    kept, kept_key = ca.leaf("sm2", "sm2-kept")
    trust = ca.trust(ca.revoke(cert))
    with pytest.raises(CaLoginError) as caught:
        login(cert, key, "sm2", trust, at)
    assert caught.value.code == CA_CERT_REVOKED
    assert login(kept, kept_key, "sm2", trust, at).uscc == USCC


@needs_sm2
def test_dev_tool_signs_with_an_openssl_generated_sm2_key(sm2_cas, at):
    ca = sm2_cas["distid"]
    cert, key = ca.leaf("sm2", "devtool-sm2")
    nonce = os.urandom(32)
    signature = base64.b64encode(xjdevca.sign_nonce(key.read_bytes(), nonce)).decode()
    assert verify_login(cert.read_text(), signature, nonce, ca.trust(), at).algorithm == "sm2"
