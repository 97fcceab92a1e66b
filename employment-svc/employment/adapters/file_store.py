"""Uploaded files in MongoDB: the bytes in ``file_chunks`` (255 KiB each), the metadata in ``files``.

Only whole-document inserts (the vetted subset). The metadata is inserted last, already in its
final state: a crash part-way leaves chunks that no metadata points to, and a file without
metadata does not exist for readers. Reading puts the chunks back in order and checks their
count, size and sha256, so a damaged or incomplete store is never served as the upload.
"""
import datetime
import logging

from pymongo.errors import DuplicateKeyError

from xjkit import ids
from xjkit.mongo.repository import IndexSpec, VersionedRepository
from xjkit.mongo.subset import vet_filter

from employment.domain.files import COMPLETE, FileCorrupted, StoredFile, is_file_id
from employment.service_layer.file_ports import FileRepository
from employment.service_layer.ports import ContractFiles

log = logging.getLogger(__name__)


def wall_now():
    """When a chunk was written: housekeeping (the sweep of abandoned uploads), so the wall clock."""
    return datetime.datetime.now(datetime.timezone.utc)

CHUNK_BYTES = 255 * 1024  # as GridFS: well under the 16 MiB document limit, few round trips
FILES = "files"
CHUNKS = "file_chunks"

FILE_INDEXES = (IndexSpec(keys=(("owner_uscc", 1), ("created_at", -1))),)
CHUNK_INDEXES = (IndexSpec(keys=(("file_id", 1), ("n", 1)), unique=True), IndexSpec(keys=(("created_at", 1),)))
SWEEP_BATCH = 500


def chunk_id(file_id, n):
    return f"{file_id}:{n:05d}"


def chunk_count(size, chunk_bytes=CHUNK_BYTES):
    return -(-size // chunk_bytes)


def prepare_files(database):
    """Create the indexes of both collections (idempotent; the Store calls it at start)."""
    MongoFileRepository(database).ensure_indexes()


class MongoFileRepository(VersionedRepository, FileRepository):
    collection_name = FILES
    indexes = FILE_INDEXES

    def __init__(self, database, chunk_bytes=CHUNK_BYTES):
        super().__init__(database)
        self.chunks = database[CHUNKS]
        self.chunk_bytes = chunk_bytes

    def ensure_indexes(self):
        super().ensure_indexes()
        for spec in CHUNK_INDEXES:
            spec.create_on(self.chunks)

    def add(self, stored_file, data):
        count = chunk_count(len(data), self.chunk_bytes)
        replay = ids.replaying()  # a keyed upload run again after a crash: same file id, same bytes
        if replay and self.get(stored_file.file_id) is not None:
            return  # the first run stored it completely
        try:
            for n in range(count):
                piece = data[n * self.chunk_bytes:(n + 1) * self.chunk_bytes]
                try:
                    self.chunks.insert_one({"_id": chunk_id(stored_file.file_id, n), "file_id": stored_file.file_id,
                                            "n": n, "data": piece, "created_at": wall_now()})
                except DuplicateKeyError:
                    if not replay:
                        raise
            # last, and complete from the start: this insert is what makes the file exist
            self.insert(self._document(stored_file, count))
        except Exception:
            self._discard_chunks(stored_file.file_id)
            raise

    def remove_abandoned_chunks(self, written_before, batch=SWEEP_BATCH):
        """Remove the chunks written before ``written_before`` (wall clock) whose file has no
        metadata: what an upload that crashed part-way left. Returns the file ids cleaned."""
        cleaned = []
        old = self.chunks.find(vet_filter({"created_at": {"$lt": written_before}})).limit(batch)
        for file_id in dict.fromkeys(chunk["file_id"] for chunk in old):
            if self.collection.find_one({"_id": file_id}) is None:
                self.chunks.delete_many(vet_filter({"file_id": file_id}))
                cleaned.append(file_id)
        return cleaned

    def _discard_chunks(self, file_id):
        try:
            self.chunks.delete_many(vet_filter({"file_id": file_id}))
        except Exception as error:  # unreachable chunks stay invisible; a sweep may remove them
            log.warning("could not remove the chunks of failed upload %s: %s", file_id, type(error).__name__)

    def _document(self, stored_file, count):
        return {
            "_id": stored_file.file_id, "owner_uscc": stored_file.owner_uscc, "filename": stored_file.filename,
            "content_type": stored_file.content_type, "size": stored_file.size, "sha256": stored_file.sha256,
            "created_at": stored_file.created_at, "state": COMPLETE, "owner_person_id": stored_file.owner_person_id,
            "chunk_bytes": self.chunk_bytes, "chunks": count,
        }

    def get(self, file_id):
        if not is_file_id(file_id):
            return None
        document = self.find_one({"_id": file_id, "state": COMPLETE})
        if document is None:
            return None
        return StoredFile(
            file_id=document["_id"], owner_uscc=document["owner_uscc"], filename=document["filename"],
            content_type=document["content_type"], size=document["size"], sha256=document["sha256"],
            created_at=document["created_at"], state=document["state"],
            owner_person_id=document.get("owner_person_id"),
        )

    def read(self, stored_file):
        document = self.find_one({"_id": stored_file.file_id, "state": COMPLETE})
        if document is None:
            raise FileCorrupted()
        expected = document["chunks"]
        pieces = list(self.chunks.find(vet_filter({"file_id": stored_file.file_id})).sort("n", 1))
        numbers = [piece["n"] for piece in pieces]
        if numbers != list(range(expected)):
            log.error("file %s: chunks %s stored, %d expected", stored_file.file_id, numbers[:50], expected)
            raise FileCorrupted()
        data = b"".join(bytes(piece["data"]) for piece in pieces)
        try:
            return stored_file.verify(data)
        except FileCorrupted:
            log.error("file %s: size or sha256 differ from the upload's", stored_file.file_id)
            raise


class StoredContractFiles(ContractFiles):
    """Labour contracts are uploads kept by this service (POST /ent/files)."""

    def __init__(self, database):
        self.files = MongoFileRepository(database)

    def owned_by(self, uscc, file_id):
        # malformed ids never reach the store (another service might pass a dict as a query)
        stored = self.files.get(file_id) if is_file_id(file_id) else None
        return stored is not None and isinstance(uscc, str) and stored.owned_by(uscc.upper())
