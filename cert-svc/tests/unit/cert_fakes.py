"""In-memory fakes of cert-svc's ports, for unit tests of the service layer only.

FakeCertificates enforces the same unique key as the Mongo repository (``certificate_key``: one
certificate per enterprise, kind and number) and the same version check (``xjkit.fakes``), so the
rules the store guards are exercised here too. Use cases reach it through
FakeCertificatesUnitOfWork, as they reach the Mongo one through the unit of work.
"""
import copy

from xjkit.fakes import InMemoryRepository

from certs.adapters.repositories import certificate_key
from certs.domain import certificate as kinds
from certs.domain.errors import NationalPlatformUnavailable
from certs.service_layer import ports


def _key(certificate):
    return certificate_key(certificate.enterprise_uscc, certificate.kind, certificate.cert_no)


class FakeCertificates(InMemoryRepository, ports.CertificateRepository):
    id_field = "certificate_id"
    unique_keys = (("certificate_key_1", _key),)

    def find_by_key(self, enterprise_uscc, kind, cert_no):
        wanted = certificate_key(enterprise_uscc, kind, cert_no)
        return next((self.loaded(c) for c in self.items.values() if _key(c) == wanted), None)

    def page_for_enterprise(self, enterprise_uscc, kind, person_id, page, per_page):
        mine = sorted((c for c in self.items.values() if c.enterprise_uscc == enterprise_uscc
                       and (not kind or c.kind == kind) and (not person_id or c.person_id == person_id)),
                      key=lambda c: (c.person_name, c.kind, c.certificate_id))
        return self.loaded_all(mine[(page - 1) * per_page:page * per_page]), len(mine)

    def of_person(self, person_id):
        return sorted(self.loaded_all(c for c in self.items.values() if c.person_id == person_id),
                      key=lambda c: c.created_at, reverse=True)

    def of_person_at(self, enterprise_uscc, person_id):
        return self.loaded_all(c for c in self.items.values()
                               if c.enterprise_uscc == enterprise_uscc and c.person_id == person_id)

    def expiring(self, day_iso, limit):
        return self.loaded_all([c for c in self.items.values() if c.status in (kinds.VALID, kinds.CONFIRMED)
                                and c.valid_until and c.valid_until < day_iso][:limit])

    # for assertions
    def registered_of(self, enterprise_uscc):
        return sorted((c for c in self.stored() if c.enterprise_uscc == enterprise_uscc and c.kind == kinds.REGISTERED),
                      key=lambda c: c.cert_no)


class FakeCertificatesUnitOfWork(ports.CertificatesUnitOfWork):
    def __init__(self, certificates=None):
        super().__init__(certificates=certificates or FakeCertificates())


def masked(id_card_no):
    return id_card_no[:6] + "********" + id_card_no[-4:]


class FakeStaff(ports.Staff):
    """employment-svc: who is actively employed where. Counts its calls (each one is an RPC)."""

    def __init__(self):
        self.employed = {}  # person_id -> (enterprise_uscc, person view)
        self.calls = 0

    def employ(self, enterprise_uscc, person_id, person_name, id_card_no):
        self.employed[person_id] = (enterprise_uscc, {"person_id": person_id, "person_name": person_name,
                                                      "id_card_masked": masked(id_card_no)})

    def leave(self, person_id):
        self.employed.pop(person_id, None)

    def active_staff(self, enterprise_uscc):
        self.calls += 1
        return [dict(view) for uscc, view in self.employed.values() if uscc == enterprise_uscc]

    def current_employment(self, person_id):
        found = self.employed.get(person_id)
        if not found:
            return None
        return {**found[1], "enterprise_uscc": found[0], "enterprise_name": f"企业{found[0][-4:]}"}


class FakeIdentityNumbers(ports.IdentityNumbers):
    """identity-svc: full ID numbers of verified persons. Counts its calls."""

    def __init__(self):
        self.numbers = {}
        self.calls = []

    def register(self, person_id, id_card_no):
        self.numbers[person_id] = id_card_no

    def id_cards_of(self, person_ids):
        self.calls.append(list(person_ids))
        return {pid: self.numbers[pid] for pid in person_ids if pid in self.numbers}


class FakeNational(ports.NationalPlatform):
    """The national platform: per person, rows as the platform sends them (one per speciality).

    ``outage = True`` fails every call; ``failing`` holds ID numbers whose call fails. ``calls``
    lists the ID numbers asked for, in order.
    """

    def __init__(self):
        self.persons = {}  # id_card_no -> [row]
        self.outage = False
        self.failing = set()
        self.calls = []

    def add_person(self, id_card_no, name):
        self.persons.setdefault(id_card_no, [])

    def register(self, id_card_no, name, cert_no, registered_uscc, registered_unit="某某建设集团有限公司",
                 type="一级注册建造师", specialties=("建筑工程",), valid_from="2025-01-01",
                 valid_until="2028-01-01", seal_no=None):
        rows = self.persons.setdefault(id_card_no, [])
        rows.extend({"id_card_no": id_card_no, "name": name, "cert_no": cert_no, "type": type,
                     "seal_no": seal_no or f"印{cert_no}", "registered_uscc": registered_uscc,
                     "registered_unit": registered_unit, "valid_from": valid_from, "valid_until": valid_until,
                     "specialty": specialty} for specialty in specialties)

    def withdraw(self, id_card_no, cert_no):
        self.persons[id_card_no] = [r for r in self.persons[id_card_no] if r["cert_no"] != cert_no]

    def change(self, id_card_no, cert_no, **fields):
        for row in self.persons[id_card_no]:
            if row["cert_no"] == cert_no:
                row.update(fields)

    def registered_certificates(self, id_card_no):
        self.calls.append(id_card_no)
        if self.outage or id_card_no in self.failing:
            raise NationalPlatformUnavailable()
        return copy.deepcopy(self.persons.get(id_card_no, []))


class FakePersonFiles(ports.PersonFiles):
    """employment-svc's uploads: which file ids belong to which person."""

    def __init__(self):
        self.owners = {}  # file_id -> person_id

    def owned_by_person(self, person_id, file_id):
        return self.owners.get(file_id) == person_id
