"""identity-svc: the nameko adapter. Each entrypoint builds its ports and calls one use case."""
import logging

from xjkit.nameko.handlers import forward_event
from nameko.timer import timer

from xjkit.events import Event
from xjkit.nameko.clocks import BusinessClock, WallClock
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store
from xjkit.nameko.telemetry import Telemetry

from identity.adapters.repositories import MongoIdentityUnitOfWork, prepare_database
from identity.adapters.crl_metrics import crl_metrics
from identity.adapters.providers import CaVerifier, IdNumberVault, SessionLimits, WeChat, WeChatTemplates
from identity.adapters.wechat import WeChatCodeLogin, WeChatFaceVerifier, WeChatSubscribeMessenger
from identity.domain.errors import CaLoginUnavailable
from identity.service_layer import enterprises, face_tickets, inbox, profile, sessions
from identity.service_layer import persons as person_cases
from identity.service_layer.notices import notice_from_event

log = logging.getLogger(__name__)

# how often sessions are swept against CRLs that changed; a session's own check (at most every
# few seconds, through the gateway's cache) consults the current CRLs anyway
REVOCATION_SWEEP_SECONDS = 15


class IdentityService:
    name = "identity"

    telemetry = Telemetry(collectors=(crl_metrics,))  # metrics, request context, logs (CRL dates too)

    store = Store(outbox_collections=("persons", "enterprise_accounts"), prepare=prepare_database)
    clock = BusinessClock()
    wall = WallClock()
    wechat = WeChat()
    templates = WeChatTemplates()  # {notice kind: subscribe-message template id}
    ca_verifier = CaVerifier()
    session_limits = SessionLimits()
    vault = IdNumberVault()  # refuses to start in prod without XJ_ID_KEY, or with the development key

    # --- ports, built per call ------------------------------------------------------------------

    def _verifier(self):
        if self.ca_verifier is None:
            raise CaLoginUnavailable()
        return self.ca_verifier

    def _uow(self):
        return MongoIdentityUnitOfWork(self.store.db)

    # --- health ------------------------------------------------------------------------------

    @rpc
    def ping(self):
        """The store and broker, and the state of every trusted CA's CRL (readiness shows it)."""
        report = ping_report(self.name, self.store, self.telemetry)
        if self.ca_verifier is None:
            report["crls"] = {"state": "not_configured", "cas": [], "files": []}
        else:
            report["crls"] = self.ca_verifier.crl_report(self.wall.now())
        return report

    # --- persons -----------------------------------------------------------------------------

    @rpc
    def login_with_wechat(self, code):
        return person_cases.login_with_wechat(self._uow(), WeChatCodeLogin(self.wechat), self.session_limits,
                                              self.clock, self.wall, code)

    @rpc
    def get_person(self, person_id):
        return person_cases.get_person(self._uow(), person_id)

    @rpc(sensitive_arguments=("id_card_no",), callers=("employment", "ops"))  # an ID number gives a name
    def lookup_person_by_id_card(self, id_card_no):
        return person_cases.lookup_by_id_card(self._uow(), self.vault, id_card_no)

    @rpc(callers=("cert",))  # plaintext ID numbers: for the national-platform sync only
    def id_cards_of(self, person_ids):
        return person_cases.id_cards_of(self._uow(), self.vault, person_ids)

    @rpc(sensitive_arguments=("id_card_no",))
    def start_realname(self, person_id, name, id_card_no):
        return person_cases.start_realname(
            self._uow(), WeChatFaceVerifier(self.wechat), self.vault, self.wall, person_id, name, id_card_no)

    @rpc
    def complete_realname(self, person_id, verify_id):
        return person_cases.complete_realname(
            self._uow(), WeChatFaceVerifier(self.wechat), self.vault, self.clock, self.wall,
            person_id, verify_id,
        )

    @rpc
    def update_profile(self, person_id, phone=None, education=None, address=None):
        return profile.update_profile(self._uow(), person_id, phone, education, address)

    @rpc
    def grant_subscriptions(self, person_id, template_ids):
        return profile.grant_subscriptions(self._uow(), person_id, template_ids,
                                           sorted(set(self.templates.values())))

    @rpc
    def subscriptions(self, person_id):
        return profile.subscription_status(self._uow(), person_id, self.templates)

    # --- face tickets ------------------------------------------------------------------------

    @rpc
    def start_face_ticket(self, person_id, purpose, target_id):
        return face_tickets.start_face_ticket(
            self._uow(), WeChatFaceVerifier(self.wechat), self.vault, self.wall,
            person_id, purpose, target_id,
        )

    @rpc(callers=("employment",))  # the service performing the action consumes its ticket
    def consume_face_ticket(self, person_id, verify_id, purpose, target_id):
        return face_tickets.consume_face_ticket(
            self._uow(), WeChatFaceVerifier(self.wechat), self.vault, self.wall,
            person_id, verify_id, purpose, target_id,
        )

    # --- inbox -------------------------------------------------------------------------------

    @rpc
    def list_messages(self, person_id, page=1, per_page=20):
        return inbox.list_messages(self._uow(), person_id, page, per_page)

    @rpc
    def mark_message_read(self, person_id, message_id):
        return inbox.mark_read(self._uow(), self.clock, person_id, message_id)

    def _deliver(self, event_data):
        notice = notice_from_event(Event.from_dict(event_data))
        if notice is None:
            return
        inbox.deliver(self._uow(), WeChatSubscribeMessenger(self.wechat),
                      self.templates, self.clock, notice)

    # the events that become inbox notices: one handler and queue each, named by the attribute
    on_employment_offered = forward_event("employment", "offered", to="_deliver")
    on_employment_cancelled = forward_event("employment", "cancelled", to="_deliver")
    on_employment_withdrawn = forward_event("employment", "withdrawn", to="_deliver")
    on_employment_terminated = forward_event("employment", "terminated", to="_deliver")
    on_employment_expired = forward_event("employment", "expired", to="_deliver")
    on_title_confirmed = forward_event("cert", "title_confirmed", to="_deliver")
    on_title_revoked = forward_event("cert", "title_revoked", to="_deliver")

    # --- enterprises (CA login) ----------------------------------------------------------------

    @rpc
    def create_login_challenge(self):
        return enterprises.create_challenge(self._uow(), self.wall)

    @rpc
    def login_with_certificate(self, challenge_id, certificate, signature):
        return enterprises.login_with_certificate(
            self._uow(), self._verifier(), self.session_limits, self.clock, self.wall,
            challenge_id, certificate, signature,
        )

    @rpc
    def get_enterprise(self, uscc):
        return enterprises.get_enterprise(self._uow(), uscc)

    # --- sessions ------------------------------------------------------------------------------

    @rpc(callers=("gateway",))  # the gateway checks the session of every request
    def check_session(self, session_id):
        """The live session (its idle timeout restarts), or SESSION_ENDED (401) saying why not."""
        return sessions.check_session(self._uow(), self.ca_verifier, self.wall, session_id)

    @rpc(callers=("gateway",))  # logout
    def end_session(self, session_id):
        """Logout. Ending a session that is already over does nothing."""
        sessions.end_session(self._uow(), self.wall, session_id)

    @timer(interval=REVOCATION_SWEEP_SECONDS)
    def end_sessions_of_revoked_certificates(self):
        """After the CRL files changed (reloaded), end every session whose certificate they list."""
        verifier = self.ca_verifier
        if verifier is None:
            return
        generation = verifier.current_generation()
        if generation == verifier.swept_generation:
            return
        ended = sessions.end_revoked_sessions(self._uow(), verifier, self.wall)
        verifier.swept_generation = generation
        if ended:
            log.info("ended %d session(s) of revoked certificates", ended)
