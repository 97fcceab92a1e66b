"""What callers see of a person. Full ID and phone numbers never leave identity-svc."""
from xjkit.masking import mask_phone


def person_view(person):
    return {
        "person_id": person.person_id,
        "name": person.name,
        "id_card_masked": person.id_card_masked,
        "realname_status": person.realname_status,
        "phone_masked": mask_phone(person.phone) if person.phone else None,
        "education": person.education,
        "address": person.address,
    }
