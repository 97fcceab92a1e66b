"""The automatic review of every business, each rejection reason, validity and the extension
window, on the service layer with fakes."""
import datetime

import pytest

from xjkit.clock import SHANGHAI, FixedClock
from xjkit.errors import ConcurrencyConflict, RegistrationNotFound, ValidationFailed

from xjkit.booklets import enterprise_type_of, is_booklet_no
from filing_fakes import FakeCertificates, FakeFilingUnitOfWork, FakeNational, FakeStaff
from filing.domain import validity
from filing.service_layer import queries, review

USCC = "9151010029141777XB"  # 四川黄河建设集团有限公司 in the national dataset
XJ_USCC = "91650100434820989D"
COST_USCC = "911101054728576191"
BASIC = {"name": "四川黄河建设集团有限公司", "legal_representative": "苏芳", "registered_address": "成都市人民南路278号",
         "registered_capital_wan": 1000, "established_on": "2010-02-20", "contact_name": "王经理",
         "contact_phone": "13800138000"}


def national_record(uscc, name, category, expires="2029-03-01"):
    return {"uscc": uscc, "name": name, "legal_representative": "某", "address": "某地", "registered_capital_wan": 1000,
            "established_on": "2010-01-01",
            "qualifications": [{"cert_no": f"Q-{category}", "code": "D101T", "category": category,
                                "name": f"{category}资质", "grade": "特级", "issued_on": "2024-03-02",
                                "expires_on": expires},
                               {"cert_no": "Q-other", "code": "E101B", "category": "supervision", "name": "监理资质",
                                "grade": "乙级", "issued_on": "2024-01-01", "expires_on": "2030-01-01"}]}


@pytest.fixture
def world():
    class World:
        uow, national = FakeFilingUnitOfWork(), FakeNational()
        registrations, cases = uow.registrations, uow.cases
        staff, certificates = FakeStaff(), FakeCertificates()
        clock = FixedClock(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))

        def ports(self):
            return review.ReviewPorts(self.uow, self.national, self.staff, self.certificates, self.clock)

        def submit(self, business, data, uscc=USCC, enterprise_type="construction"):
            return review.submit(self.ports(), uscc, "企业", enterprise_type, business, data)

        def first_filing(self, **changes):
            return self.submit("first_filing", {
                "basic": BASIC, "manager_person_id": "m", "tech_manager_person_id": "t", "attachments": ["f1"],
                "sync_qualifications": True, **changes})

        def error_codes(self, case):
            return [r["error"] for r in case["reasons"]]

        def hire_cost_lead(self, uscc=COST_USCC, certificate_type="一级注册造价工程师"):
            """The lead of ``cost_project()`` ("lead", attachment "f9") with a registered certificate."""
            self.staff.hire(uscc, "lead", "造价师")
            self.staff.files["f9"] = uscc
            self.certificates.add("e1", uscc, "lead", kind="registered", type=certificate_type)
    w = World()
    w.national.enterprises[USCC] = national_record(USCC, "四川黄河建设集团有限公司", "construction")
    w.national.enterprises[XJ_USCC] = national_record(XJ_USCC, "新疆陇原建设集团有限公司", "construction")
    w.national.enterprises[COST_USCC] = national_record(COST_USCC, "北京之江造价师事务所有限公司", "cost_consulting")
    w.staff.hire(USCC, "m", "负责人")
    w.staff.hire(USCC, "t", "技术负责人")
    w.staff.files["f1"] = USCC
    return w


# validity ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("approved, until", [
    ("2026-11-25", "2026-12-31"), ("2026-12-19", "2026-12-31"), ("2026-12-20", "2027-12-31"), ("2026-12-31", "2027-12-31"),
    ("2027-01-01", "2027-12-31"),
])
def test_a_registration_approved_on_a_day_is_valid_to_the_end_of_that_or_the_next_year(approved, until):
    assert validity.valid_until_for_approval(datetime.date.fromisoformat(approved)).isoformat() == until


# first filing -----------------------------------------------------------------------------------

