"""nameko dependency providers of identity-svc: one WeChat client and one CA verifier per container."""
from nameko.extensions import DependencyProvider

from identity.adapters.certificate_verifier import CaCertificateVerifier, split_paths
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


class CaVerifier(DependencyProvider):
    """The trust store of enterprise CA login; None when XJ_CA_ROOTS is not configured."""

    def setup(self):
        roots = self.container.config.get("CA_ROOTS") or ""
        self.verifier = CaCertificateVerifier(roots, split_paths(self.container.config.get("CA_CRLS"))) if roots else None

    def get_dependency(self, worker_ctx):
        return self.verifier
