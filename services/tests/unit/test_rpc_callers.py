"""RPC callers signed in the context data: who may call the RPCs that only some may call."""
import pytest

from xjkit.nameko.callers import DEV_RPC_KEY, MAX_SKEW_SECONDS, caller_headers, rpc_key, verified_caller

KEY = "k" * 40


def test_a_signed_caller_is_verified_for_the_rpc_it_was_signed_for():
    headers = caller_headers("cert", "identity.id_cards_of", KEY, now=1_000_000)
    assert verified_caller(headers, "identity.id_cards_of", KEY, now=1_000_000 + 5) == "cert"


@pytest.mark.parametrize("tamper", [
    lambda h: {**h, "xj_caller": "gateway"},                       # another name, same signature
    lambda h: {**h, "xj_caller_at": h["xj_caller_at"] + 1},        # another time
    lambda h: {k: v for k, v in h.items() if k != "xj_caller_sig"},  # unsigned
    lambda h: {},                                                  # nothing at all
])
def test_a_tampered_or_missing_signature_names_nobody(tamper):
    headers = tamper(caller_headers("cert", "identity.id_cards_of", KEY, now=1_000_000))
    assert verified_caller(headers, "identity.id_cards_of", KEY, now=1_000_000) is None


def test_a_signature_is_good_for_one_rpc_one_key_and_one_minute():
    headers = caller_headers("ops", "publicity.clear", KEY, now=1_000_000)
    assert verified_caller(headers, "identity.id_cards_of", KEY, now=1_000_000) is None
    assert verified_caller(headers, "publicity.clear", "x" * 40, now=1_000_000) is None
    assert verified_caller(headers, "publicity.clear", KEY, now=1_000_000 + MAX_SKEW_SECONDS + 1) is None


def test_the_rpc_key_is_required_in_prod_and_the_development_key_only_in_dev_and_test():
    assert rpc_key(None, {"XJ_ENV": "test"}) == DEV_RPC_KEY
    with pytest.raises(ValueError, match="XJ_RPC_KEY"):
        rpc_key(None, {"XJ_ENV": "prod"})
    with pytest.raises(ValueError, match="development key"):
        rpc_key(DEV_RPC_KEY, {"XJ_ENV": "prod"})
    with pytest.raises(ValueError, match="32"):
        rpc_key("short", {"XJ_ENV": "prod"})
    assert rpc_key(KEY, {"XJ_ENV": "prod"}) == KEY
    assert rpc_key(None, {"XJ_ENV": "prod", "XJ_RPC_KEY": KEY}) == KEY