def test_a_complete_first_filing_is_approved_with_only_its_types_valid_qualifications(world):
    case = world.first_filing()
    assert case["status"] == "approved" and case["reasons"] == []
    registration = world.registrations.get(USCC, "construction")
    assert [q["category"] for q in registration.qualifications] == ["construction"]
    assert registration.valid_until == "2026-12-31"
    assert registration.manager["name"] == "负责人"
    assert {c["field"] for c in case["changes"]} >= {"basic", "manager", "qualifications"}
    assert [e.type for e in world.registrations.events] == ["filing.registration_changed"]
    assert "13800138000" not in repr(world.registrations.events[0].payload)


def test_a_second_first_filing_for_the_same_type_is_rejected(world):
    world.first_filing()
    case = world.first_filing()
    assert case["status"] == "rejected" and "ALREADY_REGISTERED" in world.error_codes(case)
    assert len(world.cases.items) == 2


def test_an_in_region_enterprise_is_rejected_with_that_reason(world):
    world.staff.hire(XJ_USCC, "m", "负责人"), world.staff.hire(XJ_USCC, "t", "技术")
    world.staff.files["f1"] = XJ_USCC
    case = world.submit("first_filing", {"basic": {**BASIC, "name": "新疆陇原建设集团有限公司"}, "manager_person_id": "m",
                                         "tech_manager_person_id": "t", "attachments": ["f1"],
                                         "sync_qualifications": True}, uscc=XJ_USCC)
    assert world.error_codes(case) == ["IN_REGION_ENTERPRISE"]
    assert world.registrations.items == {}


def test_a_name_that_differs_from_the_national_platform_is_rejected(world):
    case = world.first_filing(basic={**BASIC, "name": "四川黄河建设有限公司"})
    assert world.error_codes(case) == ["NAME_MISMATCH"] and case["reasons"][0]["field"] == "basic.name"


def test_an_enterprise_unknown_to_the_national_platform_is_rejected(world):
    del world.national.enterprises[USCC]
    assert "NOT_ON_NATIONAL_PLATFORM" in world.error_codes(world.first_filing())


def test_expired_qualifications_do_not_count(world):
    world.national.enterprises[USCC] = national_record(USCC, "四川黄河建设集团有限公司", "construction", expires="2026-11-24")
    assert world.error_codes(world.first_filing()) == ["NO_VALID_QUALIFICATION"]


def test_managers_must_be_actively_employed_and_every_reason_is_listed(world):
    case = world.first_filing(manager_person_id="stranger", tech_manager_person_id="nobody", attachments=["f1", "f2"])
    assert world.error_codes(case) == ["PERSON_NOT_EMPLOYED", "PERSON_NOT_EMPLOYED", "FILE_NOT_FOUND"]
    assert [r.get("field") for r in case["reasons"]] == ["manager_person_id", "tech_manager_person_id", "attachments.1"]


def test_cost_consulting_has_no_first_filing(world):
    case = world.submit("first_filing", {"basic": BASIC, "manager_person_id": "m", "tech_manager_person_id": "t",
                                         "attachments": ["f1"], "sync_qualifications": True},
                        enterprise_type="cost_consulting")
    assert "COST_CONSULTING_NO_FIRST_FILING" in world.error_codes(case)


def test_a_malformed_submission_is_422_and_makes_no_case(world):
    with pytest.raises(ValidationFailed) as refused:
        world.first_filing(basic={**BASIC, "contact_phone": "12345"}, sync_qualifications=False, status="approved")
    assert set(refused.value.errors) == {"basic.contact_phone", "sync_qualifications", "status"}
    assert world.cases.items == {}


