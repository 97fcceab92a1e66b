"""In-memory fakes of employment-svc's ports, for unit tests of the service layer only.

The fake repository enforces the same two store keys as the Mongo one (active_person and
pending_key) and the same version check (``xjkit.fakes``), so the rules the store guards are
exercised here too. Use cases reach it through FakeEmploymentsUnitOfWork, as they reach the Mongo
one through the unit of work.
"""
from xjkit.errors import DomainError
from xjkit.fakes import InMemoryRepository

from employment.adapters.repositories import active_person, pending_key
from employment.domain import employment as states
from employment.domain.errors import PersonNotFound
from employment.service_layer import ports


class FakeEmployments(InMemoryRepository, ports.EmploymentRepository):
    id_field = "employment_id"
    unique_keys = (("active_person_1", active_person), ("pending_key_1", pending_key))

    def active_of(self, person_id):
        return next((self.loaded(e) for e in self.items.values()
                     if e.person_id == person_id and e.status == states.ACTIVE), None)

    def pending_of(self, person_id):
        return self.loaded_all(e for e in self.items.values() if e.person_id == person_id and e.status == states.PENDING)

    def page_for_enterprise(self, uscc, status, page, per_page):
        mine = sorted((e for e in self.items.values() if e.enterprise_uscc == uscc and (not status or e.status == status)),
                      key=lambda e: e.created_at, reverse=True)
        return self.loaded_all(mine[(page - 1) * per_page:page * per_page]), len(mine)

    def all_for_person(self, person_id):
        return sorted(self.loaded_all(e for e in self.items.values() if e.person_id == person_id),
                      key=lambda e: e.created_at, reverse=True)

    def active_at(self, uscc):
        return self.loaded_all(e for e in self.items.values() if e.enterprise_uscc == uscc and e.status == states.ACTIVE)

    def active_ending_before(self, day_iso, limit):
        return self.loaded_all([e for e in self.items.values()
                                if e.status == states.ACTIVE and e.contract_end < day_iso][:limit])


class FakeEmploymentsUnitOfWork(ports.EmploymentsUnitOfWork):
    def __init__(self, employments=None):
        super().__init__(employments=FakeEmployments() if employments is None else employments)


class FakeDirectory(ports.PersonDirectory):
    def __init__(self):
        self.persons = {}

    def add(self, id_card_no, person_id, name, verified=True):
        self.persons[id_card_no] = {"person_id": person_id, "name": name,
                                    "id_card_masked": id_card_no[:6] + "********" + id_card_no[-4:],
                                    "realname_status": "verified" if verified else "unverified"}

    def lookup_by_id_card(self, id_card_no):
        if id_card_no not in self.persons:
            raise PersonNotFound()
        return dict(self.persons[id_card_no])


class FakeLookupAudit(ports.LookupAudit):
    def __init__(self):
        self.entries = []

    def record(self, entry):
        self.entries.append(dict(entry))

    def page(self, enterprise_uscc, person_id, since, until, page, per_page):
        found = [e for e in self.entries
                 if (not enterprise_uscc or e["enterprise_uscc"] == enterprise_uscc)
                 and (not person_id or e["person_id"] == person_id)
                 and (not since or e["at"] >= since) and (not until or e["at"] < until)]
        found.sort(key=lambda e: e["at"], reverse=True)
        return found[(page - 1) * per_page:page * per_page], len(found)


class FakeFaceTickets(ports.FaceTickets):
    """Tickets are (person_id, target_id) pairs issued by the test; each passes once."""

    def __init__(self):
        self.issued = {}

    def issue(self, person_id, target_id):
        verify_id = f"ticket-{len(self.issued) + 1}"
        self.issued[verify_id] = (person_id, target_id)
        return verify_id

    def consume(self, person_id, verify_id, purpose, target_id):
        if self.issued.get(verify_id) != (person_id, target_id) or purpose != "employment.accept":
            raise DomainError("FACE_CHECK_NOT_FOUND", "人脸核身记录不存在", 404)
        del self.issued[verify_id]
        return {"verify_id": verify_id, "passed": True}


class FakeFiles(ports.ContractFiles):
    def __init__(self):
        self.owners = {}

    def owned_by(self, uscc, file_id):
        return self.owners.get(file_id) == uscc
