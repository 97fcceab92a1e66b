"""In-memory fakes of filing-svc's ports, for unit tests of the service layer only."""
import copy

from xjkit.errors import ConcurrencyConflict, DuplicateKey

from filing.service_layer import ports


class FakeRegistrations(ports.RegistrationRepository):
    def __init__(self):
        self.items = {}
        self.events = []

    def get(self, uscc, enterprise_type):
        found = self.items.get(f"{uscc}:{enterprise_type}")
        return copy.deepcopy(found) if found else None

    def of_enterprise(self, uscc):
        return [copy.deepcopy(r) for r in self.items.values() if r.uscc == uscc]

    def add(self, registration, events=()):
        if registration.registration_id in self.items:
            raise DuplicateKey()
        registration.version = 1
        self.items[registration.registration_id] = copy.deepcopy(registration)
        self.events.extend(events)

    def save(self, registration, events=()):
        if self.items[registration.registration_id].version != registration.version:
            raise ConcurrencyConflict()
        registration.version += 1
        self.items[registration.registration_id] = copy.deepcopy(registration)
        self.events.extend(events)


class FakeCases(ports.CaseRepository):
    def __init__(self):
        self.items = {}

    def add(self, case):
        self.items[case.case_id] = copy.deepcopy(case)

    def get(self, case_id):
        return copy.deepcopy(self.items.get(case_id))

    def page_for(self, uscc, business, status, page, per_page):
        mine = [c for c in self.items.values() if c.uscc == uscc and (not business or c.business == business)
                and (not status or c.status == status)]
        return mine[(page - 1) * per_page:page * per_page], len(mine)


class FakeNational(ports.NationalPlatform):
    def __init__(self):
        self.enterprises = {}

    def enterprise(self, uscc):
        return copy.deepcopy(self.enterprises.get(uscc))


class FakeStaff(ports.Staff):
    def __init__(self):
        self.staff = {}
        self.files = {}

    def hire(self, uscc, person_id, name):
        self.staff.setdefault(uscc, {})[person_id] = {"person_id": person_id, "person_name": name,
                                                      "id_card_masked": "510104********1230"}

    def active_staff(self, uscc):
        return list(self.staff.get(uscc, {}).values())

    def staff_and_files(self, uscc, file_ids):
        return self.active_staff(uscc), {file_id for file_id in file_ids if self.files.get(file_id) == uscc}


class FakeCertificates(ports.Certificates):
    def __init__(self):
        self.items = {}

    def add(self, certificate_id, uscc, person_id, kind="post", status="valid", valid_until="2029-01-01",
            type="施工员"):
        self.items[certificate_id] = {"id": certificate_id, "kind": kind, "enterprise_uscc": uscc,
                                      "person_id": person_id, "person_name": "张三", "id_card_masked": "510104********1230",
                                      "cert_no": f"NO-{certificate_id}", "type": type, "specialties": [],
                                      "level": None, "valid_until": valid_until, "status": status}

    def of_enterprise(self, uscc, certificate_ids):
        return {i: dict(self.items[i]) for i in certificate_ids if i in self.items
                and self.items[i]["enterprise_uscc"] == uscc}

    def of_person_registered(self, uscc, person_id):
        return [dict(c) for c in self.items.values() if c["enterprise_uscc"] == uscc
                and c["person_id"] == person_id and c["kind"] == "registered"]
