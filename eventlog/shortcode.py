"""Short, unambiguous contribution codes derived from an event uuid.

A visitor copies the code from the screen when they have no phone, so the alphabet leaves out every
character that reads like another: no 0/O, no 1/I/l (codes are upper case, so no lower-case l either)
and no U (avoids accidental words, as in Crockford's base 32). 30 symbols remain.

code = base30(mix64(hi64(uuid) XOR lo64(uuid)) mod 30**10), 10 symbols shown as two groups of five.
mix64 is the splitmix64 finaliser (a bijection on 64 bits) so codes look random even though UUIDv7s
made in the same millisecond share their first 48 bits. 30**10 ≈ 5.9e14: among a million
contributions the expected number of colliding pairs is n²/2N ≈ 8.5e-4.
The hub computes the same function to find a contribution from its code.
"""
from __future__ import annotations

import uuid as uuid_mod

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE = len(ALPHABET)
LENGTH = 10
SPACE = BASE ** LENGTH
MASK64 = (1 << 64) - 1


def _mix64(x: int) -> int:
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & MASK64
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & MASK64
    return x ^ (x >> 31)


def short_code(event_uuid: str) -> str:
    """The 10-symbol code of one event uuid (no separator)."""
    value = uuid_mod.UUID(event_uuid).int
    n = _mix64((value >> 64) ^ (value & MASK64)) % SPACE
    out = []
    for _ in range(LENGTH):
        n, digit = divmod(n, BASE)
        out.append(ALPHABET[digit])
    return "".join(reversed(out))


def display_code(code: str) -> str:
    """Two groups of five for reading aloud or copying: 'ABCDE FGHJK'."""
    return f"{code[:5]} {code[5:]}"


def normalise_typed_code(text: str) -> str | None:
    """A code as typed by someone (spaces, dashes, lower case) -> the canonical code, or None."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -._")
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def contribution_url(public_url: str, event_uuid: str) -> str:
    return f"{public_url.rstrip('/')}/c/{short_code(event_uuid)}"
