"""Use cases of the certificates an enterprise enters, of title certificates (registered by the
person, confirmed or revoked by the employer), and what happens when an employment ends."""

from xjkit.errors import ConcurrencyConflict, DuplicateKey, ValidationFailed
from xjkit.events import new_event
from xjkit.ids import new_id
from xjkit.retry import retry_on_conflict

from certs.domain import certificate as kinds
from certs.domain.certificate import Certificate
from certs.domain.entries import validated_entry, validated_title
from certs.domain.errors import (
    CertificateExists, CertificateNotFound, NotEmployedAnywhere, PersonNotEmployed,
)
from certs.service_layer.views import certificate_view, event_payload

MAX_PER_PAGE = 100


def _event(name, certificate, clock, **extra):
    return new_event(f"cert.{name}", event_payload(certificate, **extra), clock)


def _employee(staff, enterprise_uscc, person_id):
    employment = staff.current_employment(person_id)
    if employment is None or employment["enterprise_uscc"] != enterprise_uscc:
        raise PersonNotEmployed()
    return employment


# certificates the enterprise enters ---------------------------------------------------------

def add_certificate(certificates, staff, clock, enterprise_uscc, person_id, kind, fields):
    entry = validated_entry(kind, fields, clock.today())
    employment = _employee(staff, enterprise_uscc, person_id)
    now = clock.now()
    certificate = Certificate(
        certificate_id=new_id(), kind=kind, enterprise_uscc=enterprise_uscc, person_id=person_id,
        person_name=employment["person_name"], id_card_masked=employment["id_card_masked"],
        cert_no=entry["cert_no"], type=entry["type"], level=entry["level"], issuer=entry["issuer"],
        issued_on=entry["issued_on"], valid_until=entry["valid_until"], created_at=now, updated_at=now,
        source="enterprise",
    )
    if certificate.expired_on(clock.today().isoformat()):
        certificate.status = kinds.EXPIRED
    try:
        certificates.add(certificate, events=[_event("certificate_added", certificate, clock)])
    except DuplicateKey:
        raise CertificateExists(errors={"cert_no": ["本企业已登记该证书编号"]})
    return certificate_view(certificate)


def list_for_enterprise(certificates, enterprise_uscc, kind, person_id, page, per_page):
    per_page = min(per_page, MAX_PER_PAGE)
    items, total = certificates.page_for_enterprise(enterprise_uscc, kind, person_id, page, per_page)
    return {"items": [certificate_view(c) for c in items], "total": total, "page": page, "per_page": per_page}


def _enterprise_certificate(certificates, enterprise_uscc, certificate_id, kind=None):
    certificate = certificates.get(certificate_id)
    if certificate is None or certificate.enterprise_uscc != enterprise_uscc or (kind and certificate.kind != kind):
        raise CertificateNotFound()  # another enterprise's certificate looks exactly like a missing one
    return certificate


def get_for_enterprise(certificates, enterprise_uscc, certificate_id):
    return certificate_view(_enterprise_certificate(certificates, enterprise_uscc, certificate_id))


# title certificates (职称) -------------------------------------------------------------------

def _check_photo(person_files, person_id, entry):
    """The certificate's photo must be the person's own upload (never someone else's file id)."""
    if entry["file_id"] and not person_files.owned_by_person(person_id, entry["file_id"]):
        raise ValidationFailed({"file_id": ["证书照片不存在，请重新上传"]})


def register_title(certificates, staff, person_files, clock, person_id, fields):
    """补登记: the person registers a title at their current employer, who must confirm it."""
    entry = validated_title(fields, clock.today())
    _check_photo(person_files, person_id, entry)
    employment = staff.current_employment(person_id)
    if employment is None:
        raise NotEmployedAnywhere()
    uscc = employment["enterprise_uscc"]
    existing = certificates.find_by_key(uscc, kinds.TITLE, entry["cert_no"])
    if existing is not None:
        if existing.person_id != person_id or existing.status != kinds.DETACHED:
            raise CertificateExists(errors={"cert_no": ["该职称证书编号已在本单位登记"]})
    now = clock.now()
    certificate = Certificate(
        certificate_id=new_id(), kind=kinds.TITLE, enterprise_uscc=uscc, person_id=person_id,
        person_name=employment["person_name"], id_card_masked=employment["id_card_masked"],
        cert_no=entry["cert_no"], type=entry["type"], level=entry["level"], specialties=entry["specialties"],
        issuer=entry["issuer"], issued_on=entry["issued_on"], status=kinds.PENDING_CONFIRMATION,
        created_at=now, updated_at=now, source="person", details={"file_id": entry["file_id"]},
    )
    if existing is not None:  # the same title at the same employer after a re-hire: reuse its record
        certificate.certificate_id, certificate.version = existing.certificate_id, existing.version
        certificate.created_at, certificate.stored_outbox = existing.created_at, existing.stored_outbox
        certificates.save(certificate, events=[_event("title_registered", certificate, clock)])
        return certificate_view(certificate)
    try:
        certificates.add(certificate, events=[_event("title_registered", certificate, clock)])
    except DuplicateKey:
        raise CertificateExists(errors={"cert_no": ["该职称证书编号已在本单位登记"]})
    return certificate_view(certificate)


