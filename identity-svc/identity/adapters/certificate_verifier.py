"""The CertificateVerifier port over the CA library, with roots and CRLs reloaded when their
files change (ops replace a CRL file; no restart needed), and the CA settings read and checked
once at start-up.

Settings (identity-svc config.yml ← environment):
  CA_ROOTS              XJ_CA_ROOTS            PEM bundle of trusted roots (unset: CA login is off, 503)
  CA_CRLS               XJ_CA_CRLS             comma-separated CRL files (PEM or DER)
  CRL_GRACE_SECONDS     XJ_CRL_GRACE_SECONDS   how long a CRL past nextUpdate is still used (default 4 h,
                                               at most 24 h)
  CA_CRL_OPTIONAL       XJ_CA_CRL_OPTIONAL     CAs allowed to have no CRL (DN or subjectKeyIdentifier; ';')
  CA_POLICIES           XJ_CA_POLICIES         enterprise-certificate policies per CA
  CA_PERSON_POLICIES    XJ_CA_PERSON_POLICIES  person-certificate policies per CA
In prod a grace period over the bound, or a trusted CA with neither a CRL nor a place in
XJ_CA_CRL_OPTIONAL, stops the service at start-up with a message naming the variable.
"""
import logging
import os
import threading
from dataclasses import dataclass
from datetime import timedelta

from identity.adapters.ca import (
    CaLoginError, CaPolicies, CaSelector, RevocationKey, TrustStore, TrustStoreError, parse_ca_list, verify_login,
)
from identity.adapters.session_settings import whole_seconds
from identity.domain.errors import CaCrlUnavailable, CaLoginRefused, CaLoginUnavailable
from identity.service_layer import ports

log = logging.getLogger(__name__)

DEFAULT_CRL_GRACE_SECONDS = 4 * 3600
MAX_CRL_GRACE_SECONDS = 24 * 3600


def split_paths(value):
    return [path.strip() for path in (value or "").split(",") if path.strip()]


@dataclass(frozen=True)
class CaSettings:
    roots_path: str
    crl_paths: tuple[str, ...] = ()
    crl_grace_seconds: int = DEFAULT_CRL_GRACE_SECONDS
    crl_optional: tuple[CaSelector, ...] = ()
    policies: CaPolicies = CaPolicies()

    @classmethod
    def from_config(cls, config, env):
        """The settings of a service config (None when CA_ROOTS is empty: CA login is off). Bad
        values raise RuntimeError naming the variable; so do values over the bounds in prod."""
        roots = str(config.get("CA_ROOTS") or "").strip()
        if not roots:
            return None
        grace = _int_setting(config.get("CRL_GRACE_SECONDS"), DEFAULT_CRL_GRACE_SECONDS, "XJ_CRL_GRACE_SECONDS")
        if grace > MAX_CRL_GRACE_SECONDS:
            message = (f"XJ_CRL_GRACE_SECONDS={grace} exceeds the upper bound {MAX_CRL_GRACE_SECONDS} "
                       "(a CRL past its nextUpdate may be trusted for at most 24 h)")
            if env == "prod":
                raise RuntimeError(message)
            log.warning("%s; allowed because XJ_ENV=%s", message, env)
        try:
            return cls(
                roots_path=roots,
                crl_paths=tuple(split_paths(config.get("CA_CRLS"))),
                crl_grace_seconds=grace,
                crl_optional=parse_ca_list(config.get("CA_CRL_OPTIONAL"), "XJ_CA_CRL_OPTIONAL"),
                policies=CaPolicies.parse(config.get("CA_POLICIES"), config.get("CA_PERSON_POLICIES")),
            )
        except TrustStoreError as error:
            raise RuntimeError(str(error)) from None

    def load(self) -> TrustStore:
        return TrustStore.from_files(self.roots_path, self.crl_paths,
                                     crl_grace=timedelta(seconds=self.crl_grace_seconds),
                                     crl_optional=self.crl_optional, policies=self.policies)


