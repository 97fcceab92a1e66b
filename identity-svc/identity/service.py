"""identity-svc: the nameko adapter. Each RPC builds its ports and calls one use case."""
from nameko.dependency_providers import Config

from xjkit.clock import clock_from_env
from xjkit.idvault import vault_from_env
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store

from identity.adapters.repositories import (
    MongoFaceCheckRepository, MongoPersonRepository, prepare_database,
)
from identity.adapters.wechat import WeChatCodeLogin, WeChatFaceVerifier, XjWeChatClient
from identity.service_layer import persons as use_cases

# process-wide: read once, validated at import so a misconfigured prod refuses to start
CLOCK = clock_from_env()
VAULT = vault_from_env()


class IdentityService:
    name = "identity"

    store = Store(outbox_collections=("persons",), prepare=prepare_database)
    config = Config()

    def _wechat(self):
        # wechatpy keeps the access token in the client's memory storage: share one per process
        client = getattr(IdentityService, "_wechat_client", None)
        if client is None:
            client = XjWeChatClient(
                self.config["WECHAT_APPID"], self.config["WECHAT_SECRET"],
                api_base=self.config["WECHAT_API_BASE"],
                timeout=float(self.config.get("WECHAT_TIMEOUT_SECONDS", 5)),
            )
            IdentityService._wechat_client = client
        return client

    def _persons(self):
        return MongoPersonRepository(self.store.db)

    def _checks(self):
        return MongoFaceCheckRepository(self.store.db)

    @rpc
    def ping(self):
        return ping_report(self.name, self.store)

    @rpc
    def login_with_wechat(self, code):
        return use_cases.login_with_wechat(self._persons(), WeChatCodeLogin(self._wechat()), CLOCK, code)

    @rpc
    def get_person(self, person_id):
        return use_cases.get_person(self._persons(), person_id)

    @rpc
    def start_realname(self, person_id, name, id_card_no):
        return use_cases.start_realname(
            self._persons(), self._checks(), WeChatFaceVerifier(self._wechat()), VAULT, CLOCK,
            person_id, name, id_card_no,
        )

    @rpc
    def complete_realname(self, person_id, verify_id):
        result = use_cases.complete_realname(
            self._persons(), self._checks(), WeChatFaceVerifier(self._wechat()), VAULT, CLOCK,
            person_id, verify_id,
        )
        self.store.events_written()
        return result
