"""The file RPCs of employment-svc, as a mixin of ``EmploymentService`` (which provides ``store``).

Bytes cross RPC as base64 text: nameko's JSON serializer cannot carry bytes.
"""
import base64
import binascii

from xjkit.nameko.rpc import rpc

from employment.adapters.file_store import MongoFileRepository
from employment.adapters.repositories import MongoEmploymentsUnitOfWork
from employment.domain.files import MAX_FILE_BYTES, FileDataInvalid, FileTooLarge
from employment.service_layer import files as file_cases

# base64 of MAX_FILE_BYTES; anything longer decodes to more than the limit
MAX_B64_CHARS = 4 * -(-MAX_FILE_BYTES // 3)


def decode_b64(text):
    """Canonical base64 (standard alphabet, padded) to bytes; anything else is FileDataInvalid."""
    if not isinstance(text, str):
        raise FileDataInvalid()
    if len(text) > MAX_B64_CHARS:
        raise FileTooLarge()  # refused before decoding: no need to hold a second copy
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise FileDataInvalid() from None
    # validate=True still accepts non-zero padding bits ("QR==" for "QQ=="): compare the canonical form
    if base64.b64encode(data).decode("ascii") != text:
        raise FileDataInvalid()
    return data


def encode_b64(data):
    return base64.b64encode(data).decode("ascii")


def file_answer(found):
    """A use case's (metadata, bytes) as the RPC answer {"meta", "data_b64"}."""
    meta, data = found
    return {"meta": meta, "data_b64": encode_b64(data)}


class FileRpcMixin:
    """``store_file`` / ``read_file``: an enterprise's uploads (PDF, JPEG, PNG ≤ 10 MiB);
    ``store_person_file`` / ``read_person_file`` / ``person_file_meta``: a person's photos (JPEG, PNG);
    ``read_contract_for_person``: the labour contract of the person's own offer.
    The service provides ``store`` and ``wall`` (an upload's time is housekeeping, not a business date)."""

    def _file_store(self):
        return MongoFileRepository(self.store.db)

    def _store_upload(self, key, store, owner, filename, data_b64, idempotency_key, request_fingerprint):
        """``store`` (a use case) keeps the decoded bytes once per Idempotency-Key."""
        data = decode_b64(data_b64)
        return self.store.run_once(key, idempotency_key, request_fingerprint,
                                   lambda: store(self._file_store(), self.wall, owner, filename, data))

    @rpc
    def store_file(self, owner_uscc, filename, data_b64, idempotency_key=None, request_fingerprint=None):
        """→ {file_id, sha256, size, content_type, filename, owner_uscc, created_at}; a retry with the
        same Idempotency-Key returns the first file instead of storing a second one."""
        return self._store_upload(f"{owner_uscc}:store_file", file_cases.store_file, owner_uscc, filename,
                                  data_b64, idempotency_key, request_fingerprint)

    @rpc
    def read_file(self, owner_uscc, file_id):
        """→ {"meta": {...}, "data_b64": "..."}; FILE_NOT_FOUND unless the enterprise owns it."""
        return file_answer(file_cases.read_file(self._file_store(), owner_uscc, file_id))

    @rpc
    def store_person_file(self, person_id, filename, data_b64, idempotency_key=None, request_fingerprint=None):
        """A person's photo (JPEG or PNG ≤ 10 MiB) → its metadata; Idempotency-Key as ``store_file``."""
        return self._store_upload(f"person:{person_id}:store_file", file_cases.store_person_file, person_id,
                                  filename, data_b64, idempotency_key, request_fingerprint)

    @rpc
    def read_person_file(self, person_id, file_id):
        """→ {"meta", "data_b64"}; FILE_NOT_FOUND unless the person uploaded it."""
        return file_answer(file_cases.read_person_file(self._file_store(), person_id, file_id))

    @rpc
    def person_file_meta(self, person_id, file_id):
        """The metadata of the person's own upload; FILE_NOT_FOUND otherwise."""
        return file_cases.person_file_meta(self._file_store(), person_id, file_id)

    @rpc
    def read_contract_for_person(self, person_id, employment_id):
        """→ {"meta", "data_b64"}: the labour contract of the person's own offer or employment."""
        return file_answer(file_cases.read_contract_for_person(
            MongoEmploymentsUnitOfWork(self.store.db), self._file_store(), person_id, employment_id))
