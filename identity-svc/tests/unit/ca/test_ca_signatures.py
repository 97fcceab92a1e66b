"""The signature checks below verify_login: SM2 details and keys the login does not support."""

import base64
import os
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding

from identity.adapters.ca import CA_SIGNATURE_INVALID, CaLoginError
from identity.adapters.ca.signatures import SubjectKey, UnsupportedKey, sm2_verify, subject_key, verify_signature

from xjdevca import sm2 as devca_sm2


def test_sm2_key_whose_x_starts_with_04_verifies():
    """gmssl's CryptSM2 constructor lstrip()s "04" (and any further 0s and 4s) off the key it is given."""
    key = devca_sm2.Sm2PrivateKey(11)
    assert key.point.hex().startswith("04")
    nonce = os.urandom(32)
    assert sm2_verify(key.point, key.sign(nonce), nonce)
    assert verify_signature(SubjectKey("sm2", key.point), key.sign(nonce), nonce)


def test_sm2_signature_with_the_empty_id_verifies_only_where_allowed():
    key = devca_sm2.Sm2PrivateKey.generate()
    signature = key.sign(b"tbs", user_id=b"")
    assert not sm2_verify(key.point, signature, b"tbs")
    assert sm2_verify(key.point, signature, b"tbs", ids=(b"1234567812345678", b""))


def test_sm2_raw_signature_is_refused_where_only_der_is_allowed():
    key = devca_sm2.Sm2PrivateKey.generate()
    r, s = decode_dss_signature(key.sign(b"data"))
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert sm2_verify(key.point, raw, b"data")
    assert not sm2_verify(key.point, raw, b"data", allow_raw=False)


@pytest.mark.parametrize("signature", [b"", b"\x30\x00", b"\x00" * 64, b"\x30\x06\x02\x01\x01\x02\x01\x01\x00"])
def test_malformed_sm2_signatures_do_not_verify(signature):
    assert not sm2_verify(devca_sm2.Sm2PrivateKey.generate().point, signature, b"data")


def test_sm2_certificate_key_off_the_curve_is_unsupported(certs):
    cert = x509.load_pem_x509_certificate(certs["sm2"].cert_path.read_bytes())
    point = subject_key(cert).key
    der = cert.public_bytes(Encoding.DER)
    tampered = der.replace(point, point[:-1] + bytes([point[-1] ^ 1]))
    with pytest.raises(UnsupportedKey):
        subject_key(x509.load_der_x509_certificate(tampered))


def test_certificate_with_an_unsupported_key_type_cannot_log_in(dev_ca, make_cert, login, helpers):
    key = ed25519.Ed25519PrivateKey.generate()
    cert, _ = make_cert(dev_ca.root_cert("rsa"), dev_ca.root_key("rsa"), helpers.enterprise_name(), key=key)
    nonce = os.urandom(32)
    with pytest.raises(CaLoginError) as caught:
        login(cert_pem=helpers.pem(cert), nonce=nonce, signature=base64.b64encode(key.sign(nonce)).decode())
    assert caught.value.code == CA_SIGNATURE_INVALID and "不支持" in caught.value.message
