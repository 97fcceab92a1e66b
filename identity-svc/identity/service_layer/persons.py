"""Use cases: WeChat login, real-name verification by face, reading one's own person."""
import uuid

from xjkit.errors import DuplicateKey, ValidationFailed
from xjkit.masking import mask_id_card
from xjkit.validators import check_id_card, normalize_id_card

from identity.domain.errors import AlreadyVerified, IdCardBound, PersonNotFound
from identity.domain.face_check import REALNAME, FaceCheck
from identity.domain.person import Person
from identity.domain.session import PERSON
from identity.service_layer import face_tickets
from identity.service_layer.sessions import start_session
from identity.service_layer.views import person_view

MAX_NAME_LENGTH = 30


def login_with_wechat(uow, wechat, limits, clock, wall, code):
    """Bind the WeChat user to a person (created on first login, unverified) and start a session."""
    openid = wechat.openid_for_code(code)
    with uow:
        person = uow.persons.get_by_openid(openid)
        if person is None:
            person = Person(person_id=uuid.uuid4().hex, openid=openid, created_at=clock.now())
            uow.persons.add(person)
            try:
                uow.commit()
            except DuplicateKey:  # the same user logged in twice at once: use the winner
                person = uow.persons.get_by_openid(openid)
    session = start_session(uow, wall, limits, PERSON, person.person_id)
    return {"openid": openid, "person": person_view(person), "session": session}


def person_of(uow, person_id):
    """The person (seen by the unit of work), or PersonNotFound."""
    person = uow.persons.get(person_id)
    if person is None:
        raise PersonNotFound()
    return person


def get_person(uow, person_id):
    with uow:
        return person_view(person_of(uow, person_id))


def _validated_identity(name, id_card_no):
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        errors["name"] = [f"姓名不能为空且不超过{MAX_NAME_LENGTH}个字"]
    id_card_no = normalize_id_card(id_card_no or "")
    problem = check_id_card(id_card_no)
    if problem:
        errors["id_card_no"] = [problem]
    if errors:
        raise ValidationFailed(errors)
    return name, id_card_no


def start_realname(uow, face, vault, wall, person_id, name, id_card_no):
    """getverifyid for the person's name + ID number; the mini-program then runs the face scan.
    The check lives by the wall clock, as WeChat's verify_id does."""
    name, id_card_no = _validated_identity(name, id_card_no)
    with uow:
        person = person_of(uow, person_id)
        if person.is_verified:
            raise AlreadyVerified()
        holder = uow.persons.get_by_id_hash(vault.lookup_hash(id_card_no))
        if holder is not None and holder.person_id != person_id:
            raise IdCardBound()
        out_seq_no = uuid.uuid4().hex
        verify_id, expires_in = face.start(person.openid, out_seq_no, name, id_card_no)
        uow.face_checks.add(FaceCheck.start(
            verify_id=verify_id, person_id=person_id, openid=person.openid, out_seq_no=out_seq_no,
            purpose=REALNAME, target_id=person_id, cert_name=name, id_card_enc=vault.encrypt(id_card_no),
            now=wall.now(), expires_in_seconds=expires_in,
        ))
        uow.commit()
    return {"verify_id": verify_id, "expires_in": expires_in}


def complete_realname(uow, face, vault, clock, wall, person_id, verify_id):
    """queryverifyinfo: the person becomes verified only when WeChat says verify_ret == 10000.
    The check's lifetime is judged by the wall clock; the verification date is a business date."""
    with uow:
        check = face_tickets.consumed_face_check(uow, face, vault, wall, person_id, verify_id, REALNAME, person_id)
        person = person_of(uow, person_id)
        id_card_no = vault.decrypt(check.id_card_enc)
        person.verify(check.cert_name, check.id_card_enc, vault.lookup_hash(id_card_no), mask_id_card(id_card_no),
                      clock.now())  # records identity.person_verified
        try:
            uow.commit()
        except DuplicateKey:  # another WeChat user verified the same ID number first
            raise IdCardBound()
    return person_view(person)


def lookup_by_id_card(uow, vault, id_card_no):
    """For enterprises and other services: the verified person holding this ID number.

    Only verified persons are found: an ID number is stored when its holder passed face
    verification, never before.
    """
    id_card_no = normalize_id_card(id_card_no or "")
    problem = check_id_card(id_card_no)
    if problem:
        raise ValidationFailed({"id_card_no": [problem]})
    with uow:
        person = uow.persons.get_by_id_hash(vault.lookup_hash(id_card_no))
    if person is None:
        raise PersonNotFound(message="未找到该身份证号码对应的实名人员，请提醒其先在小程序完成实名认证")
    return {"person_id": person.person_id, "name": person.name, "id_card_masked": person.id_card_masked,
            "realname_status": person.realname_status}


MAX_BATCH = 1000


def id_cards_of(uow, vault, person_ids):
    """Full ID numbers of verified persons, for other services' queries to the national platform.
    Only ever sent between services; never shown, never logged."""
    if len(person_ids) > MAX_BATCH:
        raise ValidationFailed({"person_ids": [f"一次最多查询{MAX_BATCH}人"]})
    with uow:
        found = uow.persons.get_many(list(dict.fromkeys(person_ids)))
    return {person.person_id: vault.decrypt(person.id_card_enc) for person in found if person.is_verified}
