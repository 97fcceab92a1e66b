"""xjcloud development CA: RSA and SM2 dev roots, enterprise login certificates, CRLs, and the
signature a CA lock (USB key) makes over a login nonce. For development and tests only.

Python API (what the command ``xj-dev-ca`` runs)::

    ca = init_ca(dir)                                                   # idempotent; force=True renews
    issued = issue(dir, name="…有限公司", uscc="9151…", algorithm="sm2")  # rsa | ecdsa | sm2
    revoke(dir, issued.cert_path)                                      # rewrites crl-rsa.pem / crl-sm2.pem
    refresh_crls(dir)                                                  # re-signs both CRLs now, entries kept
    environment(dir)          # XJ_CA_ROOTS, XJ_CA_CRLS, XJ_CA_POLICIES, XJ_CA_PERSON_POLICIES for this CA
    signature = sign_nonce(issued.key_path.read_bytes(), nonce)         # bytes; base64 it for the API
    sample(dir, "deploy/stubs/xjstubs/data/national-platform.json")
"""

from .ca import (
    ALGORITHMS,
    ENTERPRISE_POLICY_OID,
    PERSON_POLICY_OID,
    DevCA,
    DevCaError,
    Issued,
    environment,
    init_ca,
    is_valid_uscc,
    issue,
    load_private_key,
    policy_settings,
    refresh_crls,
    revoke,
    sample,
    sign_nonce,
)

__all__ = [
    "ALGORITHMS",
    "ENTERPRISE_POLICY_OID",
    "PERSON_POLICY_OID",
    "DevCA",
    "DevCaError",
    "Issued",
    "environment",
    "init_ca",
    "is_valid_uscc",
    "issue",
    "load_private_key",
    "policy_settings",
    "refresh_crls",
    "revoke",
    "sample",
    "sign_nonce",
]
