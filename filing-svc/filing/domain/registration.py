"""A registration (进疆登记) of one enterprise for one enterprise type, as the approved cases
left it. Every change returns its before/after for the case record, and issues a new booklet
number (xjkit.booklets: random, with a check character), so an older printed booklet is no
longer current."""
import copy
from dataclasses import dataclass, field
from datetime import datetime

from xjkit.booklets import new_booklet_no

from filing.domain import validity


@dataclass
class Registration:
    uscc: str
    enterprise_type: str
    enterprise_name: str
    approved_at: datetime
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
    updated_at: datetime = None
    version: int = 0
    stored_outbox: list = field(default_factory=list, repr=False)

    @property
    def registration_id(self):
        return f"{self.uscc}:{self.enterprise_type}"

    def status_on(self, today):
        return "valid" if validity.is_valid(self.valid_until, today) else "expired"

    def issue_booklet_no(self, at):
        """A new booklet number, for the business year of ``at``: the registration was approved or
        changed, so a booklet printed before is no longer current."""
        self.booklet_serial += 1
        self.booklet_no = new_booklet_no(self.enterprise_type, at.year)
        self.updated_at = at

    def change(self, name, value, at):
        """Set one section; returns the {field, before, after} of the case record."""
        before = copy.deepcopy(getattr(self, name))
        setattr(self, name, value)
        self.issue_booklet_no(at)
        return {"field": name, "before": before, "after": copy.deepcopy(value)}
