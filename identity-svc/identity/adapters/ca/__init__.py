"""Enterprise CA-certificate (CA锁) login verification, free of any framework.

    trust = TrustStore.from_files(os.environ["XJ_CA_ROOTS"], crl_paths)      # once, at start-up
    verified = verify_login(cert_pem, signature_b64, nonce, trust, clock.now())  # per login
    verified.uscc, verified.subject_name, ...

Every refusal is a CaLoginError with ``code`` (CA_CERT_UNTRUSTED, CA_CERT_EXPIRED, CA_CERT_REVOKED,
CA_SIGNATURE_INVALID, CA_NO_USCC; all HTTP 401 in the API) and a Chinese ``message``.
RSA, ECDSA and SM2 (GB/T 32918, SM3, ID 1234567812345678) certificates, CRLs and signatures.
"""

from .errors import (
    CA_CERT_EXPIRED,
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CA_NO_USCC,
    CA_SIGNATURE_INVALID,
    CaLoginError,
    TrustStoreError,
)
from .login import VerifiedCertificate, verify_login
from .trust import TrustStore

__all__ = [
    "CA_CERT_EXPIRED",
    "CA_CERT_REVOKED",
    "CA_CERT_UNTRUSTED",
    "CA_NO_USCC",
    "CA_SIGNATURE_INVALID",
    "CaLoginError",
    "TrustStore",
    "TrustStoreError",
    "VerifiedCertificate",
    "verify_login",
]
