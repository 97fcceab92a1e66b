"""Dataclass entities to stored documents and back, as every service's repositories do it."""
from dataclasses import dataclass, field

from xjkit.mongo.entities import entity_from_document, entity_to_document, remember_write


@dataclass
class Offer:
    offer_id: str
    status: str
    tags: list = field(default_factory=list)
    version: int = 0
    stored_outbox: list = field(default_factory=list, repr=False)


def test_the_id_field_becomes_the_document_id_with_version_and_outbox():
    offer = Offer("o1", "pending", ["a"], version=3, stored_outbox=[{"event_id": "e"}])
    assert entity_to_document(offer, "offer_id") == {
        "_id": "o1", "status": "pending", "tags": ["a"], "version": 3, "outbox": [{"event_id": "e"}]}


def test_a_document_id_can_be_given_when_the_entity_has_no_id_field():
    assert entity_to_document(Offer("o1", "pending"), document_id="U:construction")["_id"] == "U:construction"


def test_a_document_round_trips_and_store_only_keys_are_left_out():
    document = {"_id": "o1", "status": "active", "tags": ["b"], "version": 2, "outbox": [],
                "active_person": "p1", "outbox_pending": False}
    offer = entity_from_document(Offer, document, "offer_id")
    assert offer == Offer("o1", "active", ["b"], version=2)


def test_fields_missing_from_an_older_document_keep_their_defaults():
    offer = entity_from_document(Offer, {"_id": "o1", "status": "pending", "version": 1}, "offer_id")
    assert (offer.tags, offer.stored_outbox) == ([], [])


def test_no_document_gives_no_entity():
    assert entity_from_document(Offer, None, "offer_id") is None


def test_after_a_write_the_entity_stands_at_the_stored_version_and_outbox():
    offer = Offer("o1", "pending")
    remember_write(offer, {"version": 4, "outbox": [{"event_id": "e"}]})
    assert (offer.version, offer.stored_outbox) == (4, [{"event_id": "e"}])
