"""Every public read, API and web pages alike, goes through ``read_public``: publicity-svc's answer
with every string redacted (xjkit.masking.redact_public). The public read model is built from
what enterprises typed; a phone number in an address or an ID number used as a certificate number
must never reach the public, whichever field it hides in."""
from flask import current_app

from xjkit.masking import redact_public

from gateway.clients import PublicityClient

SERVICE = PublicityClient.service


def read_public(method, **kwargs):
    """``method``: one of ``PublicityClient``'s RPCs."""
    return redact_public(getattr(PublicityClient(current_app.extensions["xj_rpc"]), method)(**kwargs))
