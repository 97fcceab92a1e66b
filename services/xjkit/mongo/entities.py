"""Dataclass entities ↔ stored documents, the same way in every service.

An entity keeps two pieces of storage bookkeeping beside its domain fields: ``version`` (what
the optimistic-concurrency check compares) and ``stored_outbox`` (events not yet relayed, carried
forward by the next write). Its id field becomes the document's ``_id``.
"""
from dataclasses import asdict, fields

from xjkit.unit_of_work import BOOKKEEPING


def entity_to_document(entity, id_field=None, document_id=None):
    """The document to write: ``_id`` from ``id_field`` (left out of the body) or ``document_id``."""
    document = {key: value for key, value in asdict(entity).items() if key not in BOOKKEEPING}
    document["_id"] = document.pop(id_field) if id_field else document_id
    document["version"] = entity.version
    document["outbox"] = entity.stored_outbox
    return document


def entity_from_document(entity_type, document, id_field=None):
    """The entity of a stored document (None for None); fields the document lacks keep their
    defaults, and store-only keys (unique keys, derived fields) are left out."""
    if document is None:
        return None
    names = {f.name for f in fields(entity_type)} - set(BOOKKEEPING)
    values = {name: document[name] for name in names if name in document}
    if id_field:
        values[id_field] = document["_id"]
    entity = entity_type(**values)
    entity.version = document["version"]
    entity.stored_outbox = list(document.get("outbox") or [])
    return entity


def remember_write(entity, stored):
    """After a write: the entity now stands at the stored version and outbox."""
    entity.version = stored["version"]
    entity.stored_outbox = stored["outbox"]


class MongoAggregateRepository:
    """Mixin for a ``VersionedRepository`` of one aggregate type that is also an
    ``xjkit.unit_of_work.AggregateRepository``: documents become entities seen by the unit of work,
    and the commit's ``write`` inserts or replaces with the events in the same write.

    Subclasses set ``entity_type`` and ``id_field`` and may override ``to_document`` to add
    store-only keys (unique keys that exist in one state, derived fields)."""

    entity_type = None
    id_field = None

    def to_document(self, entity):
        return entity_to_document(entity, self.id_field)

    def entity(self, document):
        """The entity of a stored document (None for None), seen by the unit of work."""
        return self.seen(entity_from_document(self.entity_type, document, self.id_field))

    def entities(self, documents):
        return [self.entity(document) for document in documents]

    def get(self, entity_id):
        return self.entity(super().get(entity_id))

    def write(self, entity, events, new):
        document = self.to_document(entity)
        remember_write(entity, self.insert(document, events) if new else self.replace(document, events))
