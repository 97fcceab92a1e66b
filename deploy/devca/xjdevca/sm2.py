"""SM2 keys, SM2-with-SM3 signatures, and SM2-signed certificates and CRLs, in pure Python.

``cryptography`` can neither hold an SM2 key nor sign with one, so keys are kept as the private
scalar, signatures come from gmssl, and certificates and CRLs are assembled in DER here (names and
extension values are still encoded by ``cryptography``). Files are what OpenSSL 3 reads and writes:
keys are PKCS#8 ``PRIVATE KEY`` with id-ecPublicKey + the SM2 curve; certificates and CRLs are
signed with SM2-with-SM3 and the GM/T 0015 default ID 1234567812345678 (OpenSSL 3.0 defaults to an
empty ID, so check them with ``openssl verify -vfyopt distid:1234567812345678``).
"""

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from Cryptodome.Util.asn1 import DerBitString, DerObjectId, DerOctetString, DerSequence
from cryptography import x509
from gmssl import func as gm_func
from gmssl import sm2 as gm_sm2
from gmssl import sm3 as gm_sm3

from . import der

EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1"
SM2_CURVE_OID = "1.2.156.10197.1.301"
SM2_WITH_SM3_OID = "1.2.156.10197.1.501"
DEFAULT_ID = b"1234567812345678"

_CURVE = gm_sm2.default_ecc_table
_N = int(_CURVE["n"], 16)
_CURVE_BYTES = bytes.fromhex(_CURVE["a"] + _CURVE["b"] + _CURVE["g"])
_ALGORITHM = der.sequence(der.oid(SM2_WITH_SM3_OID))  # SM2-with-SM3 takes no parameters
_KEY_ALGORITHM = der.sequence(der.oid(EC_PUBLIC_KEY_OID), der.oid(SM2_CURVE_OID))


@dataclass(frozen=True, repr=False)
class Sm2PrivateKey:
    scalar: int

    @classmethod
    def generate(cls) -> "Sm2PrivateKey":
        return cls(secrets.randbelow(_N - 2) + 1)  # d in [1, n-2]

    @cached_property
    def point(self) -> bytes:
        """The public key x || y (64 bytes)."""
        return bytes.fromhex(_crypt(self)._kg(self.scalar, _CURVE["g"]))

    def spki_der(self) -> bytes:
        """SubjectPublicKeyInfo (id-ecPublicKey, SM2 curve, uncompressed point)."""
        return der.sequence(_KEY_ALGORITHM, der.bit_string(b"\x04" + self.point))

    def key_identifier(self) -> bytes:
        """RFC 5280 method 1: SHA-1 of the public key bits."""
        return hashlib.sha1(b"\x04" + self.point).digest()

    def sign(self, data: bytes, user_id: bytes = DEFAULT_ID) -> bytes:
        """SM2 signature with SM3 over ``data``, DER SEQUENCE {r, s} (as OpenSSL and USB keys give it)."""
        crypt = _crypt(self)
        digest = bytes.fromhex(_sm3(z_value(self.point, user_id) + data))
        while True:
            nonce = "%064x" % (secrets.randbelow(_N - 1) + 1)  # gmssl's own nonce uses `random`
            signature = crypt.sign(digest, nonce)
            if signature:
                return der.sequence(der.integer(int(signature[:64], 16)), der.integer(int(signature[64:], 16)))

    def private_pem(self) -> bytes:
        ec_private_key = der.sequence(
            der.integer(1),
            der.octet_string(self.scalar.to_bytes(32, "big")),
            der.explicit(1, der.bit_string(b"\x04" + self.point)),
        )
        pkcs8 = der.sequence(der.integer(0), _KEY_ALGORITHM, der.octet_string(ec_private_key))
        return pem("PRIVATE KEY", pkcs8)


def verify(point: bytes, signature: bytes, data: bytes, user_ids=(DEFAULT_ID, b"")) -> bool:
    """Whether a DER SM2 signature over ``data`` verifies for the point x||y with one of ``user_ids``
    (default ID first, then OpenSSL 3.0's empty ID)."""
    try:
        r, s = DerSequence().decode(signature, nr_elements=2, only_ints_expected=True)
    except (ValueError, IndexError, TypeError):
        return False
    if not (1 <= r < _N and 1 <= s < _N) or len(point) != 64:
        return False
    verifier = gm_sm2.CryptSM2(private_key=None, public_key="")
    verifier.public_key = point.hex()  # not through the constructor: it lstrip()s "0" and "4"
    for user_id in user_ids:
        try:
            if verifier.verify("%064x%064x" % (r, s), bytes.fromhex(_sm3(z_value(point, user_id) + data))):
                return True
        except (TypeError, ValueError):
            return False
    return False


def certificate_point(cert: x509.Certificate) -> bytes | None:
    """x||y of an SM2 certificate's key, or None if it has another kind of key."""
    fields = list(DerSequence().decode(cert.tbs_certificate_bytes))
    if isinstance(fields[0], bytes) and fields[0][:1] == b"\xa0":
        fields = fields[1:]
    spki = DerSequence().decode(fields[5])
    algorithm = DerSequence().decode(spki[0])
    if len(algorithm) < 2 or not isinstance(algorithm[1], bytes) or algorithm[1][:1] != b"\x06":
        return None
    if DerObjectId().decode(algorithm[1]).value != SM2_CURVE_OID:
        return None
    bits = DerBitString().decode(spki[1]).value
    return bits[1:] if len(bits) == 65 and bits[0] == 4 else None


