import base64

import pytest

from xjkit.idvault import DEV_ID_KEY, IdVault, InvalidToken, parse_key, vault_for_key

KEY = bytes(range(32))
ID = "11010519491231002X"


def test_encrypt_then_decrypt_round_trips():
    vault = IdVault(KEY)
    token = vault.encrypt(ID)
    assert token.startswith("v1:")
    assert ID not in token
    assert vault.decrypt(token) == ID


def test_encrypt_stores_the_normalised_id():
    vault = IdVault(KEY)
    assert vault.decrypt(vault.encrypt(" 11010519491231002x ")) == ID


def test_two_encryptions_of_the_same_id_differ():
    vault = IdVault(KEY)
    first, second = vault.encrypt(ID), vault.encrypt(ID)
    assert first != second
    assert vault.decrypt(first) == vault.decrypt(second) == ID


def test_lookup_hash_is_deterministic_and_normalised():
    vault = IdVault(KEY)
    assert vault.lookup_hash(ID) == vault.lookup_hash("11010519491231002x ") == IdVault(KEY).lookup_hash(ID)
    assert len(vault.lookup_hash(ID)) == 64
    assert vault.lookup_hash(ID) != vault.lookup_hash("510104199001011230")


def sub_key(info):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(KEY)


def test_lookup_hash_is_hmac_sha256_under_the_hkdf_lookup_key():
    # Pinned: changing the derivation would orphan every stored lookup hash.
    import hashlib
    import hmac

    expected = hmac.new(sub_key(b"xjcloud id-lookup"), ID.encode(), hashlib.sha256).hexdigest()
    assert IdVault(KEY).lookup_hash(ID) == expected


def test_token_is_aes_gcm_under_the_hkdf_encryption_key():
    # Pinned: stored tokens must stay readable; the nonce leads, the version is associated data.
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body = IdVault(KEY).encrypt(ID).split(":", 1)[1]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    plain = AESGCM(sub_key(b"xjcloud id-enc")).decrypt(raw[:12], raw[12:], b"v1")
    assert plain.decode() == ID


def test_lookup_hash_depends_on_the_key():
    assert IdVault(KEY).lookup_hash(ID) != IdVault(bytes(32)).lookup_hash(ID)


def test_lookup_hash_is_not_a_plain_hash_of_the_id():
    import hashlib

    assert IdVault(KEY).lookup_hash(ID) != hashlib.sha256(ID.encode()).hexdigest()


def flip_one_byte(token):
    body = token.split(":", 1)[1]
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 0x01
    return "v1:" + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_tampered_token_is_refused():
    vault = IdVault(KEY)
    with pytest.raises(InvalidToken):
        vault.decrypt(flip_one_byte(vault.encrypt(ID)))


def test_token_from_another_key_is_refused():
    with pytest.raises(InvalidToken):
        IdVault(bytes(32)).decrypt(IdVault(KEY).encrypt(ID))


@pytest.mark.parametrize("token", ["", "v1:", "v2:AAAA", "v1:not*base64", "v1:AAAA", ID])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(InvalidToken):
        IdVault(KEY).decrypt(token)


def test_short_master_key_is_refused():
    with pytest.raises(ValueError):
        IdVault(b"x" * 31)


def test_vault_repr_does_not_show_the_key():
    assert KEY.hex() not in repr(IdVault(KEY)) and "hidden" in repr(IdVault(KEY))


def test_key_is_read_from_hex_or_base64():
    assert parse_key(KEY.hex()) == KEY
    assert parse_key(base64.b64encode(KEY).decode()) == KEY
    assert parse_key(base64.urlsafe_b64encode(bytes(range(200, 240))).decode()) == bytes(range(200, 240))


@pytest.mark.parametrize("text", ["00" * 31, base64.b64encode(b"k" * 31).decode(), "not a key!"])
def test_short_or_garbled_env_key_is_refused_naming_the_variable(text):
    with pytest.raises(ValueError, match="XJ_ID_KEY"):
        vault_for_key(text, {"XJ_ENV": "prod"})


def test_env_key_is_used_when_set():
    vault = vault_for_key(KEY.hex(), {"XJ_ENV": "prod"})
    assert vault.lookup_hash(ID) == IdVault(KEY).lookup_hash(ID)


@pytest.mark.parametrize("env", ["dev", "test"])
def test_dev_and_test_fall_back_to_the_development_key(env):
    vault = vault_for_key("", {"XJ_ENV": env})
    assert vault.lookup_hash(ID) == IdVault(DEV_ID_KEY).lookup_hash(ID)


def test_prod_without_a_key_refuses_to_start():
    with pytest.raises(RuntimeError, match="XJ_ID_KEY"):
        vault_for_key(None, {"XJ_ENV": "prod"})


@pytest.mark.parametrize("encoded", [DEV_ID_KEY.hex(), base64.b64encode(DEV_ID_KEY).decode(),
                                     DEV_ID_KEY.decode()])
def test_prod_refuses_the_development_key_however_written(encoded):
    with pytest.raises(RuntimeError, match="development"):
        vault_for_key(encoded, {"XJ_ENV": "prod"})
