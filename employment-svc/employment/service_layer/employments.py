"""Use cases of the hiring relation: look up, offer, accept (with a face ticket), reject, cancel,
terminate, expire, and the withdrawal of a person's other offers once they accepted one."""
import logging

from xjkit.contract import FACE_PURPOSE_EMPLOYMENT_ACCEPT
from xjkit.errors import ConcurrencyConflict, DuplicateKey, ValidationFailed
from xjkit.events import new_event
from xjkit.ids import new_id
from xjkit.retry import retry_on_conflict

from employment.domain import employment as states
from employment.domain.contract import contract_problems, parse_date
from employment.domain.employment import Employment
from employment.domain.errors import (
    EmploymentNotFound, OfferExists, PersonEmployed, PersonNotFound, PersonNotVerified,
)
from employment.service_layer.audit import record_lookup
from employment.service_layer.views import employment_view, event_payload

log = logging.getLogger(__name__)

FACE_PURPOSE = FACE_PURPOSE_EMPLOYMENT_ACCEPT
ACCEPTED_ELSEWHERE_MESSAGE = "您已接受其他企业的聘用，此聘用邀请已失效"
MAX_PER_PAGE = 100
VERIFIED = "verified"


def _event(name, employment, clock):
    return new_event(f"employment.{name}", event_payload(employment), clock)


def lookup_person(directory, employments, audit, wall, uscc, id_card_no):
    """For the enterprise's hiring form: who this is and whether they can be offered a job now.
    Every lookup, found or not, goes into the audit log first (an ID number gives a name)."""
    try:
        person = directory.lookup_by_id_card(id_card_no)
    except PersonNotFound:
        record_lookup(audit, wall, uscc, id_card_no, None)
        raise
    record_lookup(audit, wall, uscc, id_card_no, person["person_id"])
    employable, reason = True, None
    if person["realname_status"] != VERIFIED:
        employable, reason = False, PersonNotVerified.message
    else:
        active = employments.active_of(person["person_id"])
        if active is not None:
            employable = False
            reason = "该人员已在本企业在职" if active.enterprise_uscc == uscc else PersonEmployed.message
    return {**{k: person[k] for k in ("person_id", "name", "id_card_masked", "realname_status")},
            "employable": employable, "reason": reason}


def make_offer(employments, directory, files, clock, uscc, enterprise_name, id_card_no,
               contract_start, contract_end, contract_file_id):
    start, end = parse_date(contract_start), parse_date(contract_end)
    errors = {}
    if start is None:
        errors["contract_start"] = ["日期格式应为YYYY-MM-DD"]
    if end is None:
        errors["contract_end"] = ["日期格式应为YYYY-MM-DD"]
    if not errors:
        errors.update(contract_problems(start, end, clock.today()))
    if not files.owned_by(uscc, contract_file_id):
        errors["contract_file_id"] = ["劳动合同文件不存在，请先上传"]
    if errors:
        raise ValidationFailed(errors)

    person = directory.lookup_by_id_card(id_card_no)
    if person["realname_status"] != VERIFIED:
        raise PersonNotVerified()
    if employments.active_of(person["person_id"]) is not None:
        raise PersonEmployed()
    employment = Employment(
        employment_id=new_id(), person_id=person["person_id"], person_name=person["name"],
        id_card_masked=person["id_card_masked"], enterprise_uscc=uscc, enterprise_name=enterprise_name,
        contract_start=start.isoformat(), contract_end=end.isoformat(), contract_file_id=contract_file_id,
        created_at=clock.now(),
    )
    try:
        employments.add(employment, events=[_event("offered", employment, clock)])
    except DuplicateKey:  # the store keeps one pending offer per enterprise and person
        raise OfferExists()
    return employment_view(employment)


def _enterprise_employment(employments, uscc, employment_id):
    employment = employments.get(employment_id)
    if employment is None or employment.enterprise_uscc != uscc:
        raise EmploymentNotFound()  # another enterprise's employment looks exactly like a missing one
    return employment


def _persons_employment(employments, person_id, employment_id):
    employment = employments.get(employment_id)
    if employment is None or employment.person_id != person_id:
        raise EmploymentNotFound()
    return employment


def get_for_enterprise(employments, uscc, employment_id):
    return employment_view(_enterprise_employment(employments, uscc, employment_id))


