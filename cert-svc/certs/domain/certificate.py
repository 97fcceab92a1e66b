"""Personnel certificates of every kind, one document per certificate and enterprise.

Kinds: ``registered`` (注册证书, synced from the national platform), ``title`` (职称: registered
by the person, confirmed by the employer), and four the enterprise enters: ``tech_worker``
(技术工人), ``special_operation`` (特种作业), ``post`` (岗位/现场管理人员), ``safety`` (安管人员 A/B/C).

Status:
    registered and entered: valid → expired (past validity) · detached (employment ended)
    title: pending_confirmation → confirmed → revoked → (person re-registers) pending_confirmation
           any → detached (employment ended)
``filed`` says whether a filing (进疆报送) carries it; filing-svc sets it, and a filed title
certificate cannot be revoked until its filing is cancelled.
"""
from dataclasses import dataclass, field
from datetime import datetime

from xjkit.clock import shanghai_date

from xjkit.aggregate import StoredAggregate
from xjkit.contract import (  # noqa: F401  (the kinds are named from here in cert-svc)
    CERTIFICATE_KINDS, ENTERED_KINDS, POST, REGISTERED, SAFETY, SPECIAL_OPERATION, TECH_WORKER, TITLE,
)

from certs.domain.errors import CertificateFiled, CertificateStateConflict

KINDS = CERTIFICATE_KINDS

VALID = "valid"
EXPIRED = "expired"
DETACHED = "detached"
PENDING_CONFIRMATION = "pending_confirmation"
CONFIRMED = "confirmed"
REVOKED = "revoked"

STATUS_LABELS = {VALID: "有效", EXPIRED: "已过期", DETACHED: "已离职解绑", PENDING_CONFIRMATION: "待单位确认",
                 CONFIRMED: "已确认", REVOKED: "已撤销"}

# what each kind carries besides the common fields, with the Chinese options where they are closed
TECH_WORKER_LEVELS = ("初级工", "中级工", "高级工", "技师", "高级技师")
POSTS = ("施工员", "质量员", "安全员", "标准员", "材料员", "机械员", "劳务员", "资料员")
SAFETY_CATEGORIES = ("A", "B", "C")
TITLE_LEVELS = ("初级", "中级", "副高级", "正高级")


# what a national record sets on a certificate; a re-sync that changes none of them is "unchanged"
NATIONAL_FIELDS = ("type", "specialties", "valid_until", "issued_on", "details", "status",
                   "person_name", "id_card_masked")


