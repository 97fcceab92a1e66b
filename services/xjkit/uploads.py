"""What an upload may be (API.md ``POST /ent/files``): PDF, JPEG or PNG by content, at most
10 MiB, not empty. The gateway refuses bad uploads before any RPC and employment-svc checks again
for every other caller; both use these rules, codes and messages.

The type is decided by the content's magic bytes only: a client's file name and Content-Type are
whatever the client says, and an .exe renamed to .pdf must not pass.
"""
from xjkit.errors import DomainError, ValidationFailed

MAX_FILE_BYTES = 10 * 1024 * 1024  # 10 MiB

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# (leading bytes, content type); checked at offset 0 only
SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

TOO_LARGE_TEXT = "文件大小不能超过10MB"


class FileEmpty(ValidationFailed, code="FILE_EMPTY", message="上传的文件为空",
                field_errors={"file": ["文件内容为空，请重新选择文件"]}): ...


class FileTooLarge(DomainError, code="FILE_TOO_LARGE", status=413, message=TOO_LARGE_TEXT,
                   field_errors={"file": [TOO_LARGE_TEXT]}):
    """Also the body of werkzeug's 413 when a request exceeds MAX_CONTENT_LENGTH (gateway/errors.py)."""


class FileTypeUnsupported(DomainError, code="FILE_TYPE_UNSUPPORTED", status=415, message="仅支持PDF、JPEG或PNG格式的文件",
                          field_errors={"file": ["文件内容不是PDF、JPEG或PNG格式"]}): ...


class ImageTypeUnsupported(FileTypeUnsupported, message="仅支持JPEG或PNG格式的图片",
                           field_errors={"file": ["文件内容不是JPEG或PNG格式的图片"]}):
    """A person's upload (a photo of a certificate) must be an image: PDF is for enterprises."""


IMAGE_TYPES = (JPEG, PNG)


def sniff_content_type(data):
    """The content type named by the leading bytes, or None."""
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def check_upload_bytes(data):
    """The content type of acceptable bytes; refuses empty, over 10 MiB, or another type."""
    if len(data) == 0:
        raise FileEmpty()
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge()
    content_type = sniff_content_type(data)
    if content_type is None:
        raise FileTypeUnsupported()
    return content_type


def check_image_bytes(data):
    """The content type of an acceptable photo (persons' uploads): as ``check_upload_bytes``,
    and JPEG or PNG only."""
    if len(data) == 0:
        raise FileEmpty()
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge()
    content_type = sniff_content_type(data)
    if content_type not in IMAGE_TYPES:
        raise ImageTypeUnsupported()
    return content_type