def list_for_enterprise(employments, uscc, status, page, per_page):
    per_page = min(per_page, MAX_PER_PAGE)
    items, total = employments.page_for_enterprise(uscc, status, page, per_page)
    return {"items": [employment_view(e) for e in items], "total": total, "page": page, "per_page": per_page}


def list_for_person(employments, person_id):
    return {"items": [employment_view(e) for e in employments.all_for_person(person_id)]}


def current_employment(employments, person_id):
    active = employments.active_of(person_id)
    return employment_view(active) if active else None


def active_staff(employments, uscc):
    """Who works for the enterprise now (for certificate sync and filings)."""
    return [{"employment_id": e.employment_id, "person_id": e.person_id, "person_name": e.person_name,
             "id_card_masked": e.id_card_masked} for e in employments.active_at(uscc)]


def cancel_offer(employments, clock, uscc, employment_id):
    employment = _enterprise_employment(employments, uscc, employment_id)
    employment.cancel(clock.now())
    employments.save(employment, events=[_event("cancelled", employment, clock)])
    return employment_view(employment)


def terminate_by_enterprise(employments, clock, uscc, employment_id):
    employment = _enterprise_employment(employments, uscc, employment_id)
    employment.terminate(clock.now(), states.TERMINATED_BY_ENTERPRISE)
    employments.save(employment, events=[_event("terminated", employment, clock)])
    return employment_view(employment)


def terminate_by_person(employments, clock, person_id, employment_id):
    employment = _persons_employment(employments, person_id, employment_id)
    employment.terminate(clock.now(), states.TERMINATED_BY_PERSON)
    employments.save(employment, events=[_event("terminated", employment, clock)])
    return employment_view(employment)


def reject_offer(employments, clock, person_id, employment_id, reason=None):
    employment = _persons_employment(employments, person_id, employment_id)
    employment.reject(clock.now(), reason)
    employments.save(employment, events=[_event("rejected", employment, clock)])
    return employment_view(employment)


def accept_offer(employments, face_tickets, clock, person_id, employment_id, verify_id):
    """A fresh face check bound to this offer, then the store decides: of concurrent accepts by the
    same person only one becomes active (the unique key ``active_person``)."""
    read = _persons_employment(employments, person_id, employment_id)
    read.require_pending()  # before spending the ticket
    face_tickets.consume(person_id, verify_id, FACE_PURPOSE, employment_id)
    # The first try uses the offer read above (no second read): the save is version-checked, so a
    # change during the face check is a conflict, and the next try reads the offer again.
    unread = [read]

    def attempt():  # a conflict (withdrawn, cancelled… meanwhile): look at it again
        employment = unread.pop() if unread else _persons_employment(employments, person_id, employment_id)
        if employment.end_reason == states.ACCEPTED_ELSEWHERE:
            raise PersonEmployed(message=ACCEPTED_ELSEWHERE_MESSAGE)
        employment.accept(clock.now())
        try:
            employments.save(employment, events=[_event("accepted", employment, clock)])
            return employment_view(employment)
        except DuplicateKey:
            _withdraw(employments, clock, employment_id)  # lost to another accept: this offer is over
            raise PersonEmployed(message=ACCEPTED_ELSEWHERE_MESSAGE)
    return retry_on_conflict(attempt)


def _withdraw(employments, clock, employment_id):
    def attempt():  # a conflict (rejected, cancelled… meanwhile): look again
        employment = employments.get(employment_id)
        if employment is None or employment.status != states.PENDING:
            return False
        employment.cancel(clock.now(), states.ACCEPTED_ELSEWHERE)
        employments.save(employment, events=[_event("withdrawn", employment, clock)])
        return True
    return retry_on_conflict(attempt)


def withdraw_other_offers(employments, clock, person_id, accepted_employment_id):
    """Once a person accepted one offer, every other pending offer to them is withdrawn. Runs from
    the ``employment.accepted`` event, so a crash after the accept still gets it done."""
    withdrawn = 0
    for offer in employments.pending_of(person_id):
        if offer.employment_id != accepted_employment_id and _withdraw(employments, clock, offer.employment_id):
            withdrawn += 1
    return withdrawn


def expire_due(employments, clock, batch=200):
    """Active employments whose contract ended before today become expired. Safe when several
    instances run at once: each change is a version-checked write, the loser skips."""
    expired = 0
    for employment in employments.active_ending_before(clock.today().isoformat(), batch):
        employment.expire(clock.now())
        try:
            employments.save(employment, events=[_event("expired", employment, clock)])
            expired += 1
        except ConcurrencyConflict:
            continue
    return expired
