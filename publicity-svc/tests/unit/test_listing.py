"""The pure rules of the public document: order-proof application and what shows on a day."""
from publicity.domain import listing


def payload(serial, valid_until="2026-12-31", enterprise_type="construction", **extra):
    return {"uscc": "U1", "enterprise_type": enterprise_type, "enterprise_name": "甲建设集团", "serial": serial,
            "valid_until": valid_until, "qualifications": [{"name": "建筑工程施工总承包"}],
            "personnel": [{"person_id": "p1", "person_name": "张三", "id_card_masked": "510104********1230"}],
            **extra}


def test_a_newer_serial_replaces_and_an_older_or_equal_one_is_ignored():
    document = listing.apply_registration({"_id": "U1"}, payload(2, valid_until="2027-12-31"))
    assert listing.apply_registration(document, payload(1)) is None
    assert listing.apply_registration(document, payload(2)) is None
    assert document["registrations"]["construction"]["valid_until"] == "2027-12-31"


def test_derived_fields_follow_every_registration():
    document = listing.apply_registration({"_id": "U1"}, payload(1, valid_until="2026-12-31"))
    document = listing.apply_registration(document, payload(1, valid_until="2027-12-31", enterprise_type="survey"))
    assert document["max_valid_until"] == "2027-12-31"
    assert (document["valid_until_construction"], document["valid_until_survey"], document["valid_until_design"]) == (
        "2026-12-31", "2027-12-31", "")
    assert document["types"] == ["construction", "survey"]


def test_a_registration_past_its_end_does_not_show_from_the_next_day():
    document = listing.apply_registration({"_id": "U1"}, payload(1, valid_until="2026-12-31"))
    assert listing.summary(document, "2026-12-31")["enterprise_types"] == ["construction"]
    assert listing.summary(document, "2027-01-01")["enterprise_types"] == []
    assert listing.detail(document, "2027-01-01")["registrations"] == []


def test_the_detail_carries_only_public_fields():
    document = listing.apply_registration({"_id": "U1"}, payload(1, basic={
        "name": "甲建设集团", "contact_phone": "138****8000", "contact_name": "王经理", "legal_representative": "李"}))
    [registration] = listing.detail(document, "2026-11-25")["registrations"]
    assert "contact_phone" not in registration["basic"] and "contact_name" not in registration["basic"]
    assert registration["personnel"][0]["id_card_masked"] == "510104********1230"
