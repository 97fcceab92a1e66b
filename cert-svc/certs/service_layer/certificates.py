"""Use cases of the certificates an enterprise enters, of title certificates (registered by the
person, confirmed or revoked by the employer), and what happens when an employment ends.

Each use case works inside the unit of work (``uow.certificates``); the certificate records its
own events, and ``uow.commit()`` stores them with it."""

from xjkit.errors import DuplicateKey, ValidationFailed
from xjkit.ids import new_id
from xjkit.retry import retry_on_conflict
from xjkit.unit_of_work import change_each

from certs.domain import certificate as kinds
from certs.domain.certificate import Certificate
from certs.domain.entries import validated_entry, validated_title
from certs.domain.errors import (
    CertificateExists, CertificateNotFound, NotEmployedAnywhere, PersonNotEmployed,
)
from certs.service_layer.views import certificate_view

MAX_PER_PAGE = 100
TITLE_EXISTS = "该职称证书编号已在本单位登记"


def _employee(staff, enterprise_uscc, person_id):
    employment = staff.current_employment(person_id)
    if employment is None or employment["enterprise_uscc"] != enterprise_uscc:
        raise PersonNotEmployed()
    return employment


def _commit_or_exists(uow, message):
    try:
        uow.commit()
    except DuplicateKey:
        raise CertificateExists(errors={"cert_no": [message]})


# certificates the enterprise enters ---------------------------------------------------------

def add_certificate(uow, staff, clock, enterprise_uscc, person_id, kind, fields):
    entry = validated_entry(kind, fields, clock.today())
    employment = _employee(staff, enterprise_uscc, person_id)
    with uow:
        certificate = Certificate.entered(
            clock.now(), certificate_id=new_id(), kind=kind, enterprise_uscc=enterprise_uscc, person_id=person_id,
            person_name=employment["person_name"], id_card_masked=employment["id_card_masked"],
            cert_no=entry["cert_no"], type=entry["type"], level=entry["level"], issuer=entry["issuer"],
            issued_on=entry["issued_on"], valid_until=entry["valid_until"],
        )
        uow.certificates.add(certificate)
        _commit_or_exists(uow, "本企业已登记该证书编号")
    return certificate_view(certificate)


def list_for_enterprise(uow, enterprise_uscc, kind, person_id, page, per_page):
    per_page = min(per_page, MAX_PER_PAGE)
    with uow:
        items, total = uow.certificates.page_for_enterprise(enterprise_uscc, kind, person_id, page, per_page)
    return {"items": [certificate_view(c) for c in items], "total": total, "page": page, "per_page": per_page}


def _enterprise_certificate(uow, enterprise_uscc, certificate_id, kind=None):
    certificate = uow.certificates.get(certificate_id)
    if certificate is None or certificate.enterprise_uscc != enterprise_uscc or (kind and certificate.kind != kind):
        raise CertificateNotFound()  # another enterprise's certificate looks exactly like a missing one
    return certificate


def get_for_enterprise(uow, enterprise_uscc, certificate_id):
    with uow:
        return certificate_view(_enterprise_certificate(uow, enterprise_uscc, certificate_id))


# title certificates (职称) -------------------------------------------------------------------

def _check_photo(person_files, person_id, entry):
    """The certificate's photo must be the person's own upload (never someone else's file id)."""
    if entry["file_id"] and not person_files.owned_by_person(person_id, entry["file_id"]):
        raise ValidationFailed({"file_id": ["证书照片不存在，请重新上传"]})


def _title_fields(entry):
    return {"type": entry["type"], "level": entry["level"], "specialties": entry["specialties"],
            "cert_no": entry["cert_no"], "issued_on": entry["issued_on"], "issuer": entry["issuer"],
            "details": {"file_id": entry["file_id"]}}


def register_title(uow, staff, person_files, clock, person_id, fields):
    """补登记: the person registers a title at their current employer, who must confirm it."""
    entry = validated_title(fields, clock.today())
    _check_photo(person_files, person_id, entry)
    employment = staff.current_employment(person_id)
    if employment is None:
        raise NotEmployedAnywhere()
    uscc = employment["enterprise_uscc"]
    holder = {"person_name": employment["person_name"], "id_card_masked": employment["id_card_masked"]}
    with uow:
        existing = uow.certificates.find_by_key(uscc, kinds.TITLE, entry["cert_no"])
        if existing is not None:
            if existing.person_id != person_id or existing.status != kinds.DETACHED:
                raise CertificateExists(errors={"cert_no": [TITLE_EXISTS]})
            # the same title at the same employer after a re-hire: reuse its record
            existing.register_again_after_rehire({**_title_fields(entry), **holder}, clock.now())
            certificate = existing
        else:
            certificate = Certificate.title_registered(
                clock.now(), certificate_id=new_id(), enterprise_uscc=uscc, person_id=person_id,
                **holder, **_title_fields(entry))
            uow.certificates.add(certificate)
        _commit_or_exists(uow, TITLE_EXISTS)
    return certificate_view(certificate)