@dataclass
class Certificate(StoredAggregate):
    """Each change records its ``cert.*`` event (payload: ``event_payload``, never a full ID number)."""

    certificate_id: str
    kind: str
    enterprise_uscc: str
    person_id: str
    person_name: str
    id_card_masked: str
    cert_no: str
    type: str  # 一级注册建造师, 电工作业, 施工员, 安管人员B类, the title's name…
    created_at: datetime
    status: str = VALID
    specialties: list = field(default_factory=list)
    level: str = None
    issuer: str = None
    issued_on: str = None  # ISO dates, compared as text
    valid_until: str = None
    filed: bool = False
    source: str = "enterprise"  # national | enterprise | person
    synced_at: datetime = None
    details: dict = field(default_factory=dict)  # the national record, the title's file id…
    updated_at: datetime = None

    # creation ------------------------------------------------------------------------------------

    @classmethod
    def entered(cls, at, **values):
        """An enterprise enters a certificate; one already past validity is stored as expired."""
        certificate = cls(created_at=at, updated_at=at, source="enterprise", **values)
        if certificate.expired_on(at_date_iso(at)):
            certificate.status = EXPIRED
        certificate._announce("certificate_added", at)
        return certificate

    @classmethod
    def title_registered(cls, at, **values):
        """补登记: the person registers a title; it waits for the employer's confirmation."""
        certificate = cls(kind=TITLE, status=PENDING_CONFIRMATION, created_at=at, updated_at=at, source="person",
                          **values)
        certificate._announce("title_registered", at)
        return certificate

    @classmethod
    def synced(cls, at, **values):
        """A registered certificate taken from the national platform."""
        certificate = cls(kind=REGISTERED, status=VALID, created_at=at, updated_at=at, synced_at=at,
                          source="national", **values)
        certificate._announce("registered_synced", at)
        return certificate

    def event_payload(self, **extra):
        return {
            "certificate_id": self.certificate_id, "kind": self.kind, "enterprise_uscc": self.enterprise_uscc,
            "person_id": self.person_id, "person_name": self.person_name, "id_card_masked": self.id_card_masked,
            "cert_no": self.cert_no, "cert_name": self.type, "type": self.type,
            "specialties": list(self.specialties or []), "valid_until": self.valid_until,
            "status": self.status, "filed": self.filed, **extra,
        }

    def _announce(self, name, at, **extra):
        self.record(f"cert.{name}", self.event_payload(**extra), at)

    def _require(self, *allowed):
        if self.status not in allowed:
            wanted = "、".join(STATUS_LABELS[s] for s in allowed)
            raise CertificateStateConflict(
                message=f"证书当前为“{STATUS_LABELS[self.status]}”，只有“{wanted}”状态可以进行此操作")

    # titles ------------------------------------------------------------------------------------

    def confirm(self, at, enterprise_name=None):
        self._require(PENDING_CONFIRMATION)
        self.status = CONFIRMED
        self.updated_at = at
        self._announce("title_confirmed", at, enterprise_name=enterprise_name)

    def revoke(self, at, enterprise_name=None):
        self._require(CONFIRMED, PENDING_CONFIRMATION)
        if self.filed:
            raise CertificateFiled()
        self.status = REVOKED
        self.updated_at = at
        self._announce("title_revoked", at, enterprise_name=enterprise_name)

    def reregister(self, changes, at):
        """The person corrects a revoked title; it waits for the employer's confirmation again."""
        self._require(REVOKED)
        self._register_again(changes, at)

    def register_again_after_rehire(self, changes, at):
        """The same title at the same employer after a re-hire: its detached record is reused."""
        self._require(DETACHED)
        self.filed, self.valid_until, self.synced_at, self.source = False, None, None, "person"
        self._register_again(changes, at)

    def _register_again(self, changes, at):
        for name, value in changes.items():
            setattr(self, name, value)
        self.status = PENDING_CONFIRMATION
        self.updated_at = at
        self._announce("title_registered", at)

    # every kind ----------------------------------------------------------------------------------

    @property
    def fileable(self):
        """Can a filing carry it now (still subject to the filing's own rules)?"""
        return self.status in (VALID, CONFIRMED)

    def expired_on(self, today_iso):
        """Past validity on that (Shanghai) day."""
        return self.valid_until is not None and self.valid_until < today_iso

    def expire(self, at):
        self._require(VALID, CONFIRMED)
        was_filed = self.filed
        self.status = EXPIRED
        self.filed = False
        self.updated_at = at
        self._announce("certificate_expired", at, was_filed=was_filed)

    def detach(self, at):
        """The person's employment at this enterprise ended: it leaves the enterprise's filed set."""
        if self.status == DETACHED:
            return False
        was_filed = self.filed
        self.status = DETACHED
        self.filed = False
        self.updated_at = at
        self._announce("certificate_detached", at, was_filed=was_filed)
        return True

    def mark_filed(self, filed, at):
        """filing-svc approved a change of what its filings carry. Returns whether it changed: a mark
        already in place, or a certificate no filing may carry any more, is left as it is."""
        if self.filed == filed or (filed and not self.fileable):
            return False
        self.filed = filed
        self.updated_at = at
        self._announce("filed" if filed else "unfiled", at)
        return True

    def refresh_from_national(self, record, person, at):
        """A re-sync updates in place: specialities, validity, the national record, the holder's
        name. Returns whether anything changed; an unchanged one only records the sync time."""
        before = {name: getattr(self, name) for name in NATIONAL_FIELDS}
        self.type = record["type"]
        self.specialties = list(record["specialties"])
        self.valid_until = record["valid_until"]
        self.issued_on = record.get("valid_from")
        self.details = {"seal_no": record.get("seal_no"), "registered_unit": record.get("registered_unit")}
        self.person_name, self.id_card_masked = person["person_name"], person["id_card_masked"]
        if self.status in (EXPIRED, DETACHED):
            self.status = VALID
        self.synced_at = at
        if {name: getattr(self, name) for name in NATIONAL_FIELDS} == before:
            return False
        self.updated_at = at
        self._announce("registered_synced", at)
        return True


def at_date_iso(at):
    return shanghai_date(at).isoformat()
