"""The dev CA's pure-Python SM2: keys, signatures, certificates and CRLs that OpenSSL 3 accepts, and back."""

import os
from datetime import datetime, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

import xjdevca
from xjdevca import der
from xjdevca import sm2

DISTID = "distid:1234567812345678"
USCC = "9151010029141777XB"


# --- DER --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, encoded",
    [(0, "020100"), (127, "02017f"), (128, "02020080"), (256, "02020100"), (2**64, "0209010000000000000000")],
)
def test_der_integers_are_minimal_and_positive(value, encoded):
    assert der.integer(value).hex() == encoded


def test_der_oids_lengths_and_times_match_the_standard_encodings():
    assert der.oid("1.2.156.10197.1.501").hex() == "06082a811ccf55018375"
    assert der.oid("1.2.840.10045.2.1").hex() == "06072a8648ce3d0201"
    assert der.octet_string(b"x" * 200)[:3].hex() == "0481c8"
    assert der.octet_string(b"x" * 300)[:4].hex() == "0482012c"
    assert der.time(datetime(2026, 11, 25, 6, 0, 1, tzinfo=timezone.utc)) == b"\x17\x0d261125060001Z"
    assert der.time(datetime(2050, 1, 1, tzinfo=timezone.utc)) == b"\x18\x0f20500101000000Z"


# --- keys and signatures ----------------------------------------------------------------------


def test_generated_key_round_trips_through_its_pkcs8_pem():
    key = sm2.Sm2PrivateKey.generate()
    again = sm2.load_private_key(key.private_pem())
    assert again.scalar == key.scalar and again.point == key.point and len(key.point) == 64


def test_signature_verifies_with_the_default_id_only():
    key = sm2.Sm2PrivateKey.generate()
    signature = key.sign(b"nonce")
    assert sm2.verify(key.point, signature, b"nonce", user_ids=(sm2.DEFAULT_ID,))
    assert not sm2.verify(key.point, signature, b"nonce", user_ids=(b"",))
    assert not sm2.verify(key.point, signature, b"other", user_ids=(sm2.DEFAULT_ID,))
    assert not sm2.verify(sm2.Sm2PrivateKey.generate().point, signature, b"nonce")


def test_signatures_of_the_same_data_differ_each_time():
    key = sm2.Sm2PrivateKey.generate()
    assert key.sign(b"nonce") != key.sign(b"nonce")


def test_keys_whose_x_starts_with_zero_or_four_work():
    """gmssl's CryptSM2 lstrip("04")s the public key it is given; the tool must not go through that."""
    for _ in range(200):
        key = sm2.Sm2PrivateKey.generate()
        if key.point.hex()[0] in "04":
            break
    else:  # pragma: no cover - one in eight keys qualifies
        pytest.fail("no key with a leading 0 or 4")
    assert sm2.verify(key.point, key.sign(b"nonce"), b"nonce")


# --- interoperability with OpenSSL ------------------------------------------------------------


def test_openssl_reads_the_tools_sm2_key_and_verifies_its_nonce_signature(openssl, ca, tmp_path):
    issued = xjdevca.issue(ca.directory, name="黄河建设", uscc=USCC, algorithm="sm2", out=tmp_path / "ent")
    nonce = os.urandom(32)
    (tmp_path / "nonce.bin").write_bytes(nonce)
    (tmp_path / "sig.der").write_bytes(xjdevca.sign_nonce(issued.key_path.read_bytes(), nonce))
    assert openssl("pkey", "-in", issued.key_path, "-pubout", "-out", tmp_path / "pub.pem").returncode == 0
    verified = openssl("pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin", "-digest", "sm3",
                       "-pkeyopt", DISTID, "-in", tmp_path / "nonce.bin", "-sigfile", tmp_path / "sig.der")
    assert verified.returncode == 0, verified.stderr
    from_cert = openssl("x509", "-in", issued.cert_path, "-pubkey", "-noout").stdout
    assert from_cert == (tmp_path / "pub.pem").read_bytes()


def test_openssl_verifies_the_tools_sm2_root_and_certificate_with_the_default_id(openssl, ca, tmp_path):
    issued = xjdevca.issue(ca.directory, name="黄河建设", uscc=USCC, algorithm="sm2", out=tmp_path / "ent")
    root = ca.root_cert_path("sm2")
    for cert in (root, issued.cert_path):
        checked = openssl("verify", "-CAfile", root, "-vfyopt", DISTID, cert)
        assert checked.returncode == 0, checked.stderr
    # (OpenSSL 3.0 defaults to an empty SM2 ID: without -vfyopt it refuses them; see the README)


def test_openssl_parses_the_tools_sm2_crl(openssl, fresh_ca):
    issued = xjdevca.issue(fresh_ca.directory, name="黄河建设", uscc=USCC, algorithm="sm2")
    xjdevca.revoke(fresh_ca.directory, issued.cert_path)
    text = openssl("crl", "-in", fresh_ca.crl_path("sm2"), "-noout", "-text")
    assert text.returncode == 0
    assert b"SM2-with-SM3" in text.stdout and format(issued.serial, "X").encode() in text.stdout.replace(b":", b"")


@pytest.mark.parametrize("form", ["pkcs8", "sec1"])
def test_the_tool_signs_with_openssl_generated_sm2_keys(form, openssl, tmp_path):
    assert openssl("genpkey", "-algorithm", "SM2", "-out", tmp_path / "k.pem").returncode == 0
    if form == "sec1":  # "-----BEGIN SM2 PRIVATE KEY-----"
        assert openssl("ec", "-in", tmp_path / "k.pem", "-out", tmp_path / "k.pem").returncode == 0
    assert openssl("pkey", "-in", tmp_path / "k.pem", "-pubout", "-out", tmp_path / "pub.pem").returncode == 0
    nonce = os.urandom(16)
    (tmp_path / "nonce.bin").write_bytes(nonce)
    (tmp_path / "sig.der").write_bytes(xjdevca.sign_nonce((tmp_path / "k.pem").read_bytes(), nonce, "sm2"))
    verified = openssl("pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin", "-digest", "sm3",
                       "-pkeyopt", DISTID, "-in", tmp_path / "nonce.bin", "-sigfile", tmp_path / "sig.der")
    assert verified.returncode == 0, verified.stderr


def test_certificates_and_crls_round_trip_through_cryptography_der(ca):
    root = ca.root_cert("sm2")
    assert x509.load_der_x509_certificate(root.public_bytes(Encoding.DER)) == root
    crl = x509.load_pem_x509_crl(ca.crl_path("sm2").read_bytes())
    assert x509.load_der_x509_crl(crl.public_bytes(Encoding.DER)).tbs_certlist_bytes == crl.tbs_certlist_bytes
    assert sm2.verify(sm2.certificate_point(root), crl.signature, crl.tbs_certlist_bytes)
