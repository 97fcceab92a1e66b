"""The in-memory repository every service's unit-test fakes build on.

It keeps what the store guarantees: a version check on every replace (``ConcurrencyConflict``),
unique keys (``DuplicateKey``), and copies in and out, so a use case that forgets to commit or
changes a loaded aggregate without a write is caught. Only unit tests of domain and service-layer
code use it (framework-free, like them).
"""
import copy

from xjkit.errors import ConcurrencyConflict, DuplicateKey
from xjkit.unit_of_work import AggregateRepository


def _copy(entity):
    copied = copy.deepcopy(entity)
    copied.__dict__.pop("_recorded_events", None)  # the store keeps state, never pending events
    return copied


class InMemoryRepository(AggregateRepository):
    """Subclasses set ``id_field`` and may list ``unique_keys``: (index name, key function) pairs,
    a key function returning None where the store's sparse index would hold nothing."""

    id_field = None
    unique_keys = ()

    def __init__(self, items=None, events=None):
        self.items = {} if items is None else items  # id -> stored copy
        self.events = [] if events is None else events  # every event written, in order
        self.writes = 0
        # called once, just before the next write: lets a test play a concurrent writer
        self.before_next_write = None

    # reads: copies, seen by the unit of work -------------------------------------------------

    def loaded(self, stored):
        return self.seen(_copy(stored)) if stored is not None else None

    def loaded_all(self, stored):
        return [self.loaded(item) for item in stored]

    def get(self, entity_id):
        return self.loaded(self.items.get(entity_id))

    def stored(self):
        """Copies of everything stored (for assertions; not seen by the unit of work)."""
        return [_copy(item) for item in self.items.values()]

    def sharing_storage(self):
        """Another repository over the same stored items (for a second unit of work: a concurrent
        use case in a test)."""
        return type(self)(items=self.items, events=self.events)

    # the one write -----------------------------------------------------------------------------

    def write(self, entity, events, new):
        hook, self.before_next_write = self.before_next_write, None
        if hook:
            hook(self)
        entity_id = getattr(entity, self.id_field)
        existing = self.items.get(entity_id)
        if new and existing is not None:
            raise DuplicateKey("_id_")
        if not new and (existing is None or existing.version != entity.version):
            raise ConcurrencyConflict()
        for index, key_of in self.unique_keys:
            key = key_of(entity)
            if key is not None and any(key_of(other) == key for other_id, other in self.items.items()
                                       if other_id != entity_id):
                raise DuplicateKey(index)
        entity.version = 1 if new else entity.version + 1
        self.items[entity_id] = _copy(entity)
        self.events.extend(events)
        self.writes += 1

    def put(self, entity, events=()):
        """Store as another writer would, outside any unit of work (test setup, concurrent writers)."""
        existing = self.items.get(getattr(entity, self.id_field))
        entity.version = existing.version + 1 if existing else max(entity.version, 1)
        self.items[getattr(entity, self.id_field)] = _copy(entity)
        self.events.extend(list(events) + entity.take_events())
