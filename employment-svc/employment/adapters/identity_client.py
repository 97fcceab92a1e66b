"""identity-svc through nameko RPC (employment may call identity; the graph stays acyclic)."""
from xjkit.errors import DomainError

from employment.domain.errors import PersonNotFound
from employment.service_layer import ports


class IdentityPersonDirectory(ports.PersonDirectory):
    def __init__(self, identity_rpc):
        self.identity = identity_rpc

    def lookup_by_id_card(self, id_card_no):
        try:
            return self.identity.lookup_person_by_id_card(id_card_no=id_card_no)
        except DomainError as error:  # remote refusals arrive as the base class, by their code
            if error.code == PersonNotFound.code:
                raise PersonNotFound() from None
            raise


class IdentityFaceTickets(ports.FaceTickets):
    def __init__(self, identity_rpc):
        self.identity = identity_rpc

    def consume(self, person_id, verify_id, purpose, target_id):
        return self.identity.consume_face_ticket(person_id=person_id, verify_id=verify_id,
                                                 purpose=purpose, target_id=target_id)
