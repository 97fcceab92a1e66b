"""Every submission is reviewed automatically and ends approved or rejected with every reason.

A wrong shape is refused before (422, no case) by the wire contract ``xjkit.filing_data``.
Otherwise each business gathers all of its reasons; with none the change is applied to the
registration, which records its own events, and the unit of work stores them with it in one
write; the case records the before/after of each changed section. The case is kept either way,
written after the registration's write stood.
"""
import datetime

from xjkit.errors import ConcurrencyConflict, DuplicateKey, ValidationFailed
from xjkit.filing_data import validated
from xjkit.ids import new_id
from xjkit.validators import is_xinjiang_uscc

from filing.domain import businesses as b
from filing.domain import validity
from filing.domain.case import APPROVED, REJECTED, Case, reason
from filing.domain.registration import Registration
from filing.service_layer.views import case_view

COST_ENGINEER = "造价工程师"
ALREADY_REGISTERED = "该企业类型已办理首次信息报送，请办理变更业务"


class ReviewPorts:
    """What one review works with, bundled so each business handler takes one argument: the unit
    of work (registrations and cases) and the services it asks."""

    def __init__(self, uow, national, staff, certificates, clock):
        self.uow = uow
        self.national = national
        self.staff = staff
        self.certificates = certificates
        self.clock = clock


def submit(ports, uscc, enterprise_name, enterprise_type, business, data, submitted_by=None):
    if enterprise_type not in b.ENTERPRISE_TYPES:
        raise ValidationFailed({"enterprise_type": ["取值应为：" + "、".join(b.ENTERPRISE_TYPES)]})
    if business not in b.BUSINESSES:
        raise ValidationFailed({"business": ["取值应为：" + "、".join(b.BUSINESSES)]})
    clean = validated(business, data)
    submitted_at = ports.clock.now()
    uow = ports.uow
    with uow:
        reasons, apply = HANDLERS[business](ports, uscc, enterprise_name, enterprise_type, clean)
        changes = []
        if not reasons:
            changes = apply()
            if changes is None:  # the store refused the write: a concurrent first filing got there first
                reasons = [reason("ALREADY_REGISTERED", ALREADY_REGISTERED)]
                changes = []
            else:
                try:
                    uow.commit()  # a conflict raises here, before any case is stored
                except DuplicateKey:  # another submission created the registration first: review again
                    raise ConcurrencyConflict() from None
    case = Case(case_id=new_id(), uscc=uscc, enterprise_type=enterprise_type, business=business,
                data=clean, submitted_at=submitted_at, reviewed_at=ports.clock.now(),
                status=REJECTED if reasons else APPROVED, reasons=reasons, changes=changes,
                submitted_by=submitted_by)
    with uow:
        uow.cases.add(case)
        uow.commit()
    return case_view(case)


# shared checks ----------------------------------------------------------------------------------

def _registration(ports, uscc, enterprise_type, reasons):
    registration = ports.uow.registrations.get(uscc, enterprise_type)
    if registration is None:
        reasons.append(reason("REGISTRATION_MISSING", "尚未办理该类型的首次信息报送"))
    return registration


def _valid_registration(ports, uscc, enterprise_type, reasons):
    registration = _registration(ports, uscc, enterprise_type, reasons)
    if registration is not None and registration.status_on(ports.clock.today()) != "valid":
        reasons.append(reason("REGISTRATION_EXPIRED", f"进疆登记已于{registration.valid_until}到期，请先办理延续"))
    return registration


def _staff_member(staff_by_id, person_id, field_path, role, reasons):
    member = staff_by_id.get(person_id)
    if member is None:
        reasons.append(reason("PERSON_NOT_EMPLOYED", f"{role}须为本企业在职且已实名认证的人员", field_path))
        return None
    return {"person_id": member["person_id"], "name": member["person_name"], "id_card_masked": member["id_card_masked"]}


def _qualifications_of_type(national_record, enterprise_type, today):
    """Only that enterprise type's qualifications, and only those still valid."""
    return [{key: q.get(key) for key in ("cert_no", "code", "name", "grade", "category", "issuer", "issued_on", "expires_on")}
            for q in national_record.get("qualifications", [])
            if q.get("category") == enterprise_type and (q.get("expires_on") or "") >= today.isoformat()]


