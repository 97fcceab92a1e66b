"""xj-dev-ca: init, issue, revoke, sign, sample, through the Python API and the command line."""

import base64
import json
import os
import runpy
import stat
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

import xjdevca
from xjdevca import cli
from xjdevca import sm2 as devca_sm2
from xjstubs.config import DEFAULT_NATIONAL_DATA

USCC = "9151010029141777XB"
NAME = "四川黄河建设集团有限公司"
DATASET = DEFAULT_NATIONAL_DATA  # the development dataset in the repository


def load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def _spki_point(cert: x509.Certificate) -> bytes:
    """x||y of an SM2 certificate's key (the last 64 bytes of its SubjectPublicKeyInfo bit string)."""
    from Cryptodome.Util.asn1 import DerBitString, DerSequence

    fields = list(DerSequence().decode(cert.tbs_certificate_bytes))
    spki = DerSequence().decode(fields[6])
    return DerBitString().decode(spki[1]).value[1:]


def sm2_signed_by(signed, issuer: x509.Certificate) -> bool:
    """Independent check with gmssl's own default-ID routine (verify_with_sm3)."""
    from Cryptodome.Util.asn1 import DerSequence
    from gmssl import sm2

    tbs = signed.tbs_certificate_bytes if isinstance(signed, x509.Certificate) else signed.tbs_certlist_bytes
    r, s = DerSequence().decode(signed.signature)
    verifier = sm2.CryptSM2(private_key=None, public_key="")
    verifier.public_key = _spki_point(issuer).hex()
    return verifier.verify_with_sm3("%064x%064x" % (r, s), tbs)


# --- init -------------------------------------------------------------------------------------


def test_init_writes_both_self_signed_roots_their_empty_crls_and_the_bundle(fresh_ca):
    rsa_root, sm2_root = fresh_ca.root_cert("rsa"), fresh_ca.root_cert("sm2")
    rsa_root.verify_directly_issued_by(rsa_root)
    assert sm2_root.signature_algorithm_oid.dotted_string == devca_sm2.SM2_WITH_SM3_OID
    assert sm2_signed_by(sm2_root, sm2_root)
    for root in (rsa_root, sm2_root):
        assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert root.not_valid_after_utc - root.not_valid_before_utc >= timedelta(days=3650)
    assert x509.load_pem_x509_certificates(fresh_ca.roots_pem.read_bytes()) == [rsa_root, sm2_root]
    for family in ("rsa", "sm2"):
        crl = x509.load_pem_x509_crl(fresh_ca.crl_path(family).read_bytes())
        assert crl.issuer == fresh_ca.root_cert(family).subject and len(list(crl)) == 0
    assert fresh_ca.crl_path("rsa").exists() and fresh_ca.crl_path("sm2").exists()
    assert x509.load_pem_x509_crl(fresh_ca.crl_path("rsa").read_bytes()).is_signature_valid(rsa_root.public_key())
    assert sm2_signed_by(x509.load_pem_x509_crl(fresh_ca.crl_path("sm2").read_bytes()), sm2_root)


def test_root_keys_are_readable_by_their_owner_only(fresh_ca):
    for family in ("rsa", "sm2"):
        assert stat.S_IMODE(os.stat(fresh_ca.root_key_path(family)).st_mode) == 0o600


def test_init_again_keeps_the_roots_and_force_replaces_them(fresh_ca):
    before = {path: path.read_bytes() for path in fresh_ca.directory.iterdir()}
    xjdevca.init_ca(fresh_ca.directory)
    assert {path: path.read_bytes() for path in fresh_ca.directory.iterdir()} == before
    xjdevca.init_ca(fresh_ca.directory, force=True)
    for family in ("rsa", "sm2"):
        assert fresh_ca.root_cert_path(family).read_bytes() != before[fresh_ca.root_cert_path(family)]
        assert fresh_ca.root_key_path(family).read_bytes() != before[fresh_ca.root_key_path(family)]
    assert fresh_ca.roots_pem.read_bytes() != before[fresh_ca.roots_pem]