def reregister_title(uow, person_files, clock, person_id, certificate_id, fields):
    """变更: a revoked title is corrected by the person and waits for confirmation again."""
    entry = validated_title(fields, clock.today())
    with uow:
        certificate = uow.certificates.get(certificate_id)
        if certificate is None or certificate.person_id != person_id or certificate.kind != kinds.TITLE:
            raise CertificateNotFound()
        _check_photo(person_files, person_id, entry)
        if entry["cert_no"] != certificate.cert_no:
            clash = uow.certificates.find_by_key(certificate.enterprise_uscc, kinds.TITLE, entry["cert_no"])
            if clash is not None:
                raise CertificateExists(errors={"cert_no": [TITLE_EXISTS]})
        certificate.reregister(_title_fields(entry), clock.now())
        _commit_or_exists(uow, TITLE_EXISTS)
    return certificate_view(certificate)


def _decide_title(uow, clock, enterprise_uscc, certificate_id, enterprise_name, decision):
    """The employer's decision on a title registered with it: ``decision`` is the Certificate's
    method (it checks the state and records the event)."""
    with uow:
        certificate = _enterprise_certificate(uow, enterprise_uscc, certificate_id, kinds.TITLE)
        decision(certificate, clock.now(), enterprise_name)
        uow.commit()
    return certificate_view(certificate)


def confirm_title(uow, clock, enterprise_uscc, certificate_id, enterprise_name=None):
    return _decide_title(uow, clock, enterprise_uscc, certificate_id, enterprise_name, Certificate.confirm)


def revoke_title(uow, clock, enterprise_uscc, certificate_id, enterprise_name=None):
    """Refused while a filing carries it: its filing is cancelled first (人员证书信息变更)."""
    return _decide_title(uow, clock, enterprise_uscc, certificate_id, enterprise_name, Certificate.revoke)


def list_for_person(uow, person_id):
    with uow:
        return {"items": [certificate_view(c) for c in uow.certificates.of_person(person_id)]}


# reactions and housekeeping -------------------------------------------------------------------

def detach_after_employment_ended(uow, clock, enterprise_uscc, person_id):
    """The person left: their certificates leave this enterprise's filed set at once. Idempotent."""
    detached = []
    with uow:
        found = [c.certificate_id for c in uow.certificates.of_person_at(enterprise_uscc, person_id)]
    for certificate_id in found:
        def attempt(certificate_id=certificate_id):  # a conflict: read it again
            with uow:
                if uow.certificates.get(certificate_id).detach(clock.now()):
                    uow.commit()
                    detached.append(certificate_id)
        retry_on_conflict(attempt)
    return detached


def expire_due(uow, clock, batch=500):
    """Certificates past validity are marked expired (and leave any filing). Safe when several
    instances run: each is read again and written under its version check; the loser skips."""
    today = clock.today().isoformat()
    with uow:
        due = [c.certificate_id for c in uow.certificates.expiring(today, batch)]

    def expire(certificate):
        if not (certificate.fileable and certificate.expired_on(today)):
            return False  # expired, detached or renewed meanwhile
        certificate.expire(clock.now())
        return True
    return len(change_each(uow, uow.certificates.get, due, expire))


def certificates_by_ids(uow, enterprise_uscc, certificate_ids):
    """{id: view} of the enterprise's certificates among ``certificate_ids`` (for filing-svc)."""
    found = {}
    with uow:
        for certificate_id in dict.fromkeys(certificate_ids):
            certificate = uow.certificates.get(certificate_id)
            if certificate is not None and certificate.enterprise_uscc == enterprise_uscc:
                found[certificate_id] = certificate_view(certificate)
    return found


def registered_of_person(uow, enterprise_uscc, person_id):
    with uow:
        return [certificate_view(c) for c in uow.certificates.of_person_at(enterprise_uscc, person_id)
                if c.kind == kinds.REGISTERED]


def apply_filing_change(uow, clock, enterprise_uscc, filed_ids, unfiled_ids):
    """filing-svc approved a change of what its filings carry: keep the ``filed`` marks in step.
    Certificates that are gone or not fileable any more are left as they are."""
    for certificate_id, filed in [(i, True) for i in filed_ids] + [(i, False) for i in unfiled_ids]:
        def attempt(certificate_id=certificate_id, filed=filed):  # a conflict: read it again
            with uow:
                certificate = uow.certificates.get(certificate_id)
                if certificate is not None and certificate.enterprise_uscc == enterprise_uscc \
                        and certificate.mark_filed(filed, clock.now()):
                    uow.commit()
        retry_on_conflict(attempt)