def _staff_and_files(ports, uscc, file_ids, field_path, reasons):
    """The active staff by person id, with a reason for each file the enterprise did not upload
    (one call to employment-svc for both)."""
    staff, owned = ports.staff.staff_and_files(uscc, file_ids)
    for index, file_id in enumerate(file_ids):
        if file_id not in owned:
            reasons.append(reason("FILE_NOT_FOUND", "附件不存在，请先上传", f"{field_path}.{index}"))
    return {member["person_id"]: member for member in staff}


def _certificate_checks(ports, uscc, certificate_ids, staff_by_id, field_path, reasons):
    """The certificates a filing may carry: the enterprise's own (cert-svc keeps a registered one
    only when the national platform registered it here), valid (a title: confirmed), held by
    actively employed staff."""
    found = ports.certificates.of_enterprise(uscc, certificate_ids)
    today = ports.clock.today().isoformat()
    entries = []
    for index, certificate_id in enumerate(certificate_ids):
        path = f"{field_path}.{index}"
        certificate = found.get(certificate_id)
        if certificate is None:
            reasons.append(reason("CERTIFICATE_NOT_FOUND", "证书不存在或不属于本企业", path))
            continue
        label = f"{certificate['person_name']}的证书{certificate['cert_no']}"
        if certificate["person_id"] not in staff_by_id:
            reasons.append(reason("HOLDER_NOT_EMPLOYED", f"{label}：持证人不是本企业在职人员", path))
        if certificate["kind"] == "title" and certificate["status"] != "confirmed":
            reasons.append(reason("TITLE_NOT_CONFIRMED", f"{label}：职称证书尚未经本企业确认", path))
        elif certificate["status"] not in ("valid", "confirmed"):
            reasons.append(reason("CERTIFICATE_NOT_VALID", f"{label}：证书状态为{certificate['status']}，不能报送", path))
        if certificate.get("valid_until") and certificate["valid_until"] < today:
            reasons.append(reason("CERTIFICATE_EXPIRED", f"{label}：证书已于{certificate['valid_until']}过期", path))
        entries.append({key: certificate.get(key) for key in (
            "id", "kind", "person_id", "person_name", "id_card_masked", "cert_no", "type", "specialties",
            "level", "valid_until")})
    return entries


def _staff_by_id(ports, uscc):
    return {member["person_id"]: member for member in ports.staff.active_staff(uscc)}


# businesses -----------------------------------------------------------------------------------

