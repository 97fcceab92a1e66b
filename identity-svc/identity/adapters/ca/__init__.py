"""Enterprise CA-certificate (CA锁) login verification, free of any framework.

    trust = TrustStore.from_files(roots_path, crl_paths, policies=CaPolicies.parse(...))  # at start
    verified = verify_login(cert_pem, signature_b64, nonce, trust, clock.now(), wall_now=wall.now())
    verified.uscc, verified.subject_name, verified.revocation_keys, ...
    trust.revoked(keys)          # a session's certificate chain, against the current CRLs
    trust.crl_report(wall.now())  # per trusted CA: ok / overdue / stale / missing / bad_signature

Every refusal is a CaLoginError with ``code``, HTTP ``status`` and a Chinese ``message``:
CA_CERT_UNTRUSTED, CA_CERT_EXPIRED, CA_CERT_REVOKED, CA_CERT_NOT_ENTERPRISE, CA_SIGNATURE_INVALID,
CA_NO_USCC (401), CA_CRL_UNAVAILABLE (503). RSA, ECDSA and SM2 (GB/T 32918, SM3, ID
1234567812345678) certificates, CRLs and signatures. Paths are validated as RFC 5280 §6.1 says
(``path``), revocation fails closed (``crls``), the purpose is checked per CA (``purpose``).
"""

from .errors import (
    CA_CERT_EXPIRED,
    CA_CERT_NOT_ENTERPRISE,
    CA_CERT_REVOKED,
    CA_CERT_UNTRUSTED,
    CA_CRL_UNAVAILABLE,
    CA_NO_USCC,
    CA_SIGNATURE_INVALID,
    CaLoginError,
    TrustStoreError,
)
from .login import VerifiedCertificate, verify_login
from .settings import CaPolicies, CaSelector, parse_ca_list
from .trust import RevocationKey, TrustStore

__all__ = [
    "CA_CERT_EXPIRED",
    "CA_CERT_NOT_ENTERPRISE",
    "CA_CERT_REVOKED",
    "CA_CERT_UNTRUSTED",
    "CA_CRL_UNAVAILABLE",
    "CA_NO_USCC",
    "CA_SIGNATURE_INVALID",
    "CaLoginError",
    "CaPolicies",
    "CaSelector",
    "RevocationKey",
    "TrustStore",
    "TrustStoreError",
    "VerifiedCertificate",
    "parse_ca_list",
    "verify_login",
]