def test_a_first_filing_beaten_by_a_concurrent_one_is_kept_as_rejected(world):
    def another_first_filing(repository):  # gets there between this review and its write
        other = FakeFilingUnitOfWork(repository.sharing_storage(), world.cases.sharing_storage())
        ports = review.ReviewPorts(other, world.national, world.staff, world.certificates, world.clock)
        review.submit(ports, USCC, "企业", "construction", "first_filing", {
            "basic": {**BASIC, "contact_name": "先到"}, "manager_person_id": "m", "tech_manager_person_id": "t",
            "attachments": ["f1"], "sync_qualifications": True})
    world.registrations.before_next_write = another_first_filing
    case = world.first_filing()
    assert case["status"] == "rejected" and world.error_codes(case) == ["ALREADY_REGISTERED"]
    assert case["changes"] == []
    assert world.registrations.get(USCC, "construction").basic["contact_name"] == "先到"
    assert [e.type for e in world.registrations.events] == ["filing.registration_changed"]  # the winner's only
    assert sorted(c.status for c in world.cases.stored()) == ["approved", "rejected"]


def test_a_change_beaten_by_a_concurrent_write_stores_nothing_and_is_reviewed_again(world):
    world.first_filing()
    world.staff.hire(USCC, "n", "新负责人")

    def someone_changes_it(repository):
        [stored] = repository.stored()
        stored.basic = {**stored.basic, "contact_name": "并发"}
        repository.put(stored)
    world.registrations.before_next_write = someone_changes_it
    with pytest.raises(ConcurrencyConflict):
        world.submit("manager_change", {"manager_person_id": "n"})
    assert len(world.cases.items) == 1 and len(world.registrations.events) == 1  # the first filing's
    assert world.submit("manager_change", {"manager_person_id": "n"})["status"] == "approved"
    registration = world.registrations.get(USCC, "construction")
    assert (registration.manager["name"], registration.basic["contact_name"]) == ("新负责人", "并发")
    assert [e.payload["business"] for e in world.registrations.events] == ["first_filing", "manager_change"]


@pytest.mark.parametrize("business, data", [
    ("basic_change", {"basic": {"contact_name": "李经理"}}),
    ("manager_change", {"manager_person_id": "t"}),
    ("tech_manager_change", {"tech_manager_person_id": "m"}),
    ("qualification_change", {}),
])
def test_each_approved_change_announces_its_business_with_the_next_serial(world, business, data):
    world.first_filing()
    assert world.submit(business, data)["status"] == "approved"
    first, changed = world.registrations.events
    assert (changed.type, changed.payload["business"]) == ("filing.registration_changed", business)
    assert changed.payload["serial"] == first.payload["serial"] + 1
    assert changed.payload == {"business": business, **world.registrations.get(USCC, "construction").public_payload()}
    assert changed.payload["basic"]["contact_phone"] == "138****8000"


# personnel ------------------------------------------------------------------------------------------

def test_personnel_filing_files_valid_certificates_of_employed_staff(world):
    world.first_filing()
    world.certificates.add("c1", USCC, "m")
    case = world.submit("personnel_filing", {"certificate_ids": ["c1"]})
    assert case["status"] == "approved"
    assert [p["id"] for p in world.registrations.get(USCC, "construction").personnel] == ["c1"]
    filed = [e for e in world.registrations.events if e.type == "filing.personnel_changed"]
    assert filed[-1].payload["filed"] == ["c1"]


@pytest.mark.parametrize("setup, code", [
    (lambda w: w.certificates.add("c1", USCC, "stranger"), "HOLDER_NOT_EMPLOYED"),
    (lambda w: w.certificates.add("c1", USCC, "m", status="expired", valid_until="2026-01-01"), "CERTIFICATE_NOT_VALID"),
    (lambda w: w.certificates.add("c1", USCC, "m", valid_until="2026-11-24"), "CERTIFICATE_EXPIRED"),
    (lambda w: w.certificates.add("c1", USCC, "m", kind="title", status="pending_confirmation"), "TITLE_NOT_CONFIRMED"),
    (lambda w: w.certificates.add("c1", "91610100859574891U", "m"), "CERTIFICATE_NOT_FOUND"),
])
def test_each_certificate_problem_rejects_the_personnel_filing(world, setup, code):
    world.first_filing()
    setup(world)
    case = world.submit("personnel_filing", {"certificate_ids": ["c1"]})
    assert case["status"] == "rejected" and code in world.error_codes(case)
    assert world.registrations.get(USCC, "construction").personnel == []


