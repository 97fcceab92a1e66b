"""Domain errors: a stable code, an HTTP status and a Chinese message.

Every service raises these (or subclasses) from its domain and service layer. They cross the
RPC boundary as the base class ``DomainError`` with the same constructor arguments (see
``xjkit.nameko.rpc``), so the gateway can turn any of them into the API error body without
importing the service that raised it.
"""
import copy


class DomainError(Exception):
    """A refusal the caller can act on. ``errors`` maps field paths to Chinese messages."""

    code = "DOMAIN_ERROR"
    status = 409
    message = "操作无法完成"

    field_errors = None  # the field errors a refusal carries when it is raised without any

    def __init_subclass__(cls, code=None, status=None, message=None, field_errors=None, **kwargs):
        """A refusal is declared in one line, naming what differs from its base::

            class PersonNotFound(NotFound, code="PERSON_NOT_FOUND", message="人员不存在"): ...
        """
        super().__init_subclass__(**kwargs)
        for name, value in (("code", code), ("status", status), ("message", message),
                            ("field_errors", field_errors)):
            if value is not None:
                setattr(cls, name, value)

    def __init__(self, code=None, message=None, status=None, errors=None):
        self.code = code or self.code
        self.message = message or self.message
        self.status = int(status or self.status)
        self.errors = dict(errors) if errors else copy.deepcopy(self.field_errors or {})
        # args must rebuild the same error on the other side of the RPC boundary
        super().__init__(self.code, self.message, self.status, self.errors)

    def __str__(self):
        return f"{self.code}: {self.message}"

    def to_dict(self):
        body = {"code": self.status, "error": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body

    def as_base(self):
        """The same error as the plain base class (what travels over RPC)."""
        return DomainError(self.code, self.message, self.status, self.errors)


class ValidationFailed(DomainError, code="VALIDATION_FAILED", status=422, message="提交的数据有误"):
    def __init__(self, errors=None, message=None, code=None):
        super().__init__(code=code, message=message, errors=errors)


class NotFound(DomainError, code="NOT_FOUND", status=404, message="对象不存在"): ...


class Conflict(DomainError, code="CONFLICT", status=409, message="当前状态不允许此操作"): ...


class ConcurrencyConflict(Conflict, code="CONCURRENT_UPDATE", message="数据已被其他操作修改，请刷新后重试"):
    """An optimistic-concurrency check failed: someone else changed the document first."""


class DuplicateKey(Conflict, code="DUPLICATE", message="记录已存在"):
    """A unique index refused the write. ``index`` names the index when the server says it.

    Raised by the repositories (xjkit.mongo) and caught by use cases, so it lives here, apart from
    the driver: the service layer never loads pymongo."""

    def __init__(self, index=None):
        super().__init__()
        self.index = index


class Unauthorized(DomainError, code="UNAUTHORIZED", status=401, message="未登录或登录已失效"): ...


class Forbidden(DomainError, code="FORBIDDEN", status=403, message="无权进行此操作"): ...


class UpstreamUnavailable(DomainError, code="UPSTREAM_UNAVAILABLE", status=503, message="外部系统暂时不可用，请稍后重试"):
    """An outside system (WeChat, the national platform) is down or too slow."""


class NationalPlatformUnavailable(UpstreamUnavailable, code="NATIONAL_PLATFORM_UNAVAILABLE",
                                  message="全国建筑市场监管公共服务平台暂时无法访问，请稍后重试；本次未做任何修改"):
    """The national platform (全国建筑市场监管公共服务平台) did not answer: cert's and filing's
    clients of it both refuse this way."""


class ServiceUnavailable(DomainError, code="SERVICE_UNAVAILABLE", status=503, message="服务暂时不可用，请稍后重试"):
    """One of the platform's own services (or its broker, store or cache) cannot answer now."""


# refusals the gateway gives itself, before asking the owning service, in that service's words

class RegistrationNotFound(NotFound, code="REGISTRATION_NOT_FOUND", message="尚未办理该类型的进疆登记"):
    """filing-svc: the enterprise has no registration of that type."""


class PublicEnterpriseNotFound(NotFound, code="PUBLIC_ENTERPRISE_NOT_FOUND", message="未找到该企业的有效进疆信息"):
    """publicity-svc: no enterprise with a valid registration under that code."""
