"""A business case (办件): what was submitted, the automatic review's outcome with every reason,
and what it changed (before/after). Kept forever; never edited after it is written."""
from dataclasses import dataclass, field
from datetime import datetime

from xjkit.aggregate import StoredAggregate

APPROVED = "approved"
REJECTED = "rejected"


def reason(error, message, field_path=None):
    found = {"error": error, "message": message}
    if field_path:
        found["field"] = field_path
    return found


@dataclass
class Case(StoredAggregate):
    """Written through the unit of work like the registration, but records no events: nothing
    outside filing-svc reacts to a case."""

    case_id: str
    uscc: str
    enterprise_type: str
    business: str
    data: dict
    submitted_at: datetime
    reviewed_at: datetime
    status: str
    reasons: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # [{"field", "before", "after"}]
    submitted_by: str = None