def first_filing(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    today = ports.clock.today()
    if enterprise_type == b.COST_CONSULTING:
        reasons.append(reason("COST_CONSULTING_NO_FIRST_FILING",
                              "造价咨询企业无需首次信息报送，请直接办理造价企业进疆承揽业务备案", "enterprise_type"))
    if is_xinjiang_uscc(uscc):
        reasons.append(reason("IN_REGION_ENTERPRISE", "区内企业（新疆及兵团注册）无需办理进疆信息报送"))
    if ports.uow.registrations.get(uscc, enterprise_type) is not None:
        reasons.append(reason("ALREADY_REGISTERED", ALREADY_REGISTERED))
    national = ports.national.enterprise(uscc)
    qualifications = []
    if national is None:
        reasons.append(reason("NOT_ON_NATIONAL_PLATFORM", "全国建筑市场监管公共服务平台上没有该企业"))
    else:
        if national.get("name") != data["basic"]["name"]:
            reasons.append(reason("NAME_MISMATCH", f"企业名称与全国平台不一致（全国平台：{national.get('name')}）",
                                  "basic.name"))
        qualifications = _qualifications_of_type(national, enterprise_type, today)
        if not qualifications:
            reasons.append(reason("NO_VALID_QUALIFICATION",
                                  f"全国平台上该企业没有有效的{b.ENTERPRISE_TYPES[enterprise_type]}类资质"))
    file_reasons = []
    staff = _staff_and_files(ports, uscc, data["attachments"], "attachments", file_reasons)
    manager = _staff_member(staff, data["manager_person_id"], "manager_person_id", "进疆负责人", reasons)
    tech_manager = _staff_member(staff, data["tech_manager_person_id"], "tech_manager_person_id", "进疆技术负责人",
                                 reasons)
    reasons.extend(file_reasons)

    def apply():
        registration = Registration.first_filed(
            ports.clock.now(), validity.valid_until_for_approval(today).isoformat(), uscc=uscc,
            enterprise_type=enterprise_type, enterprise_name=data["basic"]["name"], basic=data["basic"],
            manager=manager, tech_manager=tech_manager, attachments=data["attachments"],
            qualifications=qualifications,
        )
        ports.uow.registrations.add(registration)
        try:
            ports.uow.commit()
        except DuplicateKey:  # a concurrent first filing won: this one is refused after all
            return None
        return [{"field": name, "before": None, "after": getattr(registration, name)} for name in (
            "basic", "manager", "tech_manager", "attachments", "qualifications", "valid_until")]
    return reasons, apply


def personnel_filing(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    registration = _valid_registration(ports, uscc, enterprise_type, reasons)
    staff = _staff_by_id(ports, uscc)
    entries = _certificate_checks(ports, uscc, data["certificate_ids"], staff, "certificate_ids", reasons)
    if registration is not None:
        already = {p["id"] for p in registration.personnel}
        for index, certificate_id in enumerate(data["certificate_ids"]):
            if certificate_id in already:
                reasons.append(reason("ALREADY_FILED", "该证书已报送", f"certificate_ids.{index}"))

    def apply():
        return [registration.change_personnel(b.PERSONNEL_FILING, entries, [], ports.clock.now())]
    return reasons, apply


def personnel_change(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    registration = _valid_registration(ports, uscc, enterprise_type, reasons)
    staff = _staff_by_id(ports, uscc)
    entries = _certificate_checks(ports, uscc, data["add"], staff, "add", reasons) if data["add"] else []
    if registration is not None:
        filed = {p["id"] for p in registration.personnel}
        for index, certificate_id in enumerate(data["remove"]):
            if certificate_id not in filed:
                reasons.append(reason("NOT_FILED", "该证书未报送，无需移除", f"remove.{index}"))
        for index, certificate_id in enumerate(data["add"]):
            if certificate_id in filed:
                reasons.append(reason("ALREADY_FILED", "该证书已报送", f"add.{index}"))

    def apply():
        return [registration.change_personnel(b.PERSONNEL_CHANGE, entries, data["remove"], ports.clock.now())]
    return reasons, apply


def basic_change(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    registration = _valid_registration(ports, uscc, enterprise_type, reasons)
    if "name" in data["basic"]:
        national = ports.national.enterprise(uscc)
        if national is None or national.get("name") != data["basic"]["name"]:
            reasons.append(reason("NAME_MISMATCH", "企业名称须与全国平台一致", "basic.name"))

    def apply():
        return [registration.change_basic(data["basic"], ports.clock.now())]
    return reasons, apply


def _manager_change(section, person_field, role):
    def handler(ports, uscc, enterprise_name, enterprise_type, data):
        reasons = []
        registration = _valid_registration(ports, uscc, enterprise_type, reasons)
        member = _staff_member(_staff_by_id(ports, uscc), data[person_field], person_field, role, reasons)
        if registration is not None and member and (getattr(registration, section) or {}).get("person_id") == member["person_id"]:
            reasons.append(reason("UNCHANGED", f"该人员已是{role}", person_field))

        def apply():
            return [registration.appoint(section, member, ports.clock.now())]
        return reasons, apply
    return handler


def qualification_change(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    registration = _valid_registration(ports, uscc, enterprise_type, reasons)
    national = ports.national.enterprise(uscc)
    qualifications = _qualifications_of_type(national or {}, enterprise_type, ports.clock.today())
    if not qualifications:
        reasons.append(reason("NO_VALID_QUALIFICATION",
                              f"全国平台上该企业没有有效的{b.ENTERPRISE_TYPES[enterprise_type]}类资质"))

    def apply():
        return [registration.change_qualifications(qualifications, ports.clock.now())]
    return reasons, apply


def extension(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    registration = _registration(ports, uscc, enterprise_type, reasons)
    today = ports.clock.today()
    if registration is not None:
        ends = datetime.date.fromisoformat(registration.valid_until)
        opens = validity.extension_opens_on(ends)
        if today < opens:
            reasons.append(reason("EXTENSION_NOT_OPEN", f"延续办理自{opens.isoformat()}起开放"))

    def apply():
        return [registration.extend(ports.clock.now())]
    return reasons, apply


def cost_project(ports, uscc, enterprise_name, enterprise_type, data):
    reasons = []
    if enterprise_type != b.COST_CONSULTING:
        reasons.append(reason("NOT_COST_CONSULTING", "承揽业务备案仅适用于造价咨询企业", "enterprise_type"))
    if is_xinjiang_uscc(uscc):
        reasons.append(reason("IN_REGION_ENTERPRISE", "区内企业（新疆及兵团注册）无需办理进疆信息报送"))
    file_reasons = []
    staff = _staff_and_files(ports, uscc, data["attachments"], "attachments", file_reasons)
    lead = _staff_member(staff, data["lead_person_id"], "lead_person_id", "项目负责人", reasons)
    if lead is not None:
        held = [c for c in ports.certificates.of_person_registered(uscc, lead["person_id"])
                if COST_ENGINEER in (c.get("type") or "") and c["status"] == "valid"
                and (c.get("valid_until") or "") >= ports.clock.today().isoformat()]
        if not held:
            reasons.append(reason("LEAD_NOT_COST_ENGINEER", "项目负责人须持有本企业有效的注册造价工程师证书",
                                  "lead_person_id"))
    reasons.extend(file_reasons)
    national = ports.national.enterprise(uscc)
    if national is None:
        reasons.append(reason("NOT_ON_NATIONAL_PLATFORM", "全国建筑市场监管公共服务平台上没有该企业"))

    def apply():
        now = ports.clock.now()
        project = {"id": new_id(), **{k: v for k, v in data.items() if k != "lead_person_id"},
                   "lead_person_id": lead["person_id"], "lead_person_name": lead["name"], "filed_at": now.isoformat()}
        registration = ports.uow.registrations.get(uscc, b.COST_CONSULTING)
        if registration is None:
            registration = Registration.opened_for_cost_projects(
                now, validity.valid_until_for_approval(ports.clock.today()).isoformat(),
                uscc=uscc, enterprise_type=b.COST_CONSULTING, enterprise_name=national["name"],
                basic={"name": national["name"], "legal_representative": national.get("legal_representative"),
                       "registered_address": national.get("address"),
                       "registered_capital_wan": national.get("registered_capital_wan"),
                       "established_on": national.get("established_on")},
                qualifications=_qualifications_of_type(national, b.COST_CONSULTING, ports.clock.today()))
            ports.uow.registrations.add(registration)
        return [registration.add_cost_project(project, now)]
    return reasons, apply


HANDLERS = {
    b.FIRST_FILING: first_filing,
    b.PERSONNEL_FILING: personnel_filing,
    b.BASIC_CHANGE: basic_change,
    b.MANAGER_CHANGE: _manager_change("manager", "manager_person_id", "进疆负责人"),
    b.TECH_MANAGER_CHANGE: _manager_change("tech_manager", "tech_manager_person_id", "进疆技术负责人"),
    b.QUALIFICATION_CHANGE: qualification_change,
    b.PERSONNEL_CHANGE: personnel_change,
    b.EXTENSION: extension,
    b.COST_PROJECT: cost_project,
}


def remove_from_filings(uow, clock, uscc, certificate_id, why):
    """A filed certificate left (holder's employment ended, validity passed): take it out of every
    registration of the enterprise at once. Idempotent: a redelivery finds nothing to remove."""
    with uow:
        removed = [registration for registration in uow.registrations.of_enterprise(uscc)
                   if registration.remove_certificate(certificate_id, why, clock.now())]
        uow.commit()
    return len(removed)
