"""employment-svc and identity-svc through nameko RPC (cert may call both; the graph stays acyclic)."""
from certs.service_layer import ports


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
