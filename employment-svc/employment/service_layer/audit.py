"""The audit log of person lookups: which enterprise looked up which (masked) ID number, when,
and whether it named somebody. Regulators read it through ``lookup_log`` (``xj-audit-lookups``).

The full ID number is never kept: the masked form and the person it named are enough to answer
"who looked this person up", and nothing here can be turned back into an ID number.
"""
import uuid

from xjkit.clock import parse_instant
from xjkit.errors import ValidationFailed
from xjkit.masking import mask_id_card
from xjkit.validators import normalize_id_card

MAX_PER_PAGE = 1000


def record_lookup(audit, wall, uscc, id_card_no, person_id):
    audit.record({
        "lookup_id": uuid.uuid4().hex, "enterprise_uscc": uscc,
        "id_card_masked": mask_id_card(normalize_id_card(id_card_no)),
        "person_id": person_id, "found": person_id is not None, "at": wall.now(),
    })


def lookup_log(audit, enterprise_uscc=None, person_id=None, since=None, until=None, page=1, per_page=100):
    """The entries matching every given filter (``since``/``until``: ISO 8601 instants, no offset
    meaning Shanghai time), newest first, as API.md pages them."""
    bounds, errors = {}, {}
    for name, text in (("since", since), ("until", until)):
        try:
            bounds[name] = parse_instant(text) if text else None
        except (TypeError, ValueError):
            errors[name] = ["时间格式应为ISO 8601"]
    if not (isinstance(page, int) and page >= 1):
        errors["page"] = ["页码应为正整数"]
    if not (isinstance(per_page, int) and 1 <= per_page <= MAX_PER_PAGE):
        errors["per_page"] = [f"每页条数应为1到{MAX_PER_PAGE}之间的整数"]
    if errors:
        raise ValidationFailed(errors)
    items, total = audit.page(enterprise_uscc, person_id, bounds["since"], bounds["until"], page, per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page}