def test_personnel_filing_needs_a_registration(world):
    world.certificates.add("c1", USCC, "m")
    assert world.error_codes(world.submit("personnel_filing", {"certificate_ids": ["c1"]})) == ["REGISTRATION_MISSING"]


def test_personnel_change_adds_and_removes(world):
    world.first_filing()
    world.certificates.add("c1", USCC, "m")
    world.certificates.add("c2", USCC, "t")
    world.submit("personnel_filing", {"certificate_ids": ["c1"]})
    case = world.submit("personnel_change", {"add": ["c2"], "remove": ["c1"]})
    assert case["status"] == "approved"
    assert [p["id"] for p in world.registrations.get(USCC, "construction").personnel] == ["c2"]
    change = world.registrations.events[-1].payload
    assert (change["filed"], change["unfiled"]) == (["c2"], ["c1"])
    assert world.error_codes(world.submit("personnel_change", {"remove": ["c1"]})) == ["NOT_FILED"]


# changes ---------------------------------------------------------------------------------------------

def test_basic_change_records_before_and_after(world):
    world.first_filing()
    case = world.submit("basic_change", {"basic": {"contact_name": "李经理"}})
    [change] = case["changes"]
    assert change["before"]["contact_name"] == "王经理" and change["after"]["contact_name"] == "李经理"


def test_manager_change_needs_an_employee_and_a_different_person(world):
    world.first_filing()
    assert world.error_codes(world.submit("manager_change", {"manager_person_id": "m"})) == ["UNCHANGED"]
    assert world.error_codes(world.submit("manager_change", {"manager_person_id": "x"})) == ["PERSON_NOT_EMPLOYED"]
    world.staff.hire(USCC, "n", "新负责人")
    assert world.submit("manager_change", {"manager_person_id": "n"})["status"] == "approved"
    assert world.registrations.get(USCC, "construction").manager["name"] == "新负责人"


def test_a_change_renews_the_booklet_number(world):
    world.first_filing()
    before = world.registrations.get(USCC, "construction").booklet_no
    assert is_booklet_no(before) and enterprise_type_of(before) == "construction"
    world.submit("tech_manager_change", {"tech_manager_person_id": "m"})
    after = world.registrations.get(USCC, "construction").booklet_no
    assert after != before and is_booklet_no(after)


def test_booklet_numbers_never_derive_from_the_credit_code_or_a_counter(world):
    world.first_filing()
    number = world.registrations.get(USCC, "construction").booklet_no
    assert USCC[-8:] not in number and not number.endswith("0001")


# extension -------------------------------------------------------------------------------------------

def test_the_extension_opens_on_20_december_and_moves_the_end_a_year(world):
    world.first_filing()
    assert world.error_codes(world.submit("extension", {})) == ["EXTENSION_NOT_OPEN"]
    world.clock.set(datetime.datetime(2026, 12, 20, 0, 0, tzinfo=SHANGHAI))
    case = world.submit("extension", {})
    assert case["status"] == "approved"
    assert world.registrations.get(USCC, "construction").valid_until == "2027-12-31"


def test_an_expired_registration_can_still_be_extended_but_not_changed(world):
    world.first_filing()
    world.clock.set(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI))
    assert queries.registrations_of(world.uow, world.clock, USCC)[0]["status"] == "expired"
    assert world.error_codes(world.submit("basic_change", {"basic": {"contact_name": "赵"}})) == ["REGISTRATION_EXPIRED"]
    assert world.submit("extension", {})["status"] == "approved"
    assert queries.registrations_of(world.uow, world.clock, USCC)[0]["status"] == "valid"


# cost projects ------------------------------------------------------------------------------------------

def cost_project(**changes):
    return {"project_name": "乌鲁木齐某项目全过程造价咨询", "location_code": "650102", "client_name": "某建设单位",
            "contract_amount_fen": 123456789, "contract_signed_on": "2026-11-01", "service_start": "2026-11-10",
            "service_end": "2027-11-09", "lead_person_id": "lead", "attachments": ["f9"], **changes}


