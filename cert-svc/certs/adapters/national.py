"""Client of the national construction-market platform (四库一平台) over its JSON REST API.

The base URL is configurable: production names the platform's gateway, development and tests the
stub in ``deploy/stubs`` (``<stub>/national/api/v1``). Every failure to get a usable answer (a
5xx, no connection, a timeout, something that is not the expected JSON) becomes
NationalPlatformUnavailable. Logs carry only masked ID numbers, and no exception text, which
for connection errors holds the request path and so the full number.
"""
import logging
from urllib.parse import quote

import requests

from xjkit.masking import mask_id_card

from certs.domain.errors import NationalPlatformUnavailable
from certs.service_layer import ports

log = logging.getLogger(__name__)


class HttpNationalPlatform(ports.NationalPlatform):
    def __init__(self, base_url, timeout=5, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = session or requests.Session()

    def registered_certificates(self, id_card_no):
        """The person's registered certificates, one row per speciality; [] for an unknown person."""
        masked = mask_id_card(id_card_no)
        url = f"{self.base_url}/persons/{quote(str(id_card_no), safe='')}/certificates"
        try:
            response = self.http.get(url, timeout=self.timeout, headers={"Accept": "application/json"})
        except requests.RequestException as error:
            log.warning("national platform unreachable for %s: %s", masked, type(error).__name__)
            raise NationalPlatformUnavailable() from None
        if response.status_code == 404:
            return []
        if response.status_code != 200:
            log.warning("national platform answered %s for %s", response.status_code, masked)
            raise NationalPlatformUnavailable()
        try:
            body = response.json()
        except ValueError:
            log.warning("national platform sent a body that is not JSON for %s", masked)
            raise NationalPlatformUnavailable() from None
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(row, dict) and row.get("cert_no") for row in items):
            log.warning("national platform sent an unexpected answer for %s", masked)
            raise NationalPlatformUnavailable()
        return items

    def close(self):
        self.http.close()
