"""The CA revocation lists' dates as gauges, so an alert fires before a CRL goes stale.

A stale CRL means revocation can no longer be checked, and enterprise login fails closed
(``CA_CRL_UNAVAILABLE``). Operations must put a fresh CRL in place before ``nextUpdate``; the
alert ``XjCrlGoingStale`` (deploy/monitoring/alerts.yml) warns a day ahead.
"""
from prometheus_client.core import GaugeMetricFamily

from identity.adapters.providers import CaVerifier


def _verifier_of(container):
    for extension in container.dependencies:
        if isinstance(extension, CaVerifier):
            return getattr(extension, "verifier", None)
    return None


def crl_metrics(container):
    """Metric families for ``xjkit.nameko.telemetry.Telemetry(collectors=...)``."""
    service = container.service_name
    loaded = GaugeMetricFamily("xj_ca_trust_store_loaded",
                               "1 when the CA roots and CRLs (XJ_CA_ROOTS, XJ_CA_CRLS) load; 0 when they do not",
                               labels=["service"])
    next_update = GaugeMetricFamily("xj_crl_next_update_seconds",
                                    "When the CRL's issuer promises the next one (nextUpdate, Unix time)",
                                    labels=["service", "issuer"])
    this_update = GaugeMetricFamily("xj_crl_this_update_seconds", "When the CRL was issued (thisUpdate, Unix time)",
                                    labels=["service", "issuer"])
    verifier = _verifier_of(container)
    if verifier is None:  # CA login is not configured: nothing to report
        return []
    try:
        trust = verifier.trust_store()  # reloads the files when they changed on disk
    except Exception:
        loaded.add_metric([service], 0)
        return [loaded]
    loaded.add_metric([service], 1)
    for crl in trust.crls:
        issuer = crl.issuer.rfc4514_string()
        this_update.add_metric([service, issuer], crl.last_update_utc.timestamp())
        if crl.next_update_utc is not None:
            next_update.add_metric([service, issuer], crl.next_update_utc.timestamp())
    return [loaded, next_update, this_update]
