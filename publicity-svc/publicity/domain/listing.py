"""One public document per enterprise, built only from filing's registration events.

Each registration carries a ``serial`` that grows with every change, so an older event that
arrives late (or twice) never overwrites a newer one. What shows is decided on the day asked:
a registration past its ``valid_until`` is hidden at once, without any other event.
"""
import copy
from dataclasses import dataclass

from xjkit.contract import ENTERPRISE_TYPES

PUBLIC_BASIC = ("name", "legal_representative", "registered_address", "registered_capital_wan", "established_on",
                "xj_office_address")


@dataclass(frozen=True)
class ListingQuery:
    """What a public search asks for: enterprises with a registration (of ``enterprise_type``, or
    of any type) valid on ``valid_on``, narrowed by an exact USCC, a part of the name, or an exact
    qualification name. The store decides how to find them."""

    valid_on: str  # YYYY-MM-DD
    enterprise_type: str | None = None
    uscc: str | None = None
    name_contains: str | None = None
    qualification: str | None = None


def valid_field(enterprise_type):
    """The top-level field holding one type's validity, so the store can filter on it."""
    return f"valid_until_{enterprise_type}"


def apply_registration(document, payload):
    """The enterprise document with this registration applied; None when the event is stale."""
    registrations = dict(document.get("registrations") or {})
    current = registrations.get(payload["enterprise_type"])
    if current is not None and current.get("serial", -1) >= payload.get("serial", 0):
        return None
    registrations[payload["enterprise_type"]] = copy.deepcopy(payload)
    updated = {**document, "registrations": registrations}
    return with_derived_fields(updated)


def with_derived_fields(document):
    registrations = document.get("registrations") or {}
    for enterprise_type in ENTERPRISE_TYPES:
        registration = registrations.get(enterprise_type)
        document[valid_field(enterprise_type)] = registration["valid_until"] if registration else ""
    document["max_valid_until"] = max((r["valid_until"] for r in registrations.values()), default="")
    document["types"] = sorted(registrations)
    document["qualification_names"] = sorted({q.get("name") for r in registrations.values()
                                              for q in r.get("qualifications") or [] if q.get("name")})
    names = [r.get("enterprise_name") for r in registrations.values() if r.get("enterprise_name")]
    document["name"] = names[0] if names else document.get("name")
    return document


def valid_registrations(document, today_iso):
    return [r for _, r in sorted((document.get("registrations") or {}).items()) if r["valid_until"] >= today_iso]


def summary(document, today_iso):
    valid = valid_registrations(document, today_iso)
    return {
        "uscc": document["_id"], "name": document.get("name"),
        "enterprise_types": [r["enterprise_type"] for r in valid],
        "registrations": [{"enterprise_type": r["enterprise_type"],
                           "enterprise_type_label": ENTERPRISE_TYPES[r["enterprise_type"]],
                           "valid_until": r["valid_until"]} for r in valid],
        "qualifications": sorted({q.get("name") for r in valid for q in r.get("qualifications") or [] if q.get("name")}),
        "personnel_count": len({p.get("person_id") or p.get("person_name") for r in valid for p in r.get("personnel") or []}),
        "updated_at": document.get("changed_at"),
    }


def _person(section):
    return {"name": section.get("name"), "id_card_masked": section.get("id_card_masked")} if section else None


def detail(document, today_iso):
    """The public detail: only valid registrations, only public fields (IDs masked, no phone)."""
    return {
        "uscc": document["_id"], "name": document.get("name"), "updated_at": document.get("changed_at"),
        "registrations": [{
            "enterprise_type": r["enterprise_type"], "enterprise_type_label": ENTERPRISE_TYPES[r["enterprise_type"]],
            "valid_until": r["valid_until"], "approved_at": r.get("approved_at"),
            "basic": {key: (r.get("basic") or {}).get(key) for key in PUBLIC_BASIC},
            "manager": _person(r.get("manager")), "tech_manager": _person(r.get("tech_manager")),
            "qualifications": [{key: q.get(key) for key in ("cert_no", "name", "grade", "issuer", "expires_on")}
                               for q in r.get("qualifications") or []],
            "personnel": [{"person_name": p.get("person_name"), "id_card_masked": p.get("id_card_masked"),
                           "kind": p.get("kind"), "type": p.get("type"), "cert_no": p.get("cert_no"),
                           "specialties": p.get("specialties") or [], "valid_until": p.get("valid_until")}
                          for p in r.get("personnel") or []],
            "cost_projects": [{key: c.get(key) for key in (
                "project_name", "location_code", "client_name", "contract_amount_fen", "service_start",
                "service_end", "lead_person_name")} for c in r.get("cost_projects") or []],
            "booklet_no": r.get("booklet_no"),
        } for r in valid_registrations(document, today_iso)],
    }
