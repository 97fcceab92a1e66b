"""Mini-program: the person's certificates; register a title (补登记) or correct a revoked one (变更)."""
from flask import g
from flask.views import MethodView

from gateway.auth import PERSON
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.idempotency import idempotency_of
from gateway.schemas.certificates import CertificateSchema, PersonCertificateList, TitleRequest, title_fields

blp = Blueprint("mp-certificates", __name__, signed_in=PERSON, url_prefix="/api/v1/mp", description="小程序：我的证书与职称登记")


@blp.route("/certificates")
class MyCertificates(MethodView):
    @blp.response(200, PersonCertificateList)
    def get(self):
        """我的各类证书"""
        return clients().cert.list_for_person(person_id=g.subject)


@blp.route("/certificates/titles")
class Titles(MethodView):
    @blp.arguments(TitleRequest)
    @blp.response(201, CertificateSchema)
    def post(self, body):
        """补登记职称证书：提交后由当前在职单位确认。支持 Idempotency-Key。"""
        fields = title_fields(body)
        return clients().cert.register_title(person_id=g.subject, fields=fields,
                                             **idempotency_of(fields))


@blp.route("/certificates/titles/<string:certificate_id>")
class TitleDetail(MethodView):
    @blp.arguments(TitleRequest)
    @blp.response(200, CertificateSchema)
    def put(self, body, certificate_id):
        """变更被单位撤销的职称证书，重新等待单位确认（已确认的不能变更）"""
        fields = title_fields(body)
        return clients().cert.reregister_title(person_id=g.subject, certificate_id=certificate_id,
                                               fields=fields, **idempotency_of(fields))
