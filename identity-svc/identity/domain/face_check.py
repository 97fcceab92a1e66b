"""One WeChat face verification (人脸核身 2.0) session and what it may be used for.

A check is started for one purpose ("realname", or an action such as "employment.accept" on one
target), lives until WeChat's ``expires_in`` ends, and is consumed at most once.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from xjkit.aggregate import StoredAggregate

from identity.domain.errors import FaceCheckExpired, FaceCheckNotFound, FaceCheckUsed

REALNAME = "realname"

# WeChat's verify_ret for a check that passed (queryverifyinfo)
FACE_PASSED = 10000

STARTED = "started"
CONSUMED = "consumed"


@dataclass
class FaceCheck(StoredAggregate):
    verify_id: str
    person_id: str
    openid: str
    out_seq_no: str
    purpose: str
    target_id: str
    cert_name: str
    id_card_enc: str
    created_at: datetime
    expires_at: datetime
    status: str = STARTED
    verify_ret: int = None

    @classmethod
    def start(cls, verify_id, person_id, openid, out_seq_no, purpose, target_id, cert_name,
              id_card_enc, now, expires_in_seconds):
        return cls(
            verify_id=verify_id, person_id=person_id, openid=openid, out_seq_no=out_seq_no,
            purpose=purpose, target_id=target_id, cert_name=cert_name, id_card_enc=id_card_enc,
            created_at=now, expires_at=now + timedelta(seconds=expires_in_seconds),
        )

    def ensure_usable_by(self, person_id, purpose, target_id, now):
        # someone else's check looks exactly like a missing one
        if self.person_id != person_id or self.purpose != purpose or self.target_id != target_id:
            raise FaceCheckNotFound()
        if self.status == CONSUMED:
            raise FaceCheckUsed()
        if now >= self.expires_at:
            raise FaceCheckExpired()

    def consume(self, verify_ret):
        self.verify_ret = verify_ret
        self.status = CONSUMED
