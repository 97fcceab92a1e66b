"""cert-svc's refusals, each with a stable code, HTTP status and Chinese message."""
from xjkit.errors import Conflict, DomainError, NationalPlatformUnavailable, NotFound  # noqa: F401  (shared with filing)


class CertificateNotFound(NotFound, code="CERTIFICATE_NOT_FOUND", message="证书不存在"): ...


class CertificateExists(Conflict, code="CERTIFICATE_EXISTS", message="该证书编号已登记"): ...


class CertificateStateConflict(Conflict, code="CERTIFICATE_STATE_CONFLICT", message="证书当前状态不允许此操作"): ...


class PersonNotEmployed(Conflict, code="PERSON_NOT_EMPLOYED", message="该人员不是本企业在职人员"): ...


class NotEmployedAnywhere(Conflict, code="NOT_EMPLOYED", message="您当前没有在职的单位，职称证书需由在职单位确认，请先接受聘用"): ...


class CertificateFiled(DomainError, code="CERTIFICATE_FILED", status=409, message="该证书已报送，请先通过“人员证书信息变更”撤销其报送"): ...
