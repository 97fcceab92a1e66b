"""Face tickets: a fresh face check for one action on one target, consumed once by that action.
A ticket lives by the wall clock (``wall``), as WeChat's verify_id does.

The mini-program asks for a ticket (POST /mp/face), runs wx.requestFacialVerify with its
verify_id, then calls the action (e.g. accept an offer) with the verify_id. The service doing the
action asks identity-svc to consume the ticket for exactly that person, purpose and target.
"""
import uuid

from xjkit.errors import ConcurrencyConflict

from identity.domain.errors import (
    FaceCheckNotFound, FaceCheckUsed, FaceNotPassed, FacePurposeUnknown, PersonNotFound,
    PersonNotVerified,
)
from identity.domain.face_check import FACE_PASSED, FaceCheck
from identity.domain.face_purposes import ACTION_PURPOSES


def _verified_person(uow, person_id):
    person = uow.persons.get(person_id)
    if person is None:
        raise PersonNotFound()
    if not person.is_verified:
        raise PersonNotVerified()
    return person


def start_face_ticket(uow, face, vault, wall, person_id, purpose, target_id):
    if purpose not in ACTION_PURPOSES:
        raise FacePurposeUnknown(errors={"purpose": ["取值应为：" + "、".join(sorted(ACTION_PURPOSES))]})
    with uow:
        person = _verified_person(uow, person_id)
        id_card_no = vault.decrypt(person.id_card_enc)
        out_seq_no = uuid.uuid4().hex
        verify_id, expires_in = face.start(person.openid, out_seq_no, person.name, id_card_no)
        uow.face_checks.add(FaceCheck.start(
            verify_id=verify_id, person_id=person_id, openid=person.openid, out_seq_no=out_seq_no,
            purpose=purpose, target_id=target_id, cert_name=person.name, id_card_enc=person.id_card_enc,
            now=wall.now(), expires_in_seconds=expires_in,
        ))
        uow.commit()
    return {"verify_id": verify_id, "expires_in": expires_in}


def consumed_face_check(uow, face, vault, wall, person_id, verify_id, purpose, target_id):
    """Ask WeChat for the result of a usable check of this person, purpose and target, and commit it
    consumed whatever the result (a new attempt needs a new face scan). Returns the passed check;
    FaceNotPassed after committing a failed one; ConcurrencyConflict when a concurrent consumer
    committed first. Called inside the caller's ``with uow``."""
    check = uow.face_checks.get(verify_id)
    if check is None:
        raise FaceCheckNotFound()
    check.ensure_usable_by(person_id, purpose, target_id, wall.now())
    verify_ret = face.result(check.verify_id, check.out_seq_no, check.openid, check.cert_name,
                             vault.decrypt(check.id_card_enc))
    check.consume(verify_ret)
    uow.commit()
    if verify_ret != FACE_PASSED:
        raise FaceNotPassed(errors={"verify_id": [f"人脸核身结果：{verify_ret if verify_ret is not None else '未通过校验'}"]})
    return check


def consume_face_ticket(uow, face, vault, wall, person_id, verify_id, purpose, target_id):
    """Pass only when the ticket is this person's, for this purpose and target, unused, unexpired,
    and WeChat says verify_ret == 10000. Returns ``{"verify_id", "passed": True}``."""
    with uow:
        try:
            consumed_face_check(uow, face, vault, wall, person_id, verify_id, purpose, target_id)
        except ConcurrencyConflict:  # the same ticket consumed by a concurrent action
            raise FaceCheckUsed()
    return {"verify_id": verify_id, "passed": True}
