"""Signature checks for the keys an enterprise CA lock holds: RSA, ECDSA and SM2.

``cryptography`` handles RSA and ECDSA. It parses SM2 certificates and CRLs but refuses their
keys ("Curve 1.2.156.10197.1.301 is not supported") and their SM2-with-SM3 signatures, so for SM2
the public key is read from the certificate's SubjectPublicKeyInfo here and the signature is checked
with gmssl (GB/T 32918: e = SM3(Z || M), Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)).
"""

from dataclasses import dataclass

from Cryptodome.Util.asn1 import DerBitString, DerObjectId, DerSequence  # pycryptodomex, a gmssl dependency
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from gmssl import func as gm_func
from gmssl import sm2 as gm_sm2
from gmssl import sm3 as gm_sm3

EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1"
SM2_CURVE_OID = "1.2.156.10197.1.301"
SM2_WITH_SM3_OID = "1.2.156.10197.1.501"
SM2_DEFAULT_ID = b"1234567812345678"
# OpenSSL 3.0 signs (and verifies) certificates and CRLs with an EMPTY SM2 ID unless told otherwise
# (`-sigopt distid:1234567812345678`); GM/T 0015 says the default ID. Issuer signatures accept both.
SM2_CERT_IDS = (SM2_DEFAULT_ID, b"")

_CURVE = gm_sm2.default_ecc_table
_P = int(_CURVE["p"], 16)
_A = int(_CURVE["a"], 16)
_B = int(_CURVE["b"], 16)
_N = int(_CURVE["n"], 16)
_CURVE_BYTES = bytes.fromhex(_CURVE["a"] + _CURVE["b"] + _CURVE["g"])


class UnsupportedKey(ValueError):
    """The certificate's key is not RSA, ECDSA or SM2 (or is malformed)."""


@dataclass(frozen=True)
class SubjectKey:
    """A certificate's public key: ``key`` is a cryptography key, or for SM2 the point x || y (64 bytes)."""

    algorithm: str  # "rsa" | "ecdsa" | "sm2"
    key: object


