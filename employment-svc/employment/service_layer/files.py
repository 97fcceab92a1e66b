"""Use cases of uploaded files: store one for an enterprise, read it back, show its metadata.

A file belongs to the enterprise that uploaded it; to anyone else it does not exist (404, the
same answer as an unknown id), so ids cannot be probed.
"""
import uuid

from xjkit.errors import ValidationFailed
from xjkit.validators import check_uscc

from employment.domain.files import FileNotFound, StoredFile, check_upload, is_file_id, sanitize_filename, sha256_hex


def file_view(stored):
    return {
        "file_id": stored.file_id, "sha256": stored.sha256, "size": stored.size,
        "content_type": stored.content_type, "filename": stored.filename,
        "owner_uscc": stored.owner_uscc, "created_at": stored.created_at,
    }


def _check_owner(owner_uscc):
    problem = check_uscc(owner_uscc)
    if problem:  # the gateway passes the token's USCC; another service could pass anything
        raise ValidationFailed({"owner_uscc": [problem]})
    return owner_uscc.upper()


def store_file(files, wall, owner_uscc, filename, data):
    """Check and store an upload; returns its metadata. ``created_at`` is wall time (retention)."""
    owner = _check_owner(owner_uscc)
    content_type = check_upload(data)
    data = bytes(data)
    stored = StoredFile(
        file_id=uuid.uuid4().hex, owner_uscc=owner, filename=sanitize_filename(filename, content_type),
        content_type=content_type, size=len(data), sha256=sha256_hex(data), created_at=wall.now(),
    )
    files.add(stored, data)
    return file_view(stored)


def _owned(files, owner_uscc, file_id):
    # malformed ids never reach the store (another service might pass a dict as a query)
    stored = files.get(file_id) if is_file_id(file_id) else None
    if stored is None or not isinstance(owner_uscc, str) or not stored.owned_by(owner_uscc.upper()):
        raise FileNotFound()
    return stored


def file_meta(files, owner_uscc, file_id):
    """The metadata of the enterprise's own file; FileNotFound otherwise (other services use this
    to check that a contract_file_id belongs to the enterprise)."""
    return file_view(_owned(files, owner_uscc, file_id))


def read_file(files, owner_uscc, file_id):
    """(metadata, bytes) of the enterprise's own file, the bytes verified against the checksum."""
    stored = _owned(files, owner_uscc, file_id)
    return file_view(stored), files.read(stored)
