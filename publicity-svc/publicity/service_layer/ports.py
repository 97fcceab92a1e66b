"""What the publicity use cases need; adapters implement these, unit tests fake them."""
from abc import ABC, abstractmethod


class Listing(ABC):
    """The public read model: one document per enterprise, a feed sequence, printed booklets."""

    @abstractmethod
    def get(self, uscc):
        """The enterprise document (a dict with ``_id`` = USCC and ``version``), or None."""

    @abstractmethod
    def put(self, document):
        """Insert (version 0) or replace with a version check; ConcurrencyConflict when it changed."""

    @abstractmethod
    def append_feed(self, uscc, version, at):
        """Append a feed entry {seq: position, uscc, version, at} and return its position: one more
        than the last, taken atomically with the entry, so the feed has no gaps and an entry never
        becomes visible after a later one. ``version`` is what the document is about to become;
        ``at`` a wall-clock timestamp (seconds)."""

    @abstractmethod
    def feed_entries(self, after, limit):
        """Feed entries with position > after, in order."""

    @abstractmethod
    def get_many(self, usccs):
        """{uscc: document} of those that exist."""

    @abstractmethod
    def search(self, query, page, per_page):
        """(documents, total) matching a ``domain.listing.ListingQuery``, ordered by name, then USCC."""

    @abstractmethod
    def visible_but_expired(self, today_iso, limit):
        """Documents still marked visible whose every registration ended before today."""

    @abstractmethod
    def record_booklet(self, booklet_no, uscc, enterprise_type):
        """Remember a booklet number the enterprise's registration carried."""

    @abstractmethod
    def booklet(self, booklet_no):
        """{uscc, enterprise_type} of a booklet number ever seen, or None."""

    @abstractmethod
    def clear(self):
        """Forget everything (before a rebuild)."""
