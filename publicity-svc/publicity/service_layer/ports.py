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
    def next_seq(self):
        """The next feed sequence number (grows by one, never reused)."""

    @abstractmethod
    def search(self, query, page, per_page):
        """(documents, total) matching a vetted filter, ordered by name."""

    @abstractmethod
    def changed_since(self, seq, settled_before, limit):
        """Documents with ``feed_seq`` > seq, written before ``settled_before``, by feed_seq."""

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
