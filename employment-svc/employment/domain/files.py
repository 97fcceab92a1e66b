"""Uploaded files (labour contracts and other attachments): what is accepted, how it is named.

The type is decided by the content's magic bytes only: a client's file name and Content-Type
are whatever the client says, and an .exe renamed to .pdf must not pass.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from xjkit.errors import DomainError, NotFound, ValidationFailed
from xjkit.uploads import (  # noqa: F401  (re-exported: the service's callers name them from here)
    IMAGE_TYPES, JPEG, MAX_FILE_BYTES, PDF, PNG, FileEmpty, FileTooLarge, FileTypeUnsupported, ImageTypeUnsupported,
    check_image_bytes, check_upload_bytes, sniff_content_type,
)

MAX_FILENAME_CHARS = 120
DEFAULT_STEM = "附件"
COMPLETE = "complete"  # a string state: nx-27017 would store a $set boolean as 0/1

EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}

FILE_ID_PATTERN = re.compile(r"[0-9a-f]{32}")


class FileDataInvalid(ValidationFailed, code="FILE_DATA_INVALID", message="文件数据无效",
                      field_errors={"file": ["文件数据编码无效，请重新上传"]}):
    """The bytes did not arrive intact (for example invalid base64 over RPC)."""


class FileNotFound(NotFound, code="FILE_NOT_FOUND", message="文件不存在"):
    """Unknown, incomplete, or another enterprise's: indistinguishable on purpose (API.md 404)."""


class FileCorrupted(DomainError, code="FILE_CORRUPTED", status=500, message="文件校验失败，请重新上传"):
    """What the store gave back is not what was uploaded (size or sha256 differ, chunks missing)."""


def check_upload(data):
    """The content type of an acceptable upload; refuses empty, over 10 MiB, or another type."""
    if not isinstance(data, (bytes, bytearray)):
        raise FileDataInvalid()
    return check_upload_bytes(data)


def check_person_upload(data):
    """A person uploads photos only (a title certificate's picture): JPEG or PNG, same limits."""
    if not isinstance(data, (bytes, bytearray)):
        raise FileDataInvalid()
    return check_image_bytes(data)


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*]')


def _drop_invisible(text):
    # Cc controls, Cf format characters (bidi overrides such as U+202E disguise "fdp.exe"),
    # line/paragraph separators and unassigned/private code points
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def sanitize_filename(name, content_type):
    """A name safe to offer in Content-Disposition and to save on any OS, ending in an extension
    that matches the sniffed content type (the client's extension is kept only when it matches)."""
    text = name if isinstance(name, str) else ""
    text = unicodedata.normalize("NFC", text[:1000])
    text = re.split(r"[\\/]", text)[-1]  # browsers may send a full path (C:\fakepath\...)
    text = re.sub(r"\s+", " ", text)  # before dropping controls: a tab or line break separates words
    text = _drop_invisible(text)
    text = _UNSAFE_CHARS.sub("_", text).strip().rstrip(" .")
    extensions = EXTENSIONS[content_type]
    lowered = text.lower()
    extension = next((ext for ext in extensions if lowered.endswith(ext)), None)
    if extension:
        stem, extension = text[: -len(extension)], text[-len(extension):].lower()
    else:
        stem, extension = text, extensions[0]
    stem = stem.strip(" .")
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    stem = stem[: MAX_FILENAME_CHARS - len(extension)].rstrip(" .") or DEFAULT_STEM
    return stem + extension


@dataclass
class StoredFile:
    """The metadata of a stored file; the bytes live apart, in chunks. Its owner is an enterprise
    (``owner_uscc``) or a person (``owner_person_id``), never both."""

    file_id: str
    owner_uscc: str | None
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    state: str = COMPLETE
    owner_person_id: str | None = None

    def verify(self, data):
        """Refuse bytes that are not exactly what was uploaded."""
        if len(data) != self.size or sha256_hex(data) != self.sha256:
            raise FileCorrupted()
        return data

    def owned_by(self, uscc):
        return self.owner_uscc is not None and self.owner_uscc == uscc

    def owned_by_person(self, person_id):
        return self.owner_person_id is not None and self.owner_person_id == person_id


def is_file_id(value):
    return isinstance(value, str) and FILE_ID_PATTERN.fullmatch(value) is not None
