"""Reading registrations, cases and qualifications; the booklet and its verification.

Reads go through the unit of work too (``uow.registrations``, ``uow.cases``) and commit nothing."""
from filing.domain.businesses import ENTERPRISE_TYPES
from filing.domain.errors import CaseNotFound, RegistrationNotFound
from filing.service_layer.views import case_view, registration_view

MAX_PER_PAGE = 100


def list_cases(uow, uscc, business, status, page, per_page):
    per_page = min(per_page, MAX_PER_PAGE)
    with uow:
        items, total = uow.cases.page_for(uscc, business, status, page, per_page)
    return {"items": [case_view(c) for c in items], "total": total, "page": page, "per_page": per_page}


def get_case(uow, uscc, case_id):
    with uow:
        case = uow.cases.get(case_id)
    if case is None or case.uscc != uscc:
        raise CaseNotFound()  # another enterprise's case looks exactly like a missing one
    return case_view(case)


def registrations_of(uow, clock, uscc):
    with uow:
        return [registration_view(r, clock.today()) for r in uow.registrations.of_enterprise(uscc)]


def qualifications_of(national, clock, uscc, enterprise_type):
    record = national.enterprise(uscc) or {}
    today = clock.today().isoformat()
    return [{**q, "valid": (q.get("expires_on") or "") >= today}
            for q in record.get("qualifications", []) if q.get("category") == enterprise_type]


def booklet_data(uow, clock, uscc, enterprise_type):
    if enterprise_type not in ENTERPRISE_TYPES:
        raise RegistrationNotFound()
    with uow:
        registration = uow.registrations.get(uscc, enterprise_type)
    if registration is None:
        raise RegistrationNotFound()
    return registration_view(registration, clock.today())


def print_booklet(uow, printed, printer, clock, uscc, enterprise_type):
    """The current registration as a booklet: (booklet number, PDF bytes); the number is recorded."""
    data = booklet_data(uow, clock, uscc, enterprise_type)
    now = clock.now()
    pdf = printer.render(data, data["booklet_no"], now)
    printed.record(data["booklet_no"], uscc, enterprise_type, now)
    return data["booklet_no"], pdf


def public_registrations(uow, page, per_page):
    """Every registration as the public payload, page by page (publicity-svc's rebuild)."""
    per_page = min(per_page, 500)
    with uow:
        items, total = uow.registrations.page_all(page, per_page)
    return {"items": [r.public_payload() for r in items], "total": total, "page": page, "per_page": per_page}
