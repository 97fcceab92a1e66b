"""Enterprise portal: uploads of labour contracts and other attachments, downloaded only by their owner."""
import base64
import re
from urllib.parse import quote

from flask import Response, g, request
from flask.views import MethodView
from marshmallow import RAISE

from xjkit.errors import ValidationFailed

from gateway.auth import ENTERPRISE
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.bodies import UPLOAD_BODY_LIMIT, body_limit
from gateway.idempotency import idempotency_of
from gateway.schemas.files import DOWNLOAD_RESPONSES, FileMeta, FileUploadRequest, read_upload

blp = Blueprint("ent-files", __name__, signed_in=ENTERPRISE, url_prefix="/api/v1/ent", description="企业端：附件上传与下载（劳动合同等）")


def content_disposition(filename):
    """``attachment`` with an ASCII fallback first and the real name as RFC 5987 ``filename*``
    (RFC 6266 appendix D: old clients read ``filename``, the rest prefer ``filename*``)."""
    stem, dot, extension = filename.rpartition(".")
    fallback_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem if dot else filename).strip("._")
    if not re.search(r"[A-Za-z0-9]", fallback_stem):
        fallback_stem = "file"
    fallback = fallback_stem + (("." + re.sub(r"[^A-Za-z0-9]", "", extension)) if dot else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@blp.route("/files")
@body_limit(UPLOAD_BODY_LIMIT)
class Files(MethodView):
    @blp.arguments(FileUploadRequest, location="files", unknown=RAISE)  # webargs would EXCLUDE unknown files
    @blp.response(201, FileMeta)
    @blp.alt_response(413, description="文件超过10MB（FILE_TOO_LARGE）")
    @blp.alt_response(415, description="文件内容不是PDF、JPEG或PNG（FILE_TYPE_UNSUPPORTED）")
    def post(self, form):
        """上传附件（劳动合同等）：PDF、JPEG 或 PNG（按内容判断），不超过10MB"""
        if request.form:  # API.md: unknown fields are refused, text parts of a multipart body too
            raise ValidationFailed({name: ["不允许提交此字段"] for name in request.form})
        upload = form["file"]
        data = read_upload(upload)  # refused here, before any RPC, when empty, too large or of another type
        data_b64 = base64.b64encode(data).decode("ascii")
        return clients().employment.store_file(owner_uscc=g.subject, filename=upload.filename or "",
                                               data_b64=data_b64,
                                               **idempotency_of({"filename": upload.filename, "data": data_b64}))


@blp.route("/files/<string:file_id>")
class FileDownload(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    def get(self, file_id):
        """下载本企业上传的附件（始终作为附件下载，不在浏览器内打开）"""
        return download_response(clients().employment.read_file(owner_uscc=g.subject, file_id=file_id))


def download_response(answer):
    """A stored file ({"meta", "data_b64"} from employment-svc) as an attachment download."""
    meta = answer["meta"]
    response = Response(base64.b64decode(answer["data_b64"], validate=True), status=200,
                        mimetype=meta["content_type"])
    response.headers["Content-Disposition"] = content_disposition(meta["filename"])
    # never rendered by the browser: no sniffing into HTML, no scripts even if opened directly
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
