"""Enterprise portal: personnel certificates (人员证书) — sync registered ones, enter the other
kinds, list them, and confirm or revoke the titles staff register."""
from flask import g
from flask.views import MethodView

from xjkit.errors import NotFound

from gateway.auth import ENTERPRISE
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.idempotency import idempotency_of
from gateway.resources.ent_files import download_response
from gateway.schemas.files import DOWNLOAD_RESPONSES
from gateway.schemas.certificates import (
    CertificateListQuery, CertificatePage, CertificateSchema, EntryRequest, SyncResult, entry_fields,
)

class CertificatePhotoMissing(NotFound, code="FILE_NOT_FOUND", message="该证书没有上传照片"): ...


blp = Blueprint("ent-certificates", __name__, signed_in=ENTERPRISE, url_prefix="/api/v1/ent", description="企业端：人员证书")


@blp.route("/certificates/sync")
class SyncRegistered(MethodView):
    @blp.response(200, SyncResult)
    def post(self):
        """从全国建筑市场监管公共服务平台同步在职人员的注册证书，返回新增、更新、未同步及原因。支持 Idempotency-Key。"""
        return clients().cert.sync_registered(enterprise_uscc=g.subject, **idempotency_of({}))


@blp.route("/certificates")
class Certificates(MethodView):
    @blp.arguments(CertificateListQuery, location="query")
    @blp.response(200, CertificatePage)
    def get(self, query):
        """本企业人员的证书，可按类别和人员筛选"""
        return clients().cert.list_certificates(enterprise_uscc=g.subject, kind=query.get("kind"),
                                                person_id=query.get("person_id"), page=query["page"],
                                                per_page=query["per_page"])

    @blp.arguments(EntryRequest)
    @blp.response(201, CertificateSchema)
    def post(self, body):
        """录入在职人员的技术工人、特种作业、岗位/现场管理人员或安管人员（A/B/C）证书。支持 Idempotency-Key。"""
        entry = {"person_id": body["person_id"], "kind": body["kind"], "fields": entry_fields(body)}
        return clients().cert.add_certificate(enterprise_uscc=g.subject, **entry,
                                              **idempotency_of(entry))


@blp.route("/certificates/<string:certificate_id>/file")
class CertificatePhoto(MethodView):
    @blp.doc(responses={**DOWNLOAD_RESPONSES, 404: {"description": "证书不存在、不属于本企业或没有照片"}})
    def get(self, certificate_id):
        """下载本单位人员登记职称证书时上传的证书照片（确认前核对）"""
        certificate = clients().cert.get_certificate(enterprise_uscc=g.subject,
                                                     certificate_id=certificate_id)
        if not certificate.get("file_id"):
            raise CertificatePhotoMissing()
        return download_response(clients().employment.read_person_file(
            person_id=certificate["person_id"],
            file_id=certificate["file_id"]))


@blp.route("/certificates/<string:certificate_id>/confirm")
class ConfirmTitle(MethodView):
    @blp.response(200, CertificateSchema)
    def post(self, certificate_id):
        """确认本单位人员登记的职称证书（待单位确认 → 已确认）"""
        return clients().cert.confirm_title(enterprise_uscc=g.subject, certificate_id=certificate_id,
                                            enterprise_name=g.claims.get("name") or g.subject, **idempotency_of({}))


@blp.route("/certificates/<string:certificate_id>/revoke")
class RevokeTitle(MethodView):
    @blp.response(200, CertificateSchema)
    def post(self, certificate_id):
        """撤销职称证书（已报送的须先撤销报送）；本人更正后重新待确认"""
        return clients().cert.revoke_title(enterprise_uscc=g.subject, certificate_id=certificate_id,
                                           enterprise_name=g.claims.get("name") or g.subject, **idempotency_of({}))