def test_a_cost_project_with_a_registered_cost_engineer_creates_the_cost_consulting_registration(world):
    world.hire_cost_lead()
    case = world.submit("cost_project", cost_project(), uscc=COST_USCC, enterprise_type="cost_consulting")
    assert case["status"] == "approved", case["reasons"]
    registration = world.registrations.get(COST_USCC, "cost_consulting")
    assert enterprise_type_of(registration.booklet_no) == "cost_consulting"
    assert registration.cost_projects[0]["contract_amount_fen"] == 123456789
    assert registration.cost_projects[0]["lead_person_name"] == "造价师"


def test_a_cost_project_whose_registration_another_submission_created_first_is_reviewed_again(world):
    world.hire_cost_lead()

    def another_cost_project(repository):  # opens the cost-consulting registration between our read and write
        other = FakeFilingUnitOfWork(repository.sharing_storage(), world.cases.sharing_storage())
        ports = review.ReviewPorts(other, world.national, world.staff, world.certificates, world.clock)
        review.submit(ports, COST_USCC, "企业", "cost_consulting", "cost_project", cost_project(project_name="先到项目"))
    world.registrations.before_next_write = another_cost_project
    with pytest.raises(ConcurrencyConflict):  # the service's retry_on_conflict reviews it again
        world.submit("cost_project", cost_project(), uscc=COST_USCC, enterprise_type="cost_consulting")
    case = world.submit("cost_project", cost_project(), uscc=COST_USCC, enterprise_type="cost_consulting")
    assert case["status"] == "approved", case["reasons"]
    registration = world.registrations.get(COST_USCC, "cost_consulting")
    assert [p["project_name"] for p in registration.cost_projects] == ["先到项目", cost_project()["project_name"]]


def test_a_cost_project_lead_without_a_cost_engineer_certificate_is_rejected(world):
    world.hire_cost_lead(certificate_type="一级注册建造师")
    case = world.submit("cost_project", cost_project(), uscc=COST_USCC, enterprise_type="cost_consulting")
    assert world.error_codes(case) == ["LEAD_NOT_COST_ENGINEER"]


def test_a_cost_project_is_for_cost_consulting_only_and_must_be_in_xinjiang(world):
    case = world.submit("cost_project", cost_project(), enterprise_type="construction")
    assert "NOT_COST_CONSULTING" in world.error_codes(case)
    with pytest.raises(ValidationFailed) as refused:
        world.submit("cost_project", cost_project(location_code="510100", contract_amount_fen=12.5),
                     uscc=COST_USCC, enterprise_type="cost_consulting")
    assert set(refused.value.errors) == {"location_code", "contract_amount_fen"}


# records and booklets ---------------------------------------------------------------------------------

def test_cases_are_listed_for_their_enterprise_only(world):
    case = world.first_filing()
    assert queries.list_cases(world.uow, USCC, None, None, 1, 20)["total"] == 1
    assert queries.list_cases(world.uow, "91610100859574891U", None, None, 1, 20)["total"] == 0
    from filing.domain.errors import CaseNotFound
    with pytest.raises(CaseNotFound):
        queries.get_case(world.uow, "91610100859574891U", case["id"])


def test_removing_a_detached_certificate_from_filings_is_idempotent(world):
    world.first_filing()
    world.certificates.add("c1", USCC, "m")
    world.submit("personnel_filing", {"certificate_ids": ["c1"]})
    assert review.remove_from_filings(world.uow, world.clock, USCC, "c1", "certificate_detached") == 1
    assert review.remove_from_filings(world.uow, world.clock, USCC, "c1", "certificate_detached") == 0
    assert world.registrations.get(USCC, "construction").personnel == []


def test_a_certificate_taken_out_of_filings_announces_only_the_public_registration(world):
    world.first_filing()
    world.certificates.add("c1", USCC, "m")
    world.submit("personnel_filing", {"certificate_ids": ["c1"]})
    written = len(world.registrations.events)
    assert review.remove_from_filings(world.uow, world.clock, USCC, "c1", "certificate_expired") == 1
    [event] = world.registrations.events[written:]  # cert-svc knows already: no personnel_changed
    assert (event.type, event.payload["business"], event.payload["personnel"]) == (
        "filing.registration_changed", "certificate_expired", [])


