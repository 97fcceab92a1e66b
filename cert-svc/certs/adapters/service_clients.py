"""employment-svc and identity-svc through nameko RPC (cert may call both; the graph stays acyclic)."""
from xjkit.errors import DomainError

from certs.service_layer import ports

FILE_NOT_FOUND = "FILE_NOT_FOUND"


class EmploymentStaff(ports.Staff):
    def __init__(self, employment_rpc):
        self.employment = employment_rpc

    def active_staff(self, enterprise_uscc):
        return self.employment.active_staff(enterprise_uscc=enterprise_uscc)

    def current_employment(self, person_id):
        return self.employment.current_employment(person_id=person_id)


class IdentityIdNumbers(ports.IdentityNumbers):
    def __init__(self, identity_rpc):
        self.identity = identity_rpc

    def id_cards_of(self, person_ids):
        return self.identity.id_cards_of(person_ids=list(person_ids))


class EmploymentPersonFiles(ports.PersonFiles):
    """Uploads live in employment-svc; a file that is missing or someone else's is FILE_NOT_FOUND there."""

    def __init__(self, employment_rpc):
        self.employment = employment_rpc

    def owned_by_person(self, person_id, file_id):
        try:
            self.employment.person_file_meta(person_id=person_id, file_id=file_id)
            return True
        except DomainError as error:
            if error.code == FILE_NOT_FOUND:
                return False
            raise