class CaCertificateVerifier(ports.CertificateVerifier):
    def __init__(self, settings: CaSettings):
        self.settings = settings
        self.paths = [settings.roots_path, *settings.crl_paths]
        self._lock = threading.Lock()
        self._stamp = None
        self._trust = None
        self._last_loaded = None  # kept for session revocation checks while a reload fails
        self.generation = 0  # counts reloads: sessions are swept against the CRLs after each
        self.swept_generation = None  # the generation the last session sweep ran against

    def _current_stamp(self):
        stamps = []
        for path in self.paths:
            try:
                stat = os.stat(path)
                stamps.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    def trust_store(self):
        """The current trust store, reloaded when a file changed (TrustStoreError if the roots
        cannot be read: CA login is then unavailable, never open)."""
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp or self._trust is None:
                self._trust = None
                self._trust = self._last_loaded = self.settings.load()
                self._stamp = stamp
                self.generation += 1
                log.info("CA trust store loaded: %d root(s), %d CRL(s) from %d file(s)",
                         len(self._trust.anchors), len(self._trust.crls), len(self.settings.crl_paths))
            return self._trust

    def current_generation(self):
        """Reload if a file changed, and say which load is current (None if the roots are unreadable)."""
        try:
            self.trust_store()
        except TrustStoreError:
            return None
        return self.generation

    def check_start(self, env, wall_now):
        """At start-up: the roots load, and in prod every trusted CA has a CRL or is allowed not to."""
        try:
            trust = self.trust_store()
        except TrustStoreError as error:
            raise RuntimeError(f"XJ_CA_ROOTS: {error}") from None
        for anchor in trust.anchors:
            if not self.settings.policies.configured_for(anchor):
                log.warning("no enterprise-certificate policy configured for %s (XJ_CA_POLICIES): its "
                            "certificates must carry extendedKeyUsage clientAuth", anchor.subject.rfc4514_string())
        unreadable = [crl_file for crl_file in trust.crl_files if crl_file.state != "ok"]
        without = trust.anchors_without_crl(wall_now)
        if without and not unreadable:
            names = "; ".join(anchor.subject.rfc4514_string() for anchor in without)
            message = (f"XJ_CA_CRLS holds no CRL of the trusted CA(s) {names}: configure their CRL files, or list "
                       "them in XJ_CA_CRL_OPTIONAL to accept their certificates without revocation checking")
            if env == "prod":
                raise RuntimeError(message)
            log.warning("%s (logins under them fail with CA_CRL_UNAVAILABLE)", message)

    def verify(self, certificate_pem, signature_b64, nonce, now, wall_now):
        try:
            verified = verify_login(certificate_pem, signature_b64, nonce, self._trust_or_unavailable(), now,
                                    wall_now=wall_now)
        except CaLoginError as error:
            if error.status == 503:
                raise CaCrlUnavailable(code=error.code, message=error.message)
            raise CaLoginRefused(code=error.code, message=error.message)
        return {
            "uscc": verified.uscc, "subject_name": verified.subject_name, "issuer": verified.issuer,
            "serial_hex": verified.serial_hex, "fingerprint_sha256": verified.fingerprint_sha256,
            "algorithm": verified.algorithm, "not_after": verified.not_after,
            "revocation_keys": [key.to_dict() for key in verified.revocation_keys],
        }

    def revoked(self, revocation_keys):
        try:
            trust = self.trust_store()
        except TrustStoreError:
            # logins are refused meanwhile; running sessions are still held to the CRLs last read
            trust = self._last_loaded
            if trust is None:
                log.error("CA trust store unreadable: sessions cannot be checked against the CRLs now")
                return False
        keys = []
        for data in revocation_keys or ():
            try:
                keys.append(RevocationKey.from_dict(data))
            except (KeyError, TypeError, ValueError):
                log.warning("a session holds an unreadable certificate reference; skipped")
        return trust.revoked(keys) is not None

    def crl_report(self, wall_now):
        try:
            trust = self.trust_store()
        except TrustStoreError as error:
            return {"state": "unavailable", "detail": str(error), "cas": [], "files": []}
        cas = trust.crl_report(wall_now)
        files = [{"file": os.path.basename(f.path), "state": f.state} for f in trust.crl_files]
        healthy = all(ca["state"] in ("ok", "not_required") for ca in cas) and all(f["state"] == "ok" for f in files)
        return {"state": "ok" if healthy else "degraded", "grace_seconds": self.settings.crl_grace_seconds,
                "cas": cas, "files": files}

    def _trust_or_unavailable(self):
        try:
            return self.trust_store()
        except TrustStoreError as error:
            log.error("CA trust store cannot be loaded: %s", error)
            raise CaLoginUnavailable()


def _int_setting(value, default, variable):
    number = whole_seconds(value, default, variable)
    if number < 0:
        raise RuntimeError(f"{variable} must not be negative, got {number}")
    return number
