"""Use cases of uploaded files: store one for an enterprise or a person, read it back, show its
metadata; a person reads the labour contract of their own offers.

A file belongs to the enterprise or person that uploaded it; to anyone else it does not exist
(404, the same answer as an unknown id), so ids cannot be probed.
"""
import datetime

from xjkit.ids import new_id
from xjkit.errors import ValidationFailed
from xjkit.validators import check_uscc

from employment.domain.errors import EmploymentNotFound
from employment.domain.files import (
    FileNotFound, StoredFile, check_person_upload, check_upload, is_file_id, sanitize_filename, sha256_hex,
)

MAX_PERSON_ID_CHARS = 64


def file_view(stored):
    return {
        "file_id": stored.file_id, "sha256": stored.sha256, "size": stored.size,
        "content_type": stored.content_type, "filename": stored.filename,
        "owner_uscc": stored.owner_uscc, "owner_person_id": stored.owner_person_id,
        "created_at": stored.created_at,
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
        file_id=new_id(), owner_uscc=owner, filename=sanitize_filename(filename, content_type),
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


MAX_CHECKED_FILE_IDS = 100


def owned_file_ids(files, owner_uscc, file_ids):
    """Those of ``file_ids`` that the enterprise uploaded (in order, once each), for reviews that
    check many attachments in one call; any other id is simply left out."""
    if not isinstance(file_ids, list) or len(file_ids) > MAX_CHECKED_FILE_IDS:
        raise ValidationFailed({"file_ids": [f"应为不超过{MAX_CHECKED_FILE_IDS}个文件编号的列表"]})
    owned = []
    for file_id in file_ids:
        if file_id in owned:
            continue
        try:
            _owned(files, owner_uscc, file_id)
        except FileNotFound:
            continue
        owned.append(file_id)
    return owned


def read_file(files, owner_uscc, file_id):
    """(metadata, bytes) of the enterprise's own file, the bytes verified against the checksum."""
    stored = _owned(files, owner_uscc, file_id)
    return file_view(stored), files.read(stored)


# --- a person's uploads (photos of their certificates) -------------------------------------------

def _check_person(person_id):
    if not isinstance(person_id, str) or not person_id or len(person_id) > MAX_PERSON_ID_CHARS:
        # the gateway passes the token's subject; another service could pass anything
        raise ValidationFailed({"owner_person_id": ["人员编号无效"]})
    return person_id


def store_person_file(files, clock, person_id, filename, data):
    """Check (JPEG or PNG only) and store a person's photo; returns its metadata."""
    owner = _check_person(person_id)
    content_type = check_person_upload(data)
    data = bytes(data)
    stored = StoredFile(
        file_id=new_id(), owner_uscc=None, owner_person_id=owner,
        filename=sanitize_filename(filename, content_type), content_type=content_type, size=len(data),
        sha256=sha256_hex(data), created_at=clock.now(),
    )
    files.add(stored, data)
    return file_view(stored)


def _owned_by_person(files, person_id, file_id):
    stored = files.get(file_id) if is_file_id(file_id) else None
    if stored is None or not isinstance(person_id, str) or not stored.owned_by_person(person_id):
        raise FileNotFound()
    return stored


def person_file_meta(files, person_id, file_id):
    """The metadata of the person's own upload; FileNotFound otherwise (cert-svc checks a title
    certificate's file_id with it)."""
    return file_view(_owned_by_person(files, person_id, file_id))


def read_person_file(files, person_id, file_id):
    """(metadata, bytes) of the person's own upload."""
    stored = _owned_by_person(files, person_id, file_id)
    return file_view(stored), files.read(stored)


def read_contract_for_person(uow, files, person_id, employment_id):
    """(metadata, bytes) of the labour contract of one of the person's own offers or employments:
    the person reads what they are asked to sign. Another person's employment is 404."""
    with uow:
        employment = uow.employments.get(employment_id) if isinstance(employment_id, str) else None
    if employment is None or employment.person_id != person_id:
        raise EmploymentNotFound()
    stored = files.get(employment.contract_file_id) if is_file_id(employment.contract_file_id) else None
    if stored is None or not stored.owned_by(employment.enterprise_uscc):
        raise FileNotFound()
    return file_view(stored), files.read(stored)


ABANDONED_UPLOAD_AGE = datetime.timedelta(days=1)


def sweep_abandoned_uploads(files, wall, age=ABANDONED_UPLOAD_AGE):
    """Bytes of uploads that never got their metadata (a crash part-way) and are older than
    ``age`` (wall clock: housekeeping) are removed; returns the file ids cleaned."""
    return files.remove_abandoned_chunks(wall.now() - age)