def reregister_title(certificates, person_files, clock, person_id, certificate_id, fields):
    """变更: a revoked title is corrected by the person and waits for confirmation again."""
    entry = validated_title(fields, clock.today())
    certificate = certificates.get(certificate_id)
    if certificate is None or certificate.person_id != person_id or certificate.kind != kinds.TITLE:
        raise CertificateNotFound()
    _check_photo(person_files, person_id, entry)
    if entry["cert_no"] != certificate.cert_no:
        clash = certificates.find_by_key(certificate.enterprise_uscc, kinds.TITLE, entry["cert_no"])
        if clash is not None:
            raise CertificateExists(errors={"cert_no": ["该职称证书编号已在本单位登记"]})
    certificate.reregister({
        "type": entry["type"], "level": entry["level"], "specialties": entry["specialties"],
        "cert_no": entry["cert_no"], "issued_on": entry["issued_on"], "issuer": entry["issuer"],
        "details": {"file_id": entry["file_id"]},
    }, clock.now())
    try:
        certificates.save(certificate, events=[_event("title_registered", certificate, clock)])
    except DuplicateKey:
        raise CertificateExists(errors={"cert_no": ["该职称证书编号已在本单位登记"]})
    return certificate_view(certificate)


def confirm_title(certificates, clock, enterprise_uscc, certificate_id, enterprise_name=None):
    certificate = _enterprise_certificate(certificates, enterprise_uscc, certificate_id, kinds.TITLE)
    certificate.confirm(clock.now())
    certificates.save(certificate, events=[
        _event("title_confirmed", certificate, clock, enterprise_name=enterprise_name)])
    return certificate_view(certificate)


def revoke_title(certificates, clock, enterprise_uscc, certificate_id, enterprise_name=None):
    """Refused while a filing carries it: its filing is cancelled first (人员证书信息变更)."""
    certificate = _enterprise_certificate(certificates, enterprise_uscc, certificate_id, kinds.TITLE)
    certificate.revoke(clock.now())
    certificates.save(certificate, events=[
        _event("title_revoked", certificate, clock, enterprise_name=enterprise_name)])
    return certificate_view(certificate)


def list_for_person(certificates, person_id):
    return {"items": [certificate_view(c) for c in certificates.of_person(person_id)]}


# reactions and housekeeping -------------------------------------------------------------------

def detach_after_employment_ended(certificates, clock, enterprise_uscc, person_id):
    """The person left: their certificates leave this enterprise's filed set at once. Idempotent."""
    detached = []
    for found in certificates.of_person_at(enterprise_uscc, person_id):
        def attempt(certificate_id=found.certificate_id):  # a conflict: read it again
            certificate = certificates.get(certificate_id)
            was_filed = certificate.filed
            if not certificate.detach(clock.now()):
                return
            certificates.save(certificate, events=[_event("certificate_detached", certificate, clock,
                                                          was_filed=was_filed)])
            detached.append(certificate_id)
        retry_on_conflict(attempt)
    return detached


def expire_due(certificates, clock, batch=500):
    """Certificates past validity are marked expired (and leave any filing). Safe when several
    instances run: version-checked writes, the loser skips."""
    today, expired = clock.today().isoformat(), 0
    for certificate in certificates.expiring(today, batch):
        was_filed = certificate.filed
        certificate.expire(clock.now())
        try:
            certificates.save(certificate, events=[_event("certificate_expired", certificate, clock, was_filed=was_filed)])
            expired += 1
        except ConcurrencyConflict:
            continue
    return expired


def certificates_by_ids(certificates, enterprise_uscc, certificate_ids):
    """{id: view} of the enterprise's certificates among ``certificate_ids`` (for filing-svc)."""
    found = {}
    for certificate_id in dict.fromkeys(certificate_ids):
        certificate = certificates.get(certificate_id)
        if certificate is not None and certificate.enterprise_uscc == enterprise_uscc:
            found[certificate_id] = certificate_view(certificate)
    return found


def registered_of_person(certificates, enterprise_uscc, person_id):
    return [certificate_view(c) for c in certificates.of_person_at(enterprise_uscc, person_id)
            if c.kind == kinds.REGISTERED]


def apply_filing_change(certificates, clock, enterprise_uscc, filed_ids, unfiled_ids):
    """filing-svc approved a change of what its filings carry: keep the ``filed`` marks in step.
    Certificates that are gone or not fileable any more are left as they are."""
    for certificate_id, filed in [(i, True) for i in filed_ids] + [(i, False) for i in unfiled_ids]:
        def attempt(certificate_id=certificate_id, filed=filed):  # a conflict: read it again
            certificate = certificates.get(certificate_id)
            if certificate is None or certificate.enterprise_uscc != enterprise_uscc or certificate.filed == filed:
                return
            if filed and not certificate.fileable:
                return
            certificate.filed = filed
            certificate.updated_at = clock.now()
            certificates.save(certificate, events=[_event("filed" if filed else "unfiled", certificate, clock)])
        retry_on_conflict(attempt)
