"""The hiring relation (聘用) and its states.

    pending ─accept→ active ─terminate→ terminated
       │                 └──expire───→ expired     (the contract end passed)
       ├─reject→ rejected (by the person)
       └─cancel→ cancelled (by the enterprise, or withdrawn when the person accepted another offer)

Every change records its ``employment.*`` event (payload: ``Employment.event_payload``). The store
enforces the two uniqueness rules through keys that exist only in one state (see
adapters/repositories.py): one active employment per person, one pending offer per enterprise and
person.
"""
from dataclasses import dataclass
from datetime import datetime

from xjkit.aggregate import StoredAggregate

from employment.domain.errors import EmploymentStateConflict

PENDING = "pending"
ACTIVE = "active"
REJECTED = "rejected"
CANCELLED = "cancelled"
TERMINATED = "terminated"
EXPIRED = "expired"
STATUSES = (PENDING, ACTIVE, REJECTED, CANCELLED, TERMINATED, EXPIRED)
FINAL = frozenset({REJECTED, CANCELLED, TERMINATED, EXPIRED})

STATUS_LABELS = {PENDING: "待确认", ACTIVE: "在职", REJECTED: "已拒绝", CANCELLED: "已撤销",
                 TERMINATED: "已解除", EXPIRED: "已到期"}

# why a relation ended or was cancelled
CANCELLED_BY_ENTERPRISE = "cancelled_by_enterprise"
ACCEPTED_ELSEWHERE = "accepted_elsewhere"
TERMINATED_BY_ENTERPRISE = "terminated_by_enterprise"
TERMINATED_BY_PERSON = "terminated_by_person"
CONTRACT_ENDED = "contract_ended"


@dataclass
class Employment(StoredAggregate):
    employment_id: str
    person_id: str
    person_name: str
    id_card_masked: str
    enterprise_uscc: str
    enterprise_name: str
    contract_start: str  # ISO date: compares in order as text, and the store keeps it as it is
    contract_end: str
    contract_file_id: str
    created_at: datetime
    status: str = PENDING
    decided_at: datetime = None
    ended_at: datetime = None
    end_reason: str = None
    reject_reason: str = None

    @classmethod
    def offered(cls, at, **values):
        """An enterprise offers the person a job; it waits for the person's answer."""
        employment = cls(created_at=at, status=PENDING, **values)
        employment._announce("offered", at)
        return employment

    def event_payload(self):
        """The payload of every employment.* event (see docs/events.md): never a full ID number."""
        return {
            "employment_id": self.employment_id,
            "person_id": self.person_id,
            "person_name": self.person_name,
            "id_card_masked": self.id_card_masked,
            "enterprise_uscc": self.enterprise_uscc,
            "enterprise_name": self.enterprise_name,
            "contract_start": self.contract_start,
            "contract_end": self.contract_end,
            "status": self.status,
            "end_reason": self.end_reason,
        }

    def _announce(self, name, at):
        self.record(f"employment.{name}", self.event_payload(), at)

    def require_pending(self):
        self._require(PENDING)

    def _require(self, *allowed):
        if self.status not in allowed:
            wanted = "、".join(STATUS_LABELS[s] for s in allowed)
            raise EmploymentStateConflict(
                message=f"聘用记录当前为“{STATUS_LABELS[self.status]}”，只有“{wanted}”状态可以进行此操作")

    def _move(self, allowed, status, event, at, **changes):
        """One transition of the diagram above: refused unless the relation is in ``allowed``; sets
        the new ``status`` and ``changes`` (when and why), then records ``employment.<event>``."""
        self._require(allowed)
        self.status = status
        for name, value in changes.items():
            setattr(self, name, value)
        self._announce(event, at)

    def accept(self, at):
        self._move(PENDING, ACTIVE, "accepted", at, decided_at=at)

    def reject(self, at, reason=None):
        self._move(PENDING, REJECTED, "rejected", at, decided_at=at, reject_reason=reason)

    def cancel(self, at):
        """The enterprise takes its offer back."""
        self._move(PENDING, CANCELLED, "cancelled", at, decided_at=at, end_reason=CANCELLED_BY_ENTERPRISE)

    def withdraw(self, at):
        """The person accepted another offer: this one is over."""
        self._move(PENDING, CANCELLED, "withdrawn", at, decided_at=at, end_reason=ACCEPTED_ELSEWHERE)

    def terminate(self, at, reason):
        self._move(ACTIVE, TERMINATED, "terminated", at, ended_at=at, end_reason=reason)

    def expire(self, at):
        self._move(ACTIVE, EXPIRED, "expired", at, ended_at=at, end_reason=CONTRACT_ENDED)

    def contract_ended_before(self, today_iso):
        return self.contract_end < today_iso
