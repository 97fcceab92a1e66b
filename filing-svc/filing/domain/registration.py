"""A registration (进疆登记) of one enterprise for one enterprise type, as the approved cases
left it. Every change returns its before/after for the case record, and renews the booklet
number, so an older printed booklet is no longer current."""
import copy
from dataclasses import dataclass, field
from datetime import datetime

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
    updated_at: datetime = None
    version: int = 0
    stored_outbox: list = field(default_factory=list, repr=False)

    @property
    def registration_id(self):
        return f"{self.uscc}:{self.enterprise_type}"

    def status_on(self, today):
        return "valid" if validity.is_valid(self.valid_until, today) else "expired"

    @property
    def booklet_no(self):
        """Changes with every change of the registration (a printed one then says "not current")."""
        return f"XJ{self.uscc[-8:]}{self.enterprise_type[:2].upper()}{self.booklet_serial:04d}"

    def change(self, name, value, at):
        """Set one section; returns the {field, before, after} of the case record."""
        before = copy.deepcopy(getattr(self, name))
        setattr(self, name, value)
        self.booklet_serial += 1
        self.updated_at = at
        return {"field": name, "before": before, "after": copy.deepcopy(value)}
