"""filing-svc's refusals (422/404/409). Business-rule problems are not errors: they are the
reasons of a kept, rejected case (see domain/case.py)."""
from xjkit.errors import NotFound, RegistrationNotFound  # noqa: F401  (the gateway shares it)


class CaseNotFound(NotFound, code="CASE_NOT_FOUND", message="报送记录不存在"): ...
