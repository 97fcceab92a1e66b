"""Enterprise portal: filings (进疆信息报送) — submit a business, read the cases, the registrations,
the national platform's qualifications, and download the booklet (进疆报送册)."""
import base64

from flask import Response, g
from flask.views import MethodView

from xjkit.errors import RegistrationNotFound

from gateway.auth import ENTERPRISE
from gateway.blueprint import Blueprint
from gateway.clients import clients
from gateway.idempotency import idempotency_of
from gateway.resources.ent_files import content_disposition
from gateway.schemas.filings import (
    DATA_SCHEMA_DOCS, ENTERPRISE_TYPES, CaseListQuery, CasePage, CaseSchema, FilingRequest, QualificationList,
    QualificationQuery, RegistrationList, submission_of,
)


class FilingsBlueprint(Blueprint):
    """Also puts the shape of each business's ``data`` into the OpenAPI components, which the
    request body's ``data`` refers to (``oneOf``)."""

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        for schema_name, schema in DATA_SCHEMA_DOCS.items():
            if schema_name not in spec.components.schemas:
                spec.components.schema(schema_name, schema=schema)
        return super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)


blp = FilingsBlueprint("ent-filings", __name__, signed_in=ENTERPRISE, url_prefix="/api/v1/ent",
                       description="企业端：进疆信息报送、登记、资质与报送册")


BOOKLET_RESPONSES = {
    200: {
        "description": "进疆报送册（PDF，始终以附件形式下载）",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "headers": {
            "Content-Disposition": {"schema": {"type": "string"},
                                    "description": "attachment; filename*=UTF-8''进疆报送册-<booklet_no>.pdf（RFC 5987）"},
            "X-Content-Type-Options": {"schema": {"type": "string", "enum": ["nosniff"]}},
            "Cache-Control": {"schema": {"type": "string", "enum": ["private, no-store"]}},
        },
    },
    404: {"description": "未知的企业类型，或尚未办理该类型的进疆登记（REGISTRATION_NOT_FOUND）"},
}


@blp.route("/filings")
class Filings(MethodView):
    @blp.arguments(FilingRequest)
    @blp.response(201, CaseSchema)
    @blp.alt_response(422, description="字段格式有误（VALIDATION_FAILED），不产生办件")
    def post(self, body):
        """提交一项进疆信息报送业务，自动审核后返回办件（通过或驳回及全部原因；驳回的办件同样保留）。支持 Idempotency-Key。"""
        submission = submission_of(body)
        return clients().filing.submit(enterprise_uscc=g.subject,
                                       enterprise_name=g.claims.get("name") or g.subject, **submission,
                                       submitted_by=g.subject, **idempotency_of(submission))

    @blp.arguments(CaseListQuery, location="query")
    @blp.response(200, CasePage)
    def get(self, query):
        """查询本企业的进疆信息报送记录，可按业务和审核结果筛选"""
        return clients().filing.list_cases(enterprise_uscc=g.subject, business=query.get("business"),
                                           status=query.get("status"), page=query["page"], per_page=query["per_page"])


@blp.route("/filings/<string:case_id>")
class FilingCase(MethodView):
    @blp.response(200, CaseSchema)
    @blp.alt_response(404, description="办件不存在或不属于本企业（CASE_NOT_FOUND）")
    def get(self, case_id):
        """一件报送记录（办件）：提交的数据、审核结果及原因、对登记的变更"""
        return clients().filing.get_case(enterprise_uscc=g.subject, case_id=case_id)


@blp.route("/registrations")
class Registrations(MethodView):
    @blp.response(200, RegistrationList)
    def get(self):
        """本企业按企业类型的进疆登记：基本信息（联系电话脱敏）、负责人、资质、人员、承揽业务及有效期"""
        return {"items": clients().filing.registrations(enterprise_uscc=g.subject)}


@blp.route("/registrations/<string:enterprise_type>/booklet.pdf")
class Booklet(MethodView):
    @blp.doc(responses=BOOKLET_RESPONSES)
    def get(self, enterprise_type):
        """下载该企业类型的进疆报送册（PDF，按当前登记生成，带报送册编号）"""
        if enterprise_type not in ENTERPRISE_TYPES:
            raise RegistrationNotFound()
        answer = clients().filing.booklet(enterprise_uscc=g.subject, enterprise_type=enterprise_type)
        response = Response(base64.b64decode(answer["pdf_b64"], validate=True), status=200,
                            mimetype="application/pdf")
        response.headers["Content-Disposition"] = content_disposition(f"进疆报送册-{answer['booklet_no']}.pdf")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response


@blp.route("/qualifications")
class Qualifications(MethodView):
    @blp.arguments(QualificationQuery, location="query")
    @blp.response(200, QualificationList)
    def get(self, query):
        """全国建筑市场监管公共服务平台上本企业该类型的资质，各注明是否仍有效"""
        return {"items": clients().filing.qualifications(enterprise_uscc=g.subject,
                                                         enterprise_type=query["enterprise_type"])}
