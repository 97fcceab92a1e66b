"""publicity-svc: the public read model (进疆企业信息公示), built only from events."""
from xjkit.nameko.handlers import event_handler
from nameko.timer import timer

from xjkit.events import Event
from xjkit.nameko.clocks import BusinessClock, WallClock
from xjkit.nameko.ping import ping_report
from xjkit.nameko.rpc import rpc
from xjkit.nameko.store import Store
from xjkit.nameko.telemetry import Telemetry
from xjkit.retry import retry_on_conflict

from publicity.adapters.repositories import MongoListing, prepare_database
from publicity.adapters.public_version import PublicVersion
from publicity.service_layer import publicity as use_cases

EXPIRY_CHECK_SECONDS = 60


class PublicityService:
    name = "publicity"

    telemetry = Telemetry()  # metrics, request context, logs

    store = Store(prepare=prepare_database)
    clock = BusinessClock()  # the business day: what is valid
    wall = WallClock()  # when a change was written; how long a feed entry may stay unwritten
    public = PublicVersion()  # the gateways' public cache: a new version after committed changes

    def _listing(self):
        return MongoListing(self.store.db)

    @rpc
    def ping(self):
        return ping_report(self.name, self.store, self.telemetry)

    @event_handler("filing", "registration_changed")
    def on_registration_changed(self, event_data):
        # idempotent and order-proof by the registration's serial
        if use_cases.apply_registration_event(self._listing(), self.clock, self.wall, Event.from_dict(event_data).payload):
            self.public.changed()

    @rpc
    def search(self, q=None, enterprise_type=None, qualification=None, page=1, per_page=20):
        return use_cases.search(self._listing(), self.clock, q, enterprise_type, qualification, page, per_page)

    @rpc
    def enterprise(self, uscc):
        return use_cases.enterprise(self._listing(), self.clock, uscc)

    @rpc
    def feed(self, since=None, limit=100):
        return use_cases.feed(self._listing(), self.clock, self.wall, since, limit)

    @rpc
    def verify_booklet(self, booklet_no):
        return use_cases.verify_booklet(self._listing(), self.clock, booklet_no)

    @timer(interval=EXPIRY_CHECK_SECONDS)
    def hide_expired(self):
        if use_cases.hide_expired(self._listing(), self.clock, self.wall):
            self.public.changed()

    @rpc(callers=("ops",))  # writes the public list from given payloads: the rebuild command only
    def apply_registrations(self, payloads):
        """For the rebuild command: apply a page of filing's registrations."""
        applied = sum(retry_on_conflict(lambda p=p: use_cases.apply_registration_event(
            self._listing(), self.clock, self.wall, p)) for p in payloads)
        if applied:
            self.public.changed()
        return applied

    @rpc(callers=("ops",))  # wipes the public list: the rebuild command only
    def clear(self):
        """For the rebuild command: forget the read model before it is built again."""
        self._listing().clear()
        self.public.changed()
        return {"cleared": True}
