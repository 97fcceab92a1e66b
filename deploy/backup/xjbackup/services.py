"""The five services, their databases (as their config.yml name them) and the backup order."""
import os

# filing before publicity: publicity's read model is built from filing's events, so a backup
# of publicity taken after filing's holds at least what filing's does (see needs_publicity_rebuild)
SERVICES = ("identity", "employment", "cert", "filing", "publicity")


def database_of(service, environ=os.environ, overrides=None):
    """``<SERVICE>_DATABASE`` (as in the service's config.yml), default ``xj_<service>``."""
    if overrides and service in overrides:
        return overrides[service]
    return environ.get(f"{service.upper()}_DATABASE") or f"xj_{service}"


def parse_overrides(pairs):
    """``["filing=xj_filing_2", ...]`` → {"filing": "xj_filing_2"}."""
    overrides = {}
    for pair in pairs or ():
        service, _, database = pair.partition("=")
        if service not in SERVICES or not database:
            raise ValueError(f"--database expects SERVICE=DATABASE with SERVICE one of {', '.join(SERVICES)}: {pair!r}")
        overrides[service] = database
    return overrides
