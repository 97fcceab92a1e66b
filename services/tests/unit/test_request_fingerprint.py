"""Request bodies are remembered only as keyed fingerprints: an ID number inside cannot be recovered."""
import hashlib
import json

import pytest

from xjkit.idempotency import fingerprint_key, request_fingerprint
from xjkit.testdata import make_id_card

KEY = fingerprint_key("a-server-secret-of-at-least-32-characters!")
BODY = {"id_card_no": make_id_card(birth="19900101", seq="123"), "contract_start": "2026-12-01",
        "contract_end": "2027-11-30", "contract_file_id": "f" * 32}


def unkeyed(body):
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


def test_the_fingerprint_is_stable_whatever_the_key_order():
    assert request_fingerprint(BODY, KEY) == request_fingerprint(dict(reversed(list(BODY.items()))), KEY)
    assert request_fingerprint(BODY, KEY) != request_fingerprint({**BODY, "contract_end": "2027-12-01"}, KEY)


def test_without_the_server_key_the_id_number_cannot_be_brute_forced_from_the_fingerprint():
    stored = request_fingerprint(BODY, KEY)
    # what an attacker with the store but not the key would try: every birth date sequence, unkeyed
    assert stored != unkeyed(BODY)
    assert stored != request_fingerprint(BODY, fingerprint_key(b"another-secret-of-32-bytes-long!!"))
    assert BODY["id_card_no"] not in stored


def test_the_fingerprint_key_is_derived_and_must_come_from_a_real_secret():
    secret = b"x" * 32
    assert fingerprint_key(secret) != secret and len(fingerprint_key(secret)) == 32
    with pytest.raises(ValueError):
        fingerprint_key(b"short")
    with pytest.raises(ValueError):
        request_fingerprint(BODY, b"short")