def test_init_restores_a_missing_crl_or_root_without_touching_the_other_root(fresh_ca):
    rsa_root = fresh_ca.root_cert_path("rsa").read_bytes()
    fresh_ca.crl_path("rsa").unlink()
    fresh_ca.root_cert_path("sm2").unlink()
    xjdevca.init_ca(fresh_ca.directory)
    assert fresh_ca.crl_path("rsa").exists() and fresh_ca.root_cert_path("sm2").exists()
    assert fresh_ca.root_cert_path("rsa").read_bytes() == rsa_root
    assert load(fresh_ca.root_cert_path("sm2")) in x509.load_pem_x509_certificates(fresh_ca.roots_pem.read_bytes())


# --- issue ------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["rsa", "ecdsa", "sm2"])
def test_issue_puts_name_and_uscc_in_the_subject_and_the_matching_root_signs(algorithm, ca, tmp_path):
    issued = xjdevca.issue(ca.directory, name=NAME, uscc=USCC, algorithm=algorithm, out=tmp_path / "ent")
    assert (issued.cert_path, issued.key_path) == (tmp_path / "ent.cert.pem", tmp_path / "ent.key.pem")
    cert = load(issued.cert_path)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == NAME
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == NAME
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == USCC
    assert cert.serial_number == issued.serial
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert timedelta(days=364) < cert.not_valid_after_utc - cert.not_valid_before_utc <= timedelta(days=366)
    if algorithm == "sm2":
        assert cert.issuer == ca.root_cert("sm2").subject and sm2_signed_by(cert, ca.root_cert("sm2"))
    else:
        cert.verify_directly_issued_by(ca.root_cert("rsa"))
    assert xjdevca.load_private_key(issued.key_path.read_bytes())[0] == algorithm
    assert stat.S_IMODE(os.stat(issued.key_path).st_mode) == 0o600


def test_issue_writes_under_issued_by_default(ca):
    issued = xjdevca.issue(ca.directory, name=NAME, uscc=USCC, algorithm="ecdsa")
    assert issued.cert_path == ca.directory / "issued" / f"{USCC}-ecdsa.cert.pem"


def test_issue_refuses_an_invalid_uscc_unless_allowed(ca, tmp_path):
    bad = USCC[:-1] + "A"
    with pytest.raises(xjdevca.DevCaError):
        xjdevca.issue(ca.directory, name=NAME, uscc=bad, out=tmp_path / "bad")
    issued = xjdevca.issue(ca.directory, name=NAME, uscc=bad, out=tmp_path / "bad", allow_invalid_uscc=True)
    assert load(issued.cert_path).subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == bad


def test_issue_without_uscc_leaves_serial_number_out(ca, tmp_path):
    cert = load(xjdevca.issue(ca.directory, name=NAME, uscc=None, out=tmp_path / "x").cert_path)
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER) == []


def test_issue_expired_ended_yesterday_and_not_before_sets_the_start(ca, tmp_path, now):
    expired = load(xjdevca.issue(ca.directory, name=NAME, uscc=USCC, expired=True, out=tmp_path / "e", now=now).cert_path)
    assert expired.not_valid_after_utc == now - timedelta(days=1)
    start = now + timedelta(days=10)
    future = load(xjdevca.issue(ca.directory, name=NAME, uscc=USCC, algorithm="sm2", not_before=start, days=30,
                                out=tmp_path / "f").cert_path)
    assert (future.not_valid_before_utc, future.not_valid_after_utc) == (start, start + timedelta(days=30))
    with pytest.raises(xjdevca.DevCaError):
        xjdevca.issue(ca.directory, name=NAME, uscc=USCC, expired=True, not_before=start, out=tmp_path / "g")


def test_certificates_sit_around_the_business_instant_and_crls_carry_real_time(tmp_path, monkeypatch):
    # a platform whose business clock is years from the wall clock: the certificate must be
    # expired at business time, and the CRL fresh by the real clock
    monkeypatch.setenv("XJ_FAKE_NOW", "2031-03-01T10:00:00")
    directory = tmp_path / "ca"
    assert cli.main(["init", "--dir", str(directory)]) == 0
    assert cli.main(["issue", "--dir", str(directory), "--uscc", USCC, "--name", NAME, "--expired",
                     "--out", str(tmp_path / "old")]) == 0
    business = datetime.fromisoformat("2031-03-01T10:00:00+08:00")
    expired = load(tmp_path / "old.cert.pem")
    assert expired.not_valid_after_utc == business - timedelta(days=1)
    root = load(directory / "root-rsa.pem")
    assert root.not_valid_before_utc < business < root.not_valid_after_utc
    real = datetime.now(timezone.utc)
    for family in ("rsa", "sm2"):
        crl = x509.load_pem_x509_crl((directory / f"crl-{family}.pem").read_bytes())
        assert abs(crl.last_update_utc - real) < timedelta(minutes=5)
        assert crl.next_update_utc > real


