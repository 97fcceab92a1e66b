"""Sync of registered certificates (注册证书) from the national platform (四库一平台).

For an enterprise's actively employed staff: one call to employment-svc for the staff list, one
to identity-svc for their full ID numbers, then one national-platform call per person, run through
an injectable ``map_concurrently`` (the nameko service passes a green pool of 10). Every answer is
in hand before anything is written, so an outage halfway changes nothing.

The platform lists one row per speciality; rows with the same ``cert_no`` become one certificate
whose ``specialties`` keep the platform's order. A certificate is stored only when it is
registered to this enterprise and within validity; the others are reported with the reason.
A re-sync updates the stored certificate in place (one per enterprise, kind and number, enforced
by the store). A certificate we hold that the platform no longer lists is left as it is and
reported under ``missing`` for a person to look at.
"""
import logging

from xjkit.errors import ConcurrencyConflict, DuplicateKey
from xjkit.ids import new_id
from xjkit.retry import retry_on_conflict

from certs.domain.certificate import REGISTERED, Certificate
from certs.service_layer.views import certificate_view

log = logging.getLogger(__name__)

OTHER_UNIT_REASON = "证书注册单位为{registered_unit}，不是本企业"
EXPIRED_REASON = "证书已于{valid_until}过期"
NO_VALIDITY_REASON = "全国平台未提供该证书的有效期，无法确认是否在有效期内"
OTHER_PERSON_REASON = "本企业已有该证书编号的证书，登记在其他人员名下，请核实"


def sync_registered(uow, staff, identity_numbers, national, clock, enterprise_uscc,
                    map_concurrently=map):
    """Pull the registered certificates of the enterprise's active staff from the national platform.

    ``map_concurrently(fn, items)`` runs the per-person national calls (default: one after the
    other); it must return the results in the order of ``items``. Raises
    NationalPlatformUnavailable, having changed nothing, when any national call fails.
    """
    now = clock.now()
    today = clock.today().isoformat()
    persons = staff.active_staff(enterprise_uscc)
    id_cards = identity_numbers.id_cards_of([p["person_id"] for p in persons]) if persons else {}
    queried = [p for p in persons if id_cards.get(p["person_id"])]
    if len(queried) < len(persons):
        log.info("registered sync %s: %d of %d active staff have no verified ID number, not queried",
                 enterprise_uscc, len(persons) - len(queried), len(persons))

    # every answer first: a failure raises here, before any write
    answers = list(map_concurrently(lambda p: national.registered_certificates(id_cards[p["person_id"]]), queried))

    result = {"added": [], "updated": [], "unchanged": 0, "refused": [], "missing": [], "synced_at": now}
    for person, rows in zip(queried, answers):
        records = merge_rows(rows)
        for record in records:
            reason = refusal(record, enterprise_uscc, today)
            if reason:
                result["refused"].append({"cert_no": record["cert_no"], "person_id": person["person_id"],
                                          "person_name": person["person_name"], "type": record["type"],
                                          "reason": reason})
                continue
            outcome, certificate = _store(uow, enterprise_uscc, person, record, now)
            if outcome == "added":
                result["added"].append(certificate_view(certificate))
            elif outcome == "updated":
                result["updated"].append(certificate_view(certificate))
            elif outcome == "unchanged":
                result["unchanged"] += 1
            else:  # the number belongs to someone else here
                result["refused"].append({"cert_no": record["cert_no"], "person_id": person["person_id"],
                                          "person_name": person["person_name"], "type": record["type"],
                                          "reason": OTHER_PERSON_REASON})
        listed = {record["cert_no"] for record in records}
        with uow:
            held_now = uow.certificates.of_person_at(enterprise_uscc, person["person_id"])
        for held in held_now:
            if held.kind == REGISTERED and held.cert_no not in listed:
                result["missing"].append({"cert_no": held.cert_no, "person_id": person["person_id"]})

    log.info("registered sync %s: %d persons queried, %d added, %d updated, %d unchanged, %d refused, %d missing",
             enterprise_uscc, len(queried), len(result["added"]), len(result["updated"]), result["unchanged"],
             len(result["refused"]), len(result["missing"]))
    return result


def merge_rows(rows):
    """One record per certificate number from the platform's one-row-per-speciality answer.

    Specialities keep the platform's order and appear once; the other fields come from the
    certificate's first row.
    """
    records = {}
    for row in rows:
        record = records.get(row["cert_no"])
        if record is None:
            record = records[row["cert_no"]] = {
                "cert_no": row["cert_no"], "type": row.get("type"), "specialties": [],
                "seal_no": row.get("seal_no"), "registered_uscc": row.get("registered_uscc"),
                "registered_unit": row.get("registered_unit"), "valid_from": row.get("valid_from"),
                "valid_until": row.get("valid_until"),
            }
        specialty = row.get("specialty")
        if specialty and specialty not in record["specialties"]:
            record["specialties"].append(specialty)
    return list(records.values())


def refusal(record, enterprise_uscc, today_iso):
    """Why this certificate cannot be taken for the enterprise, or None."""
    if record["registered_uscc"] != enterprise_uscc:
        return OTHER_UNIT_REASON.format(registered_unit=record["registered_unit"] or record["registered_uscc"])
    if not record["valid_until"]:
        return NO_VALIDITY_REASON
    if record["valid_until"] < today_iso:
        return EXPIRED_REASON.format(valid_until=record["valid_until"])
    return None


def _new_certificate(enterprise_uscc, person, record, now):
    return Certificate.synced(
        now, certificate_id=new_id(), enterprise_uscc=enterprise_uscc,
        person_id=person["person_id"], person_name=person["person_name"],
        id_card_masked=person["id_card_masked"], cert_no=record["cert_no"], type=record["type"],
        specialties=list(record["specialties"]), issued_on=record["valid_from"], valid_until=record["valid_until"],
        details={"seal_no": record["seal_no"], "registered_unit": record["registered_unit"]},
    )


def _store(uow, enterprise_uscc, person, record, now):
    """Add or refresh one certificate: ("added" | "updated" | "unchanged" | "other_person", it).

    A concurrent writer (another sync, the expiry job, a filing) makes the version check or the
    unique key fail; the certificate is then read again and the change retried (xjkit.retry).
    """
    def attempt():
        with uow:
            existing = uow.certificates.find_by_key(enterprise_uscc, REGISTERED, record["cert_no"])
            if existing is None:
                certificate = _new_certificate(enterprise_uscc, person, record, now)
                uow.certificates.add(certificate)
                try:
                    uow.commit()
                except DuplicateKey:  # added by a concurrent sync: read it again
                    log.info("registered sync %s: certificate %s added meanwhile, retrying", enterprise_uscc,
                             record["cert_no"])
                    raise ConcurrencyConflict() from None
                return "added", certificate
            if existing.person_id != person["person_id"]:
                return "other_person", existing
            changed = existing.refresh_from_national(record, person, now)
            uow.commit()  # an unchanged one records the sync time only
            return ("updated" if changed else "unchanged"), existing
    return retry_on_conflict(attempt)