@pytest.mark.parametrize("changes, field", [
    ({"location_code": "65０１０２"}, "location_code"),
    ({"contract_amount_fen": 2 ** 63}, "contract_amount_fen"),
    ({"contract_amount_fen": True}, "contract_amount_fen"),
])
def test_cost_project_numbers_and_codes_are_checked_strictly(world, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        world.submit("cost_project", cost_project(**changes), uscc=COST_USCC, enterprise_type="cost_consulting")
    assert set(refused.value.errors) == {field}


def test_a_capital_that_is_not_a_finite_number_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        world.first_filing(basic={**BASIC, "registered_capital_wan": float("nan")})
    assert set(refused.value.errors) == {"basic.registered_capital_wan"}


def test_a_certificate_filed_already_is_not_filed_twice(world):
    world.first_filing()
    world.certificates.add("c1", USCC, "m")
    world.submit("personnel_filing", {"certificate_ids": ["c1"]})
    assert world.error_codes(world.submit("personnel_filing", {"certificate_ids": ["c1"]})) == ["ALREADY_FILED"]
    assert world.error_codes(world.submit("personnel_change", {"add": ["c1"]})) == ["ALREADY_FILED"]


def test_an_in_region_cost_consulting_enterprise_needs_no_project_filing(world):
    world.national.enterprises[XJ_USCC] = national_record(XJ_USCC, "新疆某造价咨询有限公司", "cost_consulting")
    world.hire_cost_lead(XJ_USCC)
    case = world.submit("cost_project", cost_project(), uscc=XJ_USCC, enterprise_type="cost_consulting")
    assert world.error_codes(case) == ["IN_REGION_ENTERPRISE"]


def test_the_public_registrations_are_the_public_payloads_page_by_page(world):
    world.first_filing()
    world.hire_cost_lead()
    world.submit("cost_project", cost_project(), uscc=COST_USCC, enterprise_type="cost_consulting")
    first = queries.public_registrations(world.uow, 1, 1)
    second = queries.public_registrations(world.uow, 2, 1)
    assert (first["total"], second["total"]) == (2, 2)
    assert [r["uscc"] for r in first["items"] + second["items"]] == sorted([USCC, COST_USCC])
    construction = next(r for r in first["items"] + second["items"] if r["uscc"] == USCC)
    assert construction["basic"]["contact_phone"] == "138****8000" and construction["serial"] == 1
    assert {**construction, "business": "first_filing"} == world.registrations.events[0].payload


class RecordingPrinter:
    def __init__(self):
        self.rendered = []

    def render(self, registration, booklet_no, generated_at):
        self.rendered.append((registration["uscc"], booklet_no, generated_at))
        return b"%PDF-booklet"


class PrintedBooklets:
    def __init__(self):
        self.numbers = []

    def record(self, booklet_no, uscc, enterprise_type, generated_at):
        self.numbers.append((booklet_no, uscc, enterprise_type))


def test_printing_a_booklet_renders_the_current_registration_and_records_its_number(world):
    world.first_filing()
    printer, printed = RecordingPrinter(), PrintedBooklets()
    number, pdf = queries.print_booklet(world.uow, printed, printer, world.clock, USCC, "construction")
    assert pdf == b"%PDF-booklet" and is_booklet_no(number)
    assert printer.rendered == [(USCC, number, world.clock.now())]
    assert printed.numbers == [(number, USCC, "construction")]


def test_no_booklet_is_printed_for_a_type_without_a_registration(world):
    world.first_filing()
    printer, printed = RecordingPrinter(), PrintedBooklets()
    with pytest.raises(RegistrationNotFound):
        queries.print_booklet(world.uow, printed, printer, world.clock, USCC, "supervision")
    assert printer.rendered == [] and printed.numbers == []
