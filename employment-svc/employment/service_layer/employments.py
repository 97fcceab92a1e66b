"""Use cases of the hiring relation: look up, offer, accept (with a face ticket), reject, cancel,
terminate, expire, and the withdrawal of a person's other offers once they accepted one.

Each use case works inside the unit of work (``uow.employments``); the employment records its own
events, and ``uow.commit()`` stores them with it."""
import logging

from xjkit.contract import FACE_PURPOSE_EMPLOYMENT_ACCEPT
from xjkit.errors import DuplicateKey, ValidationFailed
from xjkit.ids import new_id
from xjkit.retry import retry_on_conflict
from xjkit.unit_of_work import change_each

from employment.domain import employment as states
from employment.domain.contract import contract_problems, parse_date
from employment.domain.employment import Employment
from employment.domain.errors import (
    EmploymentNotFound, OfferExists, PersonEmployed, PersonNotFound, PersonNotVerified,
)
from employment.service_layer.audit import record_lookup
from employment.service_layer.views import employment_view

log = logging.getLogger(__name__)

FACE_PURPOSE = FACE_PURPOSE_EMPLOYMENT_ACCEPT
ACCEPTED_ELSEWHERE_MESSAGE = "您已接受其他企业的聘用，此聘用邀请已失效"
MAX_PER_PAGE = 100
VERIFIED = "verified"


def lookup_person(directory, uow, audit, wall, uscc, id_card_no):
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
        with uow:
            active = uow.employments.active_of(person["person_id"])
        if active is not None:
            employable = False
            reason = "该人员已在本企业在职" if active.enterprise_uscc == uscc else PersonEmployed.message
    return {**{k: person[k] for k in ("person_id", "name", "id_card_masked", "realname_status")},
            "employable": employable, "reason": reason}