def test_issue_in_a_directory_without_a_ca_says_to_run_init(tmp_path):
    with pytest.raises(xjdevca.DevCaError, match="init"):
        xjdevca.issue(tmp_path, name=NAME, uscc=USCC)


# --- revoke -----------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["rsa", "ecdsa", "sm2"])
def test_revoke_lists_the_serial_on_the_issuing_roots_crl_once_and_counts_up(algorithm, fresh_ca):
    family = "sm2" if algorithm == "sm2" else "rsa"
    issued = xjdevca.issue(fresh_ca.directory, name=NAME, uscc=USCC, algorithm=algorithm)
    assert xjdevca.revoke(fresh_ca.directory, issued.cert_path) == fresh_ca.crl_path(family)
    xjdevca.revoke(fresh_ca.directory, issued.cert_path)
    crl = x509.load_pem_x509_crl(fresh_ca.crl_path(family).read_bytes())
    assert [entry.serial_number for entry in crl] == [issued.serial]
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 3
    root = fresh_ca.root_cert(family)
    assert sm2_signed_by(crl, root) if family == "sm2" else crl.is_signature_valid(root.public_key())
    other = "rsa" if family == "sm2" else "sm2"
    assert len(list(x509.load_pem_x509_crl(fresh_ca.crl_path(other).read_bytes()))) == 0


def test_revoke_refuses_a_certificate_another_ca_issued_even_under_the_same_root_name(fresh_ca, tmp_path):
    other = xjdevca.init_ca(tmp_path / "other")  # the same dev root names, other keys
    for algorithm in ("rsa", "sm2"):
        issued = xjdevca.issue(other.directory, name=NAME, uscc=USCC, algorithm=algorithm)
        with pytest.raises(xjdevca.DevCaError, match="not issued"):
            xjdevca.revoke(fresh_ca.directory, issued.cert_path)
    stranger = _self_signed(tmp_path)
    with pytest.raises(xjdevca.DevCaError, match="not issued"):
        xjdevca.revoke(fresh_ca.directory, stranger)


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name.from_rfc4514_string("CN=Some other CA")
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(7).not_valid_before(datetime(2026, 1, 1)).not_valid_after(datetime(2027, 1, 1))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "stranger.pem"
    path.write_bytes(cert.public_bytes(Encoding.PEM))
    return path


# --- sign -------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["rsa", "ecdsa", "sm2"])
def test_sign_makes_the_usb_key_signature_over_the_raw_nonce(algorithm, ca, tmp_path):
    issued = xjdevca.issue(ca.directory, name=NAME, uscc=USCC, algorithm=algorithm, out=tmp_path / "k")
    nonce = os.urandom(32)
    signature = xjdevca.sign_nonce(issued.key_path.read_bytes(), nonce)
    public = load(issued.cert_path)
    if algorithm == "rsa":
        public.public_key().verify(signature, nonce, padding.PKCS1v15(), hashes.SHA256())
    elif algorithm == "ecdsa":
        public.public_key().verify(signature, nonce, ec.ECDSA(hashes.SHA256()))
    else:
        from Cryptodome.Util.asn1 import DerSequence
        from gmssl import sm2

        r, s = DerSequence().decode(signature)
        verifier = sm2.CryptSM2(private_key=None, public_key="")
        verifier.public_key = _spki_point(public).hex()
        assert verifier.verify_with_sm3("%064x%064x" % (r, s), nonce)
        assert not verifier.verify_with_sm3("%064x%064x" % (r, s), nonce + b"x")


