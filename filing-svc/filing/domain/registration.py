"""A registration (进疆登记) of one enterprise for one enterprise type, as the approved cases
left it. Every change returns its before/after for the case record, issues a new booklet number
(xjkit.booklets: random, with a check character), so an older printed booklet is no longer
current, and records its events in one place (``_changed``): ``filing.registration_changed``
with the public payload, and for personnel ``filing.personnel_changed``."""
import copy
import datetime
from dataclasses import dataclass, field

from xjkit.aggregate import StoredAggregate
from xjkit.booklets import new_booklet_no
from xjkit.masking import mask_phone

from filing.domain import businesses as b
from filing.domain import validity

REGISTRATION_CHANGED = "filing.registration_changed"
PERSONNEL_CHANGED = "filing.personnel_changed"
# the business that changes each person section
APPOINTMENTS = {"manager": b.MANAGER_CHANGE, "tech_manager": b.TECH_MANAGER_CHANGE}


@dataclass
class Registration(StoredAggregate):
    uscc: str
    enterprise_type: str
    enterprise_name: str
    approved_at: datetime.datetime
    valid_until: str  # ISO date
    basic: dict = field(default_factory=dict)
    manager: dict = None
    tech_manager: dict = None
    attachments: list = field(default_factory=list)
    qualifications: list = field(default_factory=list)
    personnel: list = field(default_factory=list)
    cost_projects: list = field(default_factory=list)
    booklet_serial: int = 0
    booklet_no: str = None
    updated_at: datetime.datetime = None

    # creation ------------------------------------------------------------------------------------

    @classmethod
    def first_filed(cls, at, valid_until, **values):
        """首次信息报送 approved at ``at``: the registration with its first booklet number."""
        registration = cls(approved_at=at, valid_until=valid_until, **values)
        registration._issue_booklet_no(at)
        registration._changed(b.FIRST_FILING, at)
        return registration

    @classmethod
    def opened_for_cost_projects(cls, at, valid_until, **values):
        """A cost consulting enterprise files no first filing: its registration opens with its
        first cost project, whose ``add_cost_project`` records the change."""
        return cls(approved_at=at, valid_until=valid_until, **values)

    @property
    def registration_id(self):
        return f"{self.uscc}:{self.enterprise_type}"

    def status_on(self, today):
        return "valid" if validity.is_valid(self.valid_until, today) else "expired"

    # changes: each returns the {field, before, after} of the case record ---------------------------

    def change_personnel(self, business, added, removed_ids, at):
        """Filed certificates ``added`` (entries), those of ``removed_ids`` taken out."""
        removed = set(removed_ids)
        kept = [p for p in self.personnel if p["id"] not in removed]
        change = self._set("personnel", kept + list(added), at)
        self._changed(business, at, filed=[entry["id"] for entry in added], unfiled=removed_ids)
        return change

    def remove_certificate(self, certificate_id, why, at):
        """A filed certificate left (its holder's employment ended, its validity passed): returns
        whether this registration carried it. cert-svc knows already, so only the public
        registration changes."""
        kept = [p for p in self.personnel if p["id"] != certificate_id]
        if len(kept) == len(self.personnel):
            return False
        self._set("personnel", kept, at)
        self._changed(why, at)
        return True

    def change_basic(self, basic, at):
        """Some basic fields change; a new name is the enterprise's name too."""
        change = self._set("basic", {**self.basic, **basic}, at)
        if "name" in basic:
            self.enterprise_name = basic["name"]
        self._changed(b.BASIC_CHANGE, at)
        return change

    def appoint(self, section, member, at):
        """A new 进疆负责人 (``manager``) or 进疆技术负责人 (``tech_manager``)."""
        change = self._set(section, member, at)
        self._changed(APPOINTMENTS[section], at)
        return change

    def change_qualifications(self, qualifications, at):
        change = self._set("qualifications", qualifications, at)
        self._changed(b.QUALIFICATION_CHANGE, at)
        return change

    def extend(self, at):
        """延续: the end moves one year on."""
        ends = datetime.date.fromisoformat(self.valid_until)
        change = self._set("valid_until", validity.extended(ends).isoformat(), at)
        self._changed(b.EXTENSION, at)
        return change

    def add_cost_project(self, project, at):
        change = self._set("cost_projects", self.cost_projects + [project], at)
        self._changed(b.COST_PROJECT, at)
        return change

    # the public payload and the events ---------------------------------------------------------

    def public_payload(self):
        """What the public list may show (the payload of ``filing.registration_changed``)."""
        basic = dict(self.basic or {})
        if basic.get("contact_phone"):
            basic["contact_phone"] = mask_phone(basic["contact_phone"])
        return {
            "uscc": self.uscc, "enterprise_type": self.enterprise_type,
            "enterprise_name": self.enterprise_name, "valid_until": self.valid_until,
            "approved_at": self.approved_at.isoformat() if self.approved_at else None,
            "basic": basic, "manager": self.manager, "tech_manager": self.tech_manager,
            "qualifications": self.qualifications, "personnel": self.personnel,
            "cost_projects": self.cost_projects, "booklet_no": self.booklet_no,
            # grows with every change: a reader of the events keeps the newest, whatever their order
            "serial": self.booklet_serial,
        }

    def _changed(self, business, at, filed=(), unfiled=()):
        """The one place a change is announced: the public registration, and for personnel which
        certificates a filing now carries or no longer carries (cert-svc keeps their ``filed`` mark)."""
        self.record(REGISTRATION_CHANGED, {"business": business, **self.public_payload()}, at)
        if filed or unfiled:
            self.record(PERSONNEL_CHANGED, {"uscc": self.uscc, "enterprise_type": self.enterprise_type,
                                            "filed": list(filed), "unfiled": list(unfiled)}, at)

    def _issue_booklet_no(self, at):
        """A new booklet number, for the business year of ``at``: the registration was approved or
        changed, so a booklet printed before is no longer current."""
        self.booklet_serial += 1
        self.booklet_no = new_booklet_no(self.enterprise_type, at.year)
        self.updated_at = at

    def _set(self, name, value, at):
        before = copy.deepcopy(getattr(self, name))
        setattr(self, name, value)
        self._issue_booklet_no(at)
        return {"field": name, "before": before, "after": copy.deepcopy(value)}
