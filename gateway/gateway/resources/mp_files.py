"""Mini-program: a person's uploads (the photo of a title certificate), read back only by that person."""
import base64

from flask import g, request
from flask.views import MethodView
from marshmallow import RAISE

from xjkit.errors import ValidationFailed

from gateway.auth import PERSON
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.bodies import UPLOAD_BODY_LIMIT, body_limit
from gateway.idempotency import idempotency_of
from gateway.resources.ent_files import download_response
from gateway.schemas.files import DOWNLOAD_RESPONSES, FileMeta, ImageUploadRequest, read_image_upload

blp = Blueprint("mp-files", __name__, signed_in=PERSON, url_prefix="/api/v1/mp", description="小程序：证书照片上传与查看")


@blp.route("/files")
@body_limit(UPLOAD_BODY_LIMIT)
class Files(MethodView):
    @blp.arguments(ImageUploadRequest, location="files", unknown=RAISE)
    @blp.response(201, FileMeta)
    @blp.alt_response(413, description="图片超过10MB（FILE_TOO_LARGE）")
    @blp.alt_response(415, description="文件内容不是JPEG或PNG图片（FILE_TYPE_UNSUPPORTED）")
    def post(self, form):
        """上传证书照片（wx.uploadFile，字段名 file）：JPEG 或 PNG（按内容判断），不超过10MB"""
        if request.form:  # unknown fields are refused, text parts of a multipart body too
            raise ValidationFailed({name: ["不允许提交此字段"] for name in request.form})
        upload = form["file"]
        data = read_image_upload(upload)  # refused before any RPC when empty, too large or not an image
        data_b64 = base64.b64encode(data).decode("ascii")
        return clients().employment.store_person_file(person_id=g.subject,
                                                      filename=upload.filename or "", data_b64=data_b64,
                                                      **idempotency_of({"filename": upload.filename, "data": data_b64}))


@blp.route("/files/<string:file_id>")
class FileDownload(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    def get(self, file_id):
        """下载本人上传的证书照片"""
        return download_response(clients().employment.read_person_file(person_id=g.subject,
                                                                       file_id=file_id))
