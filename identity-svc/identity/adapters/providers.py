"""nameko dependency providers of identity-svc: one WeChat client, one CA verifier, the session
limits and the ID-number vault per container, each from config.yml. The CA, session and key
settings are checked at start-up: a misconfigured service refuses to start (in prod also when a
value exceeds its bound, or the ID key is missing or the public development one), naming the
variable."""
from nameko.extensions import DependencyProvider

from xjkit.clock import WALL_CLOCK
from xjkit.config import xj_env
from xjkit.idvault import vault_for_key

from identity.adapters.certificate_verifier import CaCertificateVerifier, CaSettings
from identity.adapters.session_settings import session_limits_from_config
from identity.adapters.wechat import XjWeChatClient


class WeChat(DependencyProvider):
    """wechatpy keeps the access token in the client's memory, so the container shares one client."""

    def setup(self):
        config = self.container.config
        self.client = XjWeChatClient(
            config["WECHAT_APPID"], config["WECHAT_SECRET"],
            api_base=config.get("WECHAT_API_BASE") or "https://api.weixin.qq.com",
            timeout=float(config.get("WECHAT_TIMEOUT_SECONDS") or 5),
        )

    def get_dependency(self, worker_ctx):
        return self.client


def parse_templates(value):
    """``kind=template_id,kind=template_id`` → {kind: template_id}."""
    pairs = (item.split("=", 1) for item in (value or "").split(",") if "=" in item)
    return {kind.strip(): template.strip() for kind, template in pairs if kind.strip() and template.strip()}


class WeChatTemplates(DependencyProvider):
    """The subscribe-message templates of each notice kind (WECHAT_TEMPLATES in config.yml)."""

    def setup(self):
        self.templates = parse_templates(self.container.config.get("WECHAT_TEMPLATES"))

    def get_dependency(self, worker_ctx):
        return dict(self.templates)


class CaVerifier(DependencyProvider):
    """The trust store of enterprise CA login; None when XJ_CA_ROOTS is not configured."""

    def setup(self):
        env = xj_env()
        settings = CaSettings.from_config(self.container.config, env)
        self.verifier = CaCertificateVerifier(settings) if settings else None
        if self.verifier is not None:
            self.verifier.check_start(env, WALL_CLOCK.now())

    def get_dependency(self, worker_ctx):
        return self.verifier


class SessionLimits(DependencyProvider):
    """{role: SessionLimits} from the config (XJ_SESSION_* / XJ_PERSON_SESSION_*)."""

    def setup(self):
        self.limits = session_limits_from_config(self.container.config, xj_env())

    def get_dependency(self, worker_ctx):
        return self.limits


class IdNumberVault(DependencyProvider):
    """ID numbers encrypted at rest (``xjkit.idvault``), keyed by ID_KEY (XJ_ID_KEY)."""

    def setup(self):
        self.vault = vault_for_key(self.container.config.get("ID_KEY"))

    def get_dependency(self, worker_ctx):
        return self.vault