def test_sign_refuses_a_key_of_another_algorithm_than_asked_and_non_keys(ca, tmp_path):
    issued = xjdevca.issue(ca.directory, name=NAME, uscc=USCC, algorithm="sm2", out=tmp_path / "k")
    with pytest.raises(xjdevca.DevCaError):
        xjdevca.sign_nonce(issued.key_path.read_bytes(), b"n" * 16, "rsa")
    assert xjdevca.sign_nonce(issued.key_path.read_bytes(), b"n" * 16, "sm2")
    with pytest.raises(xjdevca.DevCaError):
        xjdevca.sign_nonce(issued.cert_path.read_bytes(), b"n" * 16)


# --- sample -----------------------------------------------------------------------------------


def test_sample_issues_an_rsa_certificate_per_enterprise_and_ecdsa_and_sm2_for_the_first(tmp_path):
    issued = xjdevca.sample(tmp_path / "ca", DATASET)  # creates the CA too
    enterprises = json.loads(DATASET.read_text(encoding="utf-8"))["enterprises"]
    assert [i.uscc for i in issued if i.algorithm == "rsa"] == [e["uscc"] for e in enterprises]
    first = enterprises[0]
    assert {(i.uscc, i.algorithm) for i in issued if i.algorithm != "rsa"} == {
        (first["uscc"], "ecdsa"), (first["uscc"], "sm2")
    }
    for item in issued:
        cert = load(item.cert_path)
        assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == item.uscc
        assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == item.name
    index = json.loads((tmp_path / "ca" / "sample" / "index.json").read_text(encoding="utf-8"))
    assert len(index) == len(enterprises) + 2 and {"uscc", "name", "algorithm", "cert", "key"} <= set(index[0])


# --- command line -----------------------------------------------------------------------------


def test_command_line_init_issue_sign_revoke(tmp_path, capsys):
    directory = tmp_path / "ca"
    assert cli.main(["init", "--dir", str(directory)]) == 0
    assert "XJ_CA_ROOTS=" in capsys.readouterr().out
    assert cli.main(["init", "--dir", str(directory)]) == 0
    assert "already" in capsys.readouterr().out
    assert cli.main(["issue", "--dir", str(directory), "--uscc", USCC, "--name", NAME, "--alg", "sm2",
                     "--out", str(tmp_path / "ent")]) == 0
    capsys.readouterr()
    nonce = os.urandom(24)
    nonce_text = base64.urlsafe_b64encode(nonce).decode().rstrip("=")  # may start with "-": hence --nonce=
    assert cli.main(["sign", "--key", str(tmp_path / "ent.key.pem"), f"--nonce={nonce_text}"]) == 0
    signature = base64.b64decode(capsys.readouterr().out.strip())
    from Cryptodome.Util.asn1 import DerSequence

    assert len(DerSequence().decode(signature)) == 2
    assert cli.main(["revoke", "--dir", str(directory), "--cert", str(tmp_path / "ent.cert.pem")]) == 0
    assert "crl-sm2.pem" in capsys.readouterr().out
    assert cli.main(["issue", "--dir", str(directory), "--no-uscc", "--name", NAME, "--expired"]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["issue", "--dir", "{ca}", "--name", NAME],  # neither --uscc nor --no-uscc
        ["issue", "--dir", "{ca}", "--name", NAME, "--uscc", USCC, "--no-uscc"],
        ["issue", "--dir", "{ca}", "--name", NAME, "--uscc", USCC[:-1] + "A"],
        ["issue", "--dir", "{empty}", "--name", NAME, "--uscc", USCC],
        ["sign", "--key", "{ca}/root-rsa.pem", "--nonce", "AAAA"],
        ["sign", "--key", "{ca}/root-rsa.key.pem", "--nonce", "not base64!"],
        ["revoke", "--dir", "{ca}", "--cert", "{ca}/missing.pem"],
    ],
)
def test_command_line_refusals_print_a_reason_and_exit_1(argv, ca, tmp_path, capsys):
    argv = [a.format(ca=ca.directory, empty=tmp_path) for a in argv]
    assert cli.main(argv) == 1
    assert capsys.readouterr().err.startswith("xj-dev-ca: ")


def test_python_dash_m_xjdevca_runs_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["xjdevca", "--help"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("xjdevca", run_name="__main__")
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(command in out for command in ("init", "issue", "revoke", "sign", "sample"))