def z_value(point: bytes, user_id: bytes = DEFAULT_ID) -> bytes:
    """Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)."""
    return bytes.fromhex(_sm3((len(user_id) * 8).to_bytes(2, "big") + user_id + _CURVE_BYTES + point))


def load_private_key(data: bytes) -> Sm2PrivateKey:
    """An SM2 key from PEM: PKCS#8 ``PRIVATE KEY`` (OpenSSL 3 ``genpkey -algorithm SM2``, this tool)
    or SEC1 ``EC PRIVATE KEY`` / ``SM2 PRIVATE KEY`` (``openssl ec``) on the SM2 curve. Raises ValueError for anything else."""
    match = re.search(rb"-----BEGIN ((?:EC |SM2 )?)PRIVATE KEY-----(.+?)-----END \1PRIVATE KEY-----", data, re.S)
    if not match:
        raise ValueError("not an unencrypted PEM private key")
    body = base64.b64decode(b"".join(match.group(2).split()))
    if match.group(1):  # SEC1: ECPrivateKey with [0] parameters
        return _from_ec_private_key(body, curve_required=True)
    outer = DerSequence().decode(body)
    algorithm = DerSequence().decode(outer[1])
    curve = DerObjectId().decode(algorithm[1]).value if len(algorithm) > 1 else None
    algorithm_oid = DerObjectId().decode(algorithm[0]).value
    if not (algorithm_oid == SM2_CURVE_OID or (algorithm_oid == EC_PUBLIC_KEY_OID and curve == SM2_CURVE_OID)):
        raise ValueError("not an SM2 key")
    return _from_ec_private_key(DerOctetString().decode(outer[2]).payload, curve_required=False)


def _from_ec_private_key(body: bytes, curve_required: bool) -> Sm2PrivateKey:
    fields = DerSequence().decode(body)
    scalar = int.from_bytes(DerOctetString().decode(fields[1]).payload, "big")
    if curve_required:
        parameters = [f for f in fields[2:] if isinstance(f, bytes) and f[:1] == b"\xa0"]
        if not parameters or DerObjectId(explicit=0).decode(parameters[0]).value != SM2_CURVE_OID:
            raise ValueError("not an SM2 key")
    if not 1 <= scalar < _N - 1:
        raise ValueError("SM2 private key out of range")
    key = Sm2PrivateKey(scalar)
    public = [f for f in fields[2:] if isinstance(f, bytes) and f[:1] == b"\xa1"]
    if public and DerBitString(explicit=1).decode(public[0]).value != b"\x04" + key.point:
        raise ValueError("SM2 public key does not match the private key")
    return key


def build_certificate(
    *,
    issuer_key: Sm2PrivateKey,
    issuer: x509.Name,
    subject: x509.Name,
    subject_spki_der: bytes,
    serial: int,
    not_before: datetime,
    not_after: datetime,
    extensions: list[x509.Extension],
) -> x509.Certificate:
    """An X.509 v3 certificate signed by ``issuer_key`` with SM2-with-SM3."""
    tbs = der.sequence(
        der.explicit(0, der.integer(2)),
        der.integer(serial),
        _ALGORITHM,
        issuer.public_bytes(),
        der.sequence(der.time(not_before), der.time(not_after)),
        subject.public_bytes(),
        subject_spki_der,
        der.explicit(3, der.sequence(*map(_extension, extensions))),
    )
    return x509.load_der_x509_certificate(_signed(tbs, issuer_key))


def build_crl(
    *,
    issuer_key: Sm2PrivateKey,
    issuer: x509.Name,
    this_update: datetime,
    next_update: datetime,
    revoked: list[tuple[int, datetime]],
    extensions: list[x509.Extension],
) -> x509.CertificateRevocationList:
    """An X.509 v2 CRL listing ``revoked`` (serial, revocation date), signed with SM2-with-SM3."""
    fields = [der.integer(1), _ALGORITHM, issuer.public_bytes(), der.time(this_update), der.time(next_update)]
    if revoked:
        fields.append(der.sequence(*(der.sequence(der.integer(serial), der.time(when)) for serial, when in revoked)))
    fields.append(der.explicit(0, der.sequence(*map(_extension, extensions))))
    return x509.load_der_x509_crl(_signed(der.sequence(*fields), issuer_key))


def pem(label: str, body: bytes) -> bytes:
    text = base64.b64encode(body).decode()
    lines = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n".encode()


def _signed(tbs: bytes, key: Sm2PrivateKey) -> bytes:
    return der.sequence(tbs, _ALGORITHM, der.bit_string(key.sign(tbs)))


def _extension(extension: x509.Extension) -> bytes:
    parts = [der.oid(extension.oid.dotted_string)]
    if extension.critical:
        parts.append(der.boolean(True))
    parts.append(der.octet_string(extension.value.public_bytes()))
    return der.sequence(*parts)


def _crypt(key: Sm2PrivateKey) -> gm_sm2.CryptSM2:
    # only the private key is needed: signing takes the digest, computed here (Z included)
    return gm_sm2.CryptSM2(private_key="%064x" % key.scalar, public_key="")


def _sm3(data: bytes) -> str:
    return gm_sm3.sm3_hash(gm_func.bytes_to_list(data))
