"""A kiosk's token as the hub knows it, and the signature that says which kiosk wrote a USB bundle.

The hub keeps only the SHA-256 of each kiosk's bearer token (`hash_token`). The bundle signing key is
derived from that hash, so the kiosk signs with what its token gives and the hub checks with what it
stores: HMAC-SHA256 of the bundle's manifest (which holds the SHA-256 of every other member). One
secret per kiosk, nothing to register beyond `hub add-kiosk`, and rotating the token (`--rotate`)
also retires every bundle signed with the old one.
"""
from __future__ import annotations

import hashlib
import hmac

ALGORITHM = "hmac-sha256"
KEY_LABEL = b"qsec-kiosk bundle signing key v1"   # a key of its own: a MAC never equals the token hash


def hash_token(token: str) -> str:
    """What the hub stores for a bearer token. A 256-bit random token needs no slow KDF: a plain SHA-256
    cannot be brute-forced back."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _key(token_hash: str) -> bytes:
    return hmac.new(bytes.fromhex(token_hash), KEY_LABEL, hashlib.sha256).digest()


def sign(data: bytes, token_hash: str) -> str:
    """The hex MAC of `data` for the kiosk whose token hashes to `token_hash`."""
    return hmac.new(_key(token_hash), data, hashlib.sha256).hexdigest()


def signature_matches(data: bytes, token_hash: str, mac: object) -> bool:
    return isinstance(mac, str) and hmac.compare_digest(sign(data, token_hash), mac)
