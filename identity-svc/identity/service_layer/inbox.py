"""The person's inbox, fed by other services' events; a WeChat subscribe message is sent as well
when the person granted one for that kind of notice."""
import logging

from xjkit.errors import ConcurrencyConflict, DuplicateKey
from xjkit.retry import retry_on_conflict

from identity.domain.errors import MessageNotFound
from identity.domain.message import InboxMessage

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100


def deliver(uow, messenger, templates, clock, notice):
    """``notice``: dict with event_id, person_id, kind, title, body, target_id, and ``wechat``
    (template data). Idempotent: the message id is the event id."""
    message = InboxMessage(
        message_id=notice["event_id"], person_id=notice["person_id"], kind=notice["kind"],
        title=notice["title"], body=notice["body"], target_id=notice.get("target_id"),
        created_at=clock.now(),
    )
    with uow:
        uow.messages.add(message)
        try:
            uow.commit()
        except DuplicateKey:
            return False  # already delivered: the event was redelivered
    template_id = templates.get(notice["kind"])
    if template_id:
        _send_subscribe_message(uow, messenger, template_id, notice)
    return True


def _send_subscribe_message(uow, messenger, template_id, notice):
    def spend_grant():  # a grant is spent with a version check; retry if the person changed
        with uow:
            person = uow.persons.get(notice["person_id"])
            if person is None or not person.use_subscription(template_id):
                return None
            uow.commit()
            return person
    person = retry_on_conflict(spend_grant)
    if person is not None and not messenger.send(person.openid, template_id, notice.get("wechat") or {},
                                                 notice.get("page")):
        log.warning("subscribe message of kind %s was not accepted by WeChat", notice["kind"])


def message_view(message):
    return {
        "id": message.message_id, "kind": message.kind, "title": message.title, "body": message.body,
        "target_id": message.target_id, "created_at": message.created_at, "read": message.read,
    }


def list_messages(uow, person_id, page, per_page):
    per_page = min(per_page, MAX_PER_PAGE)
    with uow:
        items, total = uow.messages.page_for(person_id, page, per_page)
    return {"items": [message_view(m) for m in items], "total": total, "page": page, "per_page": per_page}


def mark_read(uow, clock, person_id, message_id):
    with uow:
        message = uow.messages.get(message_id)
        if message is None or message.person_id != person_id:
            raise MessageNotFound()
        message.mark_read(clock.now())  # nothing to write when it was read already
        try:
            uow.commit()
        except ConcurrencyConflict:  # marked read concurrently: the outcome is the same
            message = uow.messages.get(message_id)
    return message_view(message)
