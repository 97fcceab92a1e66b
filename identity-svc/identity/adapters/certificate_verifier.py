"""The CertificateVerifier port over the CA library, with roots and CRLs reloaded when their
files change (ops replace a CRL file; no restart needed)."""
import logging
import os
import threading

from identity.adapters.ca import CaLoginError, TrustStore, verify_login
from identity.domain.errors import CaLoginRefused
from identity.service_layer import ports

log = logging.getLogger(__name__)


def split_paths(value):
    return [path.strip() for path in (value or "").split(",") if path.strip()]


class CaCertificateVerifier(ports.CertificateVerifier):
    def __init__(self, roots_path, crl_paths):
        if not roots_path:
            raise RuntimeError("XJ_CA_ROOTS is not set: enterprise CA login needs a bundle of trusted roots")
        self.paths = [roots_path, *crl_paths]
        self.roots_path = roots_path
        self.crl_paths = list(crl_paths)
        self._lock = threading.Lock()
        self._stamp = None
        self._trust = None

    def _current_stamp(self):
        return tuple(os.stat(path).st_mtime_ns if os.path.exists(path) else None for path in self.paths)

    def trust_store(self):
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._trust = TrustStore.from_files(self.roots_path, [p for p in self.crl_paths if os.path.exists(p)])
                self._stamp = stamp
                log.info("CA trust store loaded: %d root(s), %d CRL file(s)", len(self._trust.anchors), len(self.crl_paths))
            return self._trust

    def verify(self, certificate_pem, signature_b64, nonce, now):
        try:
            verified = verify_login(certificate_pem, signature_b64, nonce, self.trust_store(), now)
        except CaLoginError as error:
            raise CaLoginRefused(code=error.code, message=error.message)
        return {
            "uscc": verified.uscc, "subject_name": verified.subject_name, "issuer": verified.issuer,
            "serial_hex": verified.serial_hex, "fingerprint_sha256": verified.fingerprint_sha256,
            "algorithm": verified.algorithm, "not_after": verified.not_after,
        }
