"""In-memory fakes of filing-svc's ports, for unit tests of the service layer only.

FakeRegistrations keeps the same unique booklet number and the same version check as the Mongo
repository (``xjkit.fakes``); use cases reach both fake repositories through FakeFilingUnitOfWork,
as they reach the Mongo ones through the unit of work.
"""
import copy

from xjkit.fakes import InMemoryRepository

from filing.service_layer import ports


class FakeRegistrations(InMemoryRepository, ports.RegistrationRepository):
    id_field = "registration_id"
    unique_keys = (("booklet_no_1", lambda registration: registration.booklet_no),)

    def get(self, uscc, enterprise_type):
        return self.loaded(self.items.get(f"{uscc}:{enterprise_type}"))

    def of_enterprise(self, uscc):
        return self.loaded_all(sorted((r for r in self.items.values() if r.uscc == uscc),
                                      key=lambda r: r.enterprise_type))

    def page_all(self, page, per_page):
        ordered = [self.items[key] for key in sorted(self.items)]
        return self.loaded_all(ordered[(page - 1) * per_page:page * per_page]), len(ordered)


class FakeCases(InMemoryRepository, ports.CaseRepository):
    id_field = "case_id"

    def page_for(self, uscc, business, status, page, per_page):
        mine = [c for c in self.items.values() if c.uscc == uscc and (not business or c.business == business)
                and (not status or c.status == status)]
        return self.loaded_all(mine[(page - 1) * per_page:page * per_page]), len(mine)


class FakeFilingUnitOfWork(ports.FilingUnitOfWork):
    def __init__(self, registrations=None, cases=None):
        super().__init__(registrations=registrations or FakeRegistrations(), cases=cases or FakeCases())


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
