"""Uploads (API.md ``POST /api/v1/ent/files``): the multipart schema, and the gateway's own checks.

The gateway refuses an empty, oversized or wrongly typed upload itself, before any RPC, with the
same codes and messages as employment-svc's domain (which checks again for every other caller).
The type is decided by the content's magic bytes, never by the name or the client's Content-Type.
"""
from flask_smorest.fields import Upload

from xjkit.uploads import MAX_FILE_BYTES, SIGNATURES, FileEmpty, check_image_bytes, check_upload_bytes

from gateway.schemas.base import COMMON_MESSAGES, DateTime, Int, RequestSchema, ResponseSchema, Str

def read_upload(storage, check=check_upload_bytes):
    """The upload's bytes, refused when empty, over 10 MiB or not PDF/JPEG/PNG by content."""
    data = storage.stream.read(MAX_FILE_BYTES + 1)  # one byte more tells "too large" without reading on
    if not data:
        raise FileEmpty()
    check(data)
    return data


def read_image_upload(storage):
    """A person's photo: as ``read_upload``, JPEG or PNG only."""
    return read_upload(storage, check_image_bytes)


class UploadField(Upload):
    default_error_messages = {**COMMON_MESSAGES, "invalid": "应为上传的文件"}


class FileUploadRequest(RequestSchema):
    file = UploadField(required=True, metadata={
        "description": "PDF、JPEG 或 PNG 文件（按文件内容判断类型，与文件名无关），不超过10MB"})


class ImageUploadRequest(RequestSchema):
    file = UploadField(required=True, metadata={
        "description": "JPEG 或 PNG 图片（按文件内容判断类型，与文件名无关），不超过10MB"})


class FileMeta(ResponseSchema):
    file_id = Str()
    sha256 = Str(metadata={"description": "文件内容的 SHA-256（十六进制）"})
    size = Int(metadata={"description": "字节数"})
    content_type = Str(metadata={"description": "按内容识别的类型：application/pdf、image/jpeg 或 image/png"})
    filename = Str(metadata={"description": "原文件名（已清理）"})
    created_at = DateTime()


BINARY = {"type": "string", "format": "binary"}
DOWNLOAD_RESPONSES = {
    200: {
        "description": "文件内容，始终以附件形式下载",
        "content": {content_type: {"schema": BINARY} for _, content_type in SIGNATURES},
        "headers": {
            "Content-Disposition": {"schema": {"type": "string"},
                                    "description": "attachment; filename*=UTF-8''<原文件名>（RFC 5987）"},
            "X-Content-Type-Options": {"schema": {"type": "string", "enum": ["nosniff"]}},
        },
    },
    404: {"description": "文件不存在或不属于当前企业"},
}