def make_offer(uow, directory, files, clock, uscc, enterprise_name, id_card_no,
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
    with uow:
        if uow.employments.active_of(person["person_id"]) is not None:
            raise PersonEmployed()
        employment = Employment.offered(
            clock.now(), employment_id=new_id(), person_id=person["person_id"], person_name=person["name"],
            id_card_masked=person["id_card_masked"], enterprise_uscc=uscc, enterprise_name=enterprise_name,
            contract_start=start.isoformat(), contract_end=end.isoformat(), contract_file_id=contract_file_id,
        )
        uow.employments.add(employment)
        try:
            uow.commit()
        except DuplicateKey:  # the store keeps one pending offer per enterprise and person
            raise OfferExists()
    return employment_view(employment)


def _enterprise_employment(uow, uscc, employment_id):
    employment = uow.employments.get(employment_id)
    if employment is None or employment.enterprise_uscc != uscc:
        raise EmploymentNotFound()  # another enterprise's employment looks exactly like a missing one
    return employment


def _persons_employment(uow, person_id, employment_id):
    employment = uow.employments.get(employment_id)
    if employment is None or employment.person_id != person_id:
        raise EmploymentNotFound()
    return employment


def get_for_enterprise(uow, uscc, employment_id):
    with uow:
        return employment_view(_enterprise_employment(uow, uscc, employment_id))


def list_for_enterprise(uow, uscc, status, page, per_page):
    per_page = min(per_page, MAX_PER_PAGE)
    with uow:
        items, total = uow.employments.page_for_enterprise(uscc, status, page, per_page)
    return {"items": [employment_view(e) for e in items], "total": total, "page": page, "per_page": per_page}


def list_for_person(uow, person_id):
    with uow:
        return {"items": [employment_view(e) for e in uow.employments.all_for_person(person_id)]}


def current_employment(uow, person_id):
    with uow:
        active = uow.employments.active_of(person_id)
    return employment_view(active) if active else None


def active_staff(uow, uscc):
    """Who works for the enterprise now (for certificate sync and filings)."""
    with uow:
        staff = uow.employments.active_at(uscc)
    return [{"employment_id": e.employment_id, "person_id": e.person_id, "person_name": e.person_name,
             "id_card_masked": e.id_card_masked} for e in staff]


def _change(uow, find, owner, employment_id, change):
    """One party's change of its employment: ``find`` refuses another party's, ``change`` is the
    domain method's call (it checks the state and records the event), then the commit."""
    with uow:
        employment = find(uow, owner, employment_id)
        change(employment)
        uow.commit()
    return employment_view(employment)


def cancel_offer(uow, clock, uscc, employment_id):
    return _change(uow, _enterprise_employment, uscc, employment_id,
                   lambda employment: employment.cancel(clock.now()))


def terminate_by_enterprise(uow, clock, uscc, employment_id):
    return _change(uow, _enterprise_employment, uscc, employment_id,
                   lambda employment: employment.terminate(clock.now(), states.TERMINATED_BY_ENTERPRISE))


def terminate_by_person(uow, clock, person_id, employment_id):
    return _change(uow, _persons_employment, person_id, employment_id,
                   lambda employment: employment.terminate(clock.now(), states.TERMINATED_BY_PERSON))


def reject_offer(uow, clock, person_id, employment_id, reason=None):
    return _change(uow, _persons_employment, person_id, employment_id,
                   lambda employment: employment.reject(clock.now(), reason))


def accept_offer(uow, face_tickets, clock, person_id, employment_id, verify_id):
    """A fresh face check bound to this offer, then the store decides: of concurrent accepts by the
    same person only one becomes active (the unique key ``active_person``)."""
    with uow:
        read = _persons_employment(uow, person_id, employment_id)
    read.require_pending()  # before spending the ticket
    face_tickets.consume(person_id, verify_id, FACE_PURPOSE, employment_id)
    # The first try uses the offer read above (no second read): the write is version-checked, so a
    # change during the face check is a conflict, and the next try reads the offer again.
    unread = [read]

    def attempt():  # a conflict (withdrawn, cancelled… meanwhile): look at it again
        with uow:
            if unread:
                employment = uow.employments.seen(unread.pop())
            else:
                employment = _persons_employment(uow, person_id, employment_id)
            if employment.end_reason == states.ACCEPTED_ELSEWHERE:
                raise PersonEmployed(message=ACCEPTED_ELSEWHERE_MESSAGE)
            employment.accept(clock.now())
            try:
                uow.commit()
                return employment_view(employment)
            except DuplicateKey:
                pass  # lost to another accept: this offer is over
        _withdraw(uow, clock, employment_id)
        raise PersonEmployed(message=ACCEPTED_ELSEWHERE_MESSAGE)
    return retry_on_conflict(attempt)


def _withdraw(uow, clock, employment_id):
    def attempt():  # a conflict (rejected, cancelled… meanwhile): look again
        with uow:
            employment = uow.employments.get(employment_id)
            if employment is None or employment.status != states.PENDING:
                return False
            employment.withdraw(clock.now())
            uow.commit()
            return True
    return retry_on_conflict(attempt)


def withdraw_other_offers(uow, clock, person_id, accepted_employment_id):
    """Once a person accepted one offer, every other pending offer to them is withdrawn. Runs from
    the ``employment.accepted`` event, so a crash after the accept still gets it done."""
    with uow:
        others = [offer.employment_id for offer in uow.employments.pending_of(person_id)
                  if offer.employment_id != accepted_employment_id]
    return sum(1 for employment_id in others if _withdraw(uow, clock, employment_id))


def expire_due(uow, clock, batch=200):
    """Active employments whose contract ended before today become expired. Safe when several
    instances run at once: each is read again and written under its version check; the loser skips."""
    today = clock.today().isoformat()
    with uow:
        due = [employment.employment_id for employment in uow.employments.active_ending_before(today, batch)]

    def expire(employment):
        if employment.status != states.ACTIVE or not employment.contract_ended_before(today):
            return False  # expired or ended meanwhile
        employment.expire(clock.now())
        return True
    return len(change_each(uow, uow.employments.get, due, expire))
