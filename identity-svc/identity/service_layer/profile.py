"""Use cases on the person's own profile and their WeChat subscribe-message grants."""
from xjkit.errors import ValidationFailed

from identity.domain.profile import validated_profile
from identity.service_layer.persons import person_of
from identity.service_layer.views import person_view

MAX_TEMPLATES_PER_GRANT = 10


def update_profile(uow, person_id, phone=None, education=None, address=None):
    phone, education, address = validated_profile(phone, education, address)
    with uow:
        person = person_of(uow, person_id)
        person.update_profile(phone, education, address)
        uow.commit()
    return person_view(person)


def grant_subscriptions(uow, person_id, template_ids, known_template_ids):
    """Record what wx.requestSubscribeMessage returned as accepted (one message per grant)."""
    unknown = [t for t in template_ids if t not in known_template_ids]
    if unknown or not template_ids or len(template_ids) > MAX_TEMPLATES_PER_GRANT:
        raise ValidationFailed({"template_ids": ["模板ID无效"]})
    with uow:
        person = person_of(uow, person_id)
        person.grant_subscriptions(template_ids)
        uow.commit()
    return {"subscribe_grants": {t: person.subscribe_grants.get(t, 0) for t in known_template_ids}}


def subscription_status(uow, person_id, templates):
    """What the mini-program asks wx.requestSubscribeMessage for: each template id with the notice
    kinds it carries (``templates``: {kind: template_id}), and the messages the person may still receive."""
    with uow:
        person = person_of(uow, person_id)
    kinds_of = {}
    for kind, template_id in sorted(templates.items()):
        kinds_of.setdefault(template_id, []).append(kind)
    return {
        "templates": [{"template_id": t, "kinds": kinds} for t, kinds in sorted(kinds_of.items())],
        "subscribe_grants": {t: person.subscribe_grants.get(t, 0) for t in sorted(kinds_of)},
    }
