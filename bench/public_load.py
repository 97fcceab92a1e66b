"""Bulk-load the public read model of a running platform: N enterprises from the national dataset
generator (``xjstubs.dataset.generate``, what ``xj-national-dataset`` writes), each turned into the
registration event filing-svc would publish after an approval, applied with publicity-svc's own
domain rules (``publicity.domain.listing``) and written straight into publicity-svc's database with
one feed entry each; then the public cache's version is bumped, as publicity-svc does after a change.

Loading through filings would take hours for 30,000 enterprises on two cores; this loads the same
documents in seconds. Idempotent by USCC: loading 3,000 after 30 adds the missing ones.
"""
import datetime

import pymongo
import redis

from publicity.domain import listing
from xjkit import public_version
from xjkit.contract import ENTERPRISE_TYPES
from xjkit.masking import mask_id_card
from xjstubs.dataset import generate

BATCH = 1000


def registration(enterprise, persons, business_day, serial=1):
    kind = enterprise["qualifications"][0]["category"] if enterprise["qualifications"] else "construction"
    kind = kind if kind in ENTERPRISE_TYPES else "construction"
    return {
        "uscc": enterprise["uscc"], "enterprise_type": kind, "enterprise_name": enterprise["name"], "serial": serial,
        "valid_until": (business_day + datetime.timedelta(days=400)).isoformat(),
        "approved_at": datetime.datetime.combine(business_day, datetime.time(10), datetime.timezone.utc),
        "basic": {"name": enterprise["name"], "legal_representative": enterprise["legal_representative"],
                  "registered_address": enterprise["address"],
                  "registered_capital_wan": enterprise["registered_capital_wan"],
                  "established_on": enterprise["established_on"], "xj_office_address": "新疆乌鲁木齐市天山区某某路1号"},
        "manager": {"name": persons[0]["name"], "id_card_masked": mask_id_card(persons[0]["id_card_no"])} if persons else None,
        "tech_manager": None,
        "qualifications": enterprise["qualifications"],
        "personnel": [{"person_id": p["id_card_no"][-8:], "person_name": p["name"],
                       "id_card_masked": mask_id_card(p["id_card_no"]), "kind": "registered",
                       "type": "注册人员", "cert_no": f"C{p['id_card_no'][-8:]}", "specialties": [],
                       "valid_until": (business_day + datetime.timedelta(days=700)).isoformat()} for p in persons],
        "cost_projects": [],
        "booklet_no": None,
    }


def load(mongo_uri, database, redis_url, redis_prefix, count, business_day, seed=2026):
    """Make the read model hold ``count`` generated enterprises (plus whatever it held); returns
    the number inserted and the seconds it took."""
    started = datetime.datetime.now()
    dataset = generate(count, 2, seed=seed, generated_for=business_day, expired_share=0.0)
    persons_of = {}
    for person in dataset["persons"]:
        persons_of.setdefault(person["registered_certs"][0]["registered_uscc"], []).append(person)
    client = pymongo.MongoClient(mongo_uri)
    db = client[database]
    existing = {d["_id"] for d in db.enterprises.find({}, {"_id": 1})}
    last = list(db.feed.find({}, {"seq": 1}).sort([("seq", -1)]).limit(1))
    seq = last[0]["seq"] if last else 0
    documents, entries, now = [], [], datetime.datetime.now(datetime.timezone.utc)
    today = business_day.isoformat()
    for enterprise in dataset["enterprises"]:
        if enterprise["uscc"] in existing:
            continue
        document = listing.apply_registration({"_id": enterprise["uscc"]}, registration(
            enterprise, persons_of.get(enterprise["uscc"], [])[:2], business_day))
        seq += 1
        document.update(version=1, feed_seq=seq, changed_at=now,
                        visible="yes" if document["max_valid_until"] >= today else "no")
        documents.append(document)
        entries.append({"seq": seq, "uscc": enterprise["uscc"], "version": 1, "at": now.timestamp()})
    for start in range(0, len(documents), BATCH):
        db.enterprises.insert_many(documents[start:start + BATCH], ordered=False)
        db.feed.insert_many(entries[start:start + BATCH], ordered=False)
    client.close()
    public_version.bump(redis.Redis.from_url(redis_url), redis_prefix)
    return {"inserted": len(documents), "seconds": round((datetime.datetime.now() - started).total_seconds(), 1)}