def subject_key(cert: x509.Certificate) -> SubjectKey:
    """The public key of ``cert``; raises UnsupportedKey for other algorithms."""
    algorithm_oid, parameter_oid, bits = _subject_public_key_info(cert)
    if algorithm_oid == SM2_CURVE_OID or (algorithm_oid == EC_PUBLIC_KEY_OID and parameter_oid == SM2_CURVE_OID):
        return SubjectKey("sm2", _sm2_point(bits))
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError) as exc:
        raise UnsupportedKey(f"unsupported public key: {exc}") from exc
    if isinstance(key, rsa.RSAPublicKey):
        return SubjectKey("rsa", key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return SubjectKey("ecdsa", key)
    raise UnsupportedKey(f"unsupported public key type {type(key).__name__}")


def verify_signature(key: SubjectKey, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` over ``data`` verifies: RSA PKCS#1 v1.5 SHA-256, ECDSA SHA-256 (DER or
    raw r||s) or SM2 with SM3 and the default ID (DER or raw r||s)."""
    if key.algorithm == "sm2":
        return sm2_verify(key.key, signature, data)
    try:
        if key.algorithm == "rsa":
            key.key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            return True
        if key.algorithm == "ecdsa":
            return any(_ecdsa_ok(key.key, candidate, data) for candidate in _ecdsa_encodings(key.key, signature))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return False


def is_signed_by(signed: x509.Certificate | x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    """Whether ``issuer``'s key made the signature on a certificate or a CRL."""
    if signed.signature_algorithm_oid.dotted_string == SM2_WITH_SM3_OID:
        try:
            key = subject_key(issuer)
        except UnsupportedKey:
            return False
        if key.algorithm != "sm2":
            return False
        if isinstance(signed, x509.Certificate):
            tbs = signed.tbs_certificate_bytes
        else:
            tbs = signed.tbs_certlist_bytes
        return sm2_verify(key.key, signed.signature, tbs, ids=SM2_CERT_IDS, allow_raw=False)
    try:
        if isinstance(signed, x509.Certificate):
            signed.verify_directly_issued_by(issuer)  # also compares the issuer name
            return True
        return signed.is_signature_valid(issuer.public_key())
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False


# --- SM2 ---------------------------------------------------------------------------------------


def sm2_verify(point: bytes, signature: bytes, data: bytes, *, ids=(SM2_DEFAULT_ID,), allow_raw=True) -> bool:
    """SM2-with-SM3 verification of ``signature`` (DER SEQUENCE {r, s}, or raw r||s when
    ``allow_raw``) over ``data`` for the public point x||y, trying each user ID in ``ids``."""
    rs = _sm2_r_s(signature, allow_raw)
    if rs is None or len(point) != 64:
        return False
    r, s = rs
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    verifier = gm_sm2.CryptSM2(private_key=None, public_key="")
    # set after construction: CryptSM2 does public_key.lstrip("04"), which also eats a leading 0 or 4 of x
    verifier.public_key = point.hex()
    signature_hex = "%064x%064x" % (r, s)
    for user_id in ids:
        digest = _sm3(sm2_z(point, user_id) + data)
        try:
            if verifier.verify(signature_hex, digest):
                return True
        except (TypeError, ValueError):  # gmssl trips over the point at infinity of a forged signature
            return False
    return False


def sm2_z(point: bytes, user_id: bytes = SM2_DEFAULT_ID) -> bytes:
    """Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)."""
    return _sm3((len(user_id) * 8).to_bytes(2, "big") + user_id + _CURVE_BYTES + point)


def _sm3(data: bytes) -> bytes:
    return bytes.fromhex(gm_sm3.sm3_hash(gm_func.bytes_to_list(data)))


def _sm2_r_s(signature: bytes, allow_raw: bool):
    try:
        r, s = DerSequence().decode(signature, nr_elements=2, only_ints_expected=True)
        return r, s
    except (ValueError, IndexError, TypeError):
        pass
    if allow_raw and len(signature) == 64:
        return int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    return None


def _sm2_point(bits: bytes) -> bytes:
    if len(bits) != 65 or bits[0] != 4:
        raise UnsupportedKey("SM2 public key is not an uncompressed point")
    x, y = int.from_bytes(bits[1:33], "big"), int.from_bytes(bits[33:], "big")
    if not (x < _P and y < _P and (y * y - x * x * x - _A * x - _B) % _P == 0):
        raise UnsupportedKey("SM2 public key is not on the curve")
    return bits[1:]


# --- ECDSA -------------------------------------------------------------------------------------


def _ecdsa_encodings(key: ec.EllipticCurvePublicKey, signature: bytes):
    yield signature  # DER, as cryptography and OpenSSL produce
    size = (key.curve.key_size + 7) // 8
    if len(signature) == 2 * size:  # raw r || s, as some USB-key middleware and WebCrypto produce
        yield encode_dss_signature(int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big"))


def _ecdsa_ok(key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


# --- SubjectPublicKeyInfo ----------------------------------------------------------------------


def _subject_public_key_info(cert: x509.Certificate):
    """(algorithm OID, parameter OID or None, public key bits) of the certificate's key."""
    try:
        fields = list(DerSequence().decode(cert.tbs_certificate_bytes))
        if isinstance(fields[0], bytes) and fields[0][:1] == b"\xa0":  # [0] EXPLICIT version
            fields = fields[1:]
        # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        spki = DerSequence().decode(fields[5])
        algorithm = DerSequence().decode(spki[0])
        algorithm_oid = DerObjectId().decode(algorithm[0]).value
        parameter_oid = None
        if len(algorithm) > 1 and isinstance(algorithm[1], bytes) and algorithm[1][:1] == b"\x06":
            parameter_oid = DerObjectId().decode(algorithm[1]).value
        bits = DerBitString().decode(spki[1]).value
    except (ValueError, IndexError, TypeError) as exc:
        raise UnsupportedKey(f"unreadable SubjectPublicKeyInfo: {exc}") from exc
    return algorithm_oid, parameter_oid, bits
