"""The other services (RPC) and the national platform (HTTP), as filing-svc's ports."""
import logging

import requests

from xjkit.errors import NationalPlatformUnavailable

from filing.service_layer import ports

log = logging.getLogger(__name__)


class HttpNationalPlatform(ports.NationalPlatform):
    def __init__(self, base_url, timeout=5):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()

    def enterprise(self, uscc):
        try:
            response = self.http.get(f"{self.base_url}/enterprises/{uscc}", timeout=self.timeout)
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as error:
            log.warning("national platform unreachable for %s: %s", uscc, type(error).__name__)
            raise NationalPlatformUnavailable() from None

    def close(self):
        self.http.close()


class EmploymentStaff(ports.Staff):
    def __init__(self, employment_rpc):
        self.employment = employment_rpc

    def active_staff(self, uscc):
        return self.employment.active_staff(enterprise_uscc=uscc)

    def staff_and_files(self, uscc, file_ids):
        answer = self.employment.staff_and_files(enterprise_uscc=uscc, file_ids=list(file_ids))
        return answer["staff"], set(answer["owned_file_ids"])


class CertCertificates(ports.Certificates):
    def __init__(self, cert_rpc):
        self.cert = cert_rpc

    def of_enterprise(self, uscc, certificate_ids):
        return self.cert.certificates_by_ids(enterprise_uscc=uscc, certificate_ids=list(certificate_ids))

    def of_person_registered(self, uscc, person_id):
        return self.cert.registered_of_person(enterprise_uscc=uscc, person_id=person_id)
