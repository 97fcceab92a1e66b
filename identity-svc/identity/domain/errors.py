"""identity-svc's refusals, each with a stable code, HTTP status and Chinese message."""
from xjkit.errors import Conflict, DomainError, NotFound, Unauthorized, UpstreamUnavailable


class PersonNotFound(NotFound, code="PERSON_NOT_FOUND", message="人员不存在"): ...


class WeChatCodeInvalid(Unauthorized, code="WECHAT_CODE_INVALID", message="微信登录凭证无效或已使用，请重新登录"): ...


class WeChatUnavailable(UpstreamUnavailable, code="WECHAT_UNAVAILABLE", message="微信服务暂时不可用，请稍后重试"): ...


class WeChatRateLimited(UpstreamUnavailable, code="WECHAT_RATE_LIMITED", message="微信登录服务繁忙，请稍后重试"): ...


class AlreadyVerified(Conflict, code="ALREADY_VERIFIED", message="已完成实名认证，无需重复认证"): ...


class IdCardBound(Conflict, code="IDCARD_BOUND", message="该身份证号码已被其他微信用户实名绑定"): ...


class FaceNotPassed(DomainError, code="FACE_NOT_PASSED", status=422, message="人脸核身未通过，请重新进行人脸识别"): ...


class FaceCheckNotFound(NotFound, code="FACE_CHECK_NOT_FOUND", message="人脸核身记录不存在"): ...


class FaceCheckExpired(Conflict, code="FACE_CHECK_EXPIRED", message="人脸核身已过期，请重新发起"): ...


class FaceCheckUsed(Conflict, code="FACE_CHECK_USED", message="该人脸核身记录已使用，请重新发起"): ...


class FacePurposeUnknown(DomainError, code="FACE_PURPOSE_UNKNOWN", status=422, message="不支持的人脸核身用途"): ...


class PersonNotVerified(Conflict, code="PERSON_NOT_VERIFIED", message="请先完成实名认证"): ...


class MessageNotFound(NotFound, code="MESSAGE_NOT_FOUND", message="消息不存在"): ...


class ChallengeInvalid(Unauthorized, code="CA_CHALLENGE_INVALID", message="登录挑战码无效、已使用或已过期，请重新获取"): ...


class CaLoginRefused(Unauthorized, code="CA_LOGIN_REFUSED", message="CA证书登录失败"):
    """A certificate login refused for one of API.md's CA_* reasons (code set per instance)."""


class CaLoginUnavailable(DomainError, code="CA_LOGIN_UNAVAILABLE", status=503, message="CA证书登录暂不可用，请联系管理员"): ...


class CaCrlUnavailable(DomainError, code="CA_CRL_UNAVAILABLE", status=503,
                       message="暂时无法核验证书是否已被吊销（证书吊销列表不可用），请稍后重试；如持续出现请联系平台运维"):
    """Revocation cannot be checked (missing, badly signed or stale CRL): fail closed, retry later."""


class SessionEnded(Unauthorized, code="SESSION_ENDED", message="登录已失效，请重新登录"):
    """The session behind a token is over; the message says why and what to do."""
