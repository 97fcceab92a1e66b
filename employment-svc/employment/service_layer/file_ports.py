"""What the file use cases need from storage; the Mongo adapter implements it, unit tests fake it."""
from abc import ABC, abstractmethod


class FileRepository(ABC):
    @abstractmethod
    def add(self, stored_file, data):
        """Store the bytes, then the StoredFile: until ``add`` returns, the file does not exist
        (a crash part-way leaves nothing that ``get`` can see)."""

    @abstractmethod
    def get(self, file_id):
        """The complete StoredFile, or None (unknown ids, whatever their type, are None)."""

    @abstractmethod
    def read(self, stored_file):
        """The file's bytes, checked against its size and sha256; raises FileCorrupted otherwise."""

    def remove_abandoned_chunks(self, written_before):
        """Remove bytes written before ``written_before`` (wall clock) that no file's metadata
        points to (an upload that crashed part-way); returns the file ids cleaned."""
        raise NotImplementedError
