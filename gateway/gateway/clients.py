"""One client facade per nameko service: every RPC the gateway makes is named here, once.

Resources call ``clients().employment.make_offer(...)`` instead of spelling the service and the
method as strings. Each facade forwards to the app's ``RpcPool`` (``gateway.rpc``), which times
the call, signs it and turns an unreachable service into 503; the facades add no behaviour of
their own. A misspelt RPC fails at import time (AttributeError), not in production.
"""
from flask import current_app


class Rpc:
    """A named RPC of the facade's service; call it with keyword arguments only."""

    def __set_name__(self, owner, name):
        self.method = name

    def __get__(self, client, owner=None):
        if client is None:
            return self
        service, method, pool = client.service, self.method, client.pool

        def call(**kwargs):
            return pool.call(service, method, **kwargs)

        call.__name__ = call.__qualname__ = f"{service}.{method}"
        return call


class ServiceClient:
    service = ""

    def __init__(self, pool):
        self.pool = pool


class IdentityClient(ServiceClient):
    service = "identity"
    # enterprises: CA login, sessions
    create_login_challenge = Rpc()
    login_with_certificate = Rpc()
    get_enterprise = Rpc()
    check_session = Rpc()
    end_session = Rpc()
    # persons: WeChat login, real name, face checks, profile, messages
    login_with_wechat = Rpc()
    get_person = Rpc()
    update_profile = Rpc()
    start_realname = Rpc()
    complete_realname = Rpc()
    start_face_ticket = Rpc()
    list_messages = Rpc()
    mark_message_read = Rpc()
    subscriptions = Rpc()
    grant_subscriptions = Rpc()


class EmploymentClient(ServiceClient):
    service = "employment"
    lookup_person = Rpc()
    make_offer = Rpc()
    list_for_enterprise = Rpc()
    get_for_enterprise = Rpc()
    cancel_offer = Rpc()
    terminate_by_enterprise = Rpc()
    list_for_person = Rpc()
    current_employment = Rpc()
    accept_offer = Rpc()
    reject_offer = Rpc()
    terminate_by_person = Rpc()
    # uploads (contracts, certificate photos)
    store_file = Rpc()
    read_file = Rpc()
    store_person_file = Rpc()
    read_person_file = Rpc()
    read_contract_for_person = Rpc()


class CertClient(ServiceClient):
    service = "cert"
    sync_registered = Rpc()
    list_certificates = Rpc()
    add_certificate = Rpc()
    get_certificate = Rpc()
    confirm_title = Rpc()
    revoke_title = Rpc()
    list_for_person = Rpc()
    register_title = Rpc()
    reregister_title = Rpc()


class FilingClient(ServiceClient):
    service = "filing"
    submit = Rpc()
    list_cases = Rpc()
    get_case = Rpc()
    registrations = Rpc()
    qualifications = Rpc()
    booklet = Rpc()


class PublicityClient(ServiceClient):
    """Public reads: resources go through ``gateway.public_reads.read_public``, which redacts."""
    service = "publicity"
    search = Rpc()
    enterprise = Rpc()
    feed = Rpc()
    verify_booklet = Rpc()


class Clients:
    def __init__(self, pool):
        self.identity = IdentityClient(pool)
        self.employment = EmploymentClient(pool)
        self.cert = CertClient(pool)
        self.filing = FilingClient(pool)
        self.publicity = PublicityClient(pool)


def clients():
    """The facades over the current app's RPC pool."""
    return Clients(current_app.extensions["xj_rpc"])
