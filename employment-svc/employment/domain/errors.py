"""employment-svc's refusals, each with a stable code, HTTP status and Chinese message."""
from xjkit.errors import Conflict, NotFound


class PersonNotFound(NotFound, code="PERSON_NOT_FOUND", message="未找到该身份证号码对应的实名人员，请提醒其先在小程序完成实名认证"): ...


class PersonNotVerified(Conflict, code="PERSON_NOT_VERIFIED", message="该人员尚未完成实名认证，不能发起聘用"): ...


class PersonEmployed(Conflict, code="PERSON_EMPLOYED", message="该人员已在其他企业在职，不能再被聘用"): ...


class OfferExists(Conflict, code="OFFER_EXISTS", message="已向该人员发出聘用邀请，请等待其确认"): ...


class EmploymentNotFound(NotFound, code="EMPLOYMENT_NOT_FOUND", message="聘用记录不存在"): ...


class EmploymentStateConflict(Conflict, code="EMPLOYMENT_STATE_CONFLICT", message="聘用记录的当前状态不允许此操作"): ...
