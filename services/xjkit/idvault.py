"""ID numbers encrypted at rest, found through a keyed hash.

A stored person holds ``encrypt(id)`` (readable only with the key) and ``lookup_hash(id)`` (a
deterministic HMAC: the unique index and the search key). A plain hash would not do: the space of
ID numbers is small enough to enumerate, so without the secret key every hash could be reversed.
"""
import base64
import binascii
import hashlib
import hmac
import logging
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from xjkit.config import is_dev_or_test
from xjkit.validators import normalize_id_card

TOKEN_VERSION = "v1"
MIN_KEY_BYTES = 32
NONCE_BYTES = 12
# Public on purpose: anyone can read it, so it is only ever accepted when XJ_ENV is dev or test.
DEV_ID_KEY = b"xjcloud-DEVELOPMENT-ONLY-id-key-not-a-secret"

log = logging.getLogger(__name__)


class InvalidToken(ValueError):
    """A token that is malformed, of an unknown version, tampered with, or made with another key."""


class IdVault:
    def __init__(self, key: bytes):
        if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the ID master key must be at least {MIN_KEY_BYTES} bytes")
        # Separate sub-keys: the lookup key can be handed to a search component without
        # enabling decryption, and the two uses never share key material.
        self._aead = AESGCM(_derive(key, b"xjcloud id-enc"))
        self._lookup_key = _derive(key, b"xjcloud id-lookup")

    def encrypt(self, plain: str) -> str:
        """``v1:<base64url(nonce + ciphertext)>`` of the normalised ID; a fresh nonce every time."""
        nonce = os.urandom(NONCE_BYTES)
        # The version is authenticated data, so a token cannot be relabelled as another version.
        sealed = self._aead.encrypt(nonce, normalize_id_card(plain).encode(), TOKEN_VERSION.encode())
        return f"{TOKEN_VERSION}:{_b64encode(nonce + sealed)}"

    def decrypt(self, token: str) -> str:
        version, _, body = str(token).partition(":")
        if version != TOKEN_VERSION or not body:
            raise InvalidToken(f"not a {TOKEN_VERSION} ID token")
        try:
            raw = _b64decode(body)
        except (binascii.Error, ValueError):
            raise InvalidToken("ID token is not valid base64url") from None
        if len(raw) <= NONCE_BYTES:
            raise InvalidToken("ID token is too short")
        try:
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], version.encode())
        except InvalidTag:
            raise InvalidToken("ID token failed authentication (tampered, or another key)") from None
        return plain.decode()

    def lookup_hash(self, plain: str) -> str:
        """HMAC-SHA256 (hex) of the normalised ID: equal IDs give equal hashes, for index and search."""
        return hmac.new(self._lookup_key, normalize_id_card(plain).encode(), hashlib.sha256).hexdigest()

    def __repr__(self):
        return "IdVault(<key hidden>)"


def _derive(key, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def _b64encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text):
    if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_key(text: str) -> bytes:
    """Decode ``XJ_ID_KEY``: hex when it is all hex digits (even length), base64 otherwise."""
    value = text.strip()
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", value):
        key = bytes.fromhex(value)
    else:
        try:
            key = base64.b64decode(value.replace("-", "+").replace("_", "/") + "=" * (-len(value) % 4),
                                   validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("XJ_ID_KEY must be hex or base64") from None
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"XJ_ID_KEY must decode to at least {MIN_KEY_BYTES} bytes, got {len(key)}")
    return key


def vault_for_key(text, environ=os.environ) -> IdVault:
    """The vault keyed by ``text``: ``XJ_ID_KEY``, as identity-svc's config.yml passes it (``ID_KEY``).
    An empty key means the public development key, taken only when ``XJ_ENV`` is dev or test.

    In prod a missing key, or the development key, raises ``RuntimeError``: the service must not
    start and write ID numbers that anyone could decrypt.
    """
    raw = (text or "").strip()
    if not raw:
        if not is_dev_or_test(environ):
            raise RuntimeError("XJ_ID_KEY is not set; production refuses to start without an ID key")
        log.warning("XJ_ID_KEY is not set: using the public development ID key (dev/test only)")
        return IdVault(DEV_ID_KEY)
    key = parse_key(raw)
    # Compare the text too: the dev key pasted verbatim also parses as (different) base64.
    if DEV_ID_KEY in (key, raw.encode()) and not is_dev_or_test(environ):
        raise RuntimeError("XJ_ID_KEY is the public development key; production refuses to use it")
    return IdVault(key)
