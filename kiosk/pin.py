"""Mediator PIN: salted PBKDF2 hashes and a pad that locks after too many wrong tries."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from typing import Callable

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def parse_pin_hash(encoded: str) -> tuple[int, bytes, bytes]:
    """(iterations, salt, digest); ValueError saying what is wrong with it (what is expected is the
    caller's to say: the line `kiosk hash-pin` prints)."""
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        raise ValueError(f"not of the form '{ALGORITHM}$iterations$salt$hash'")
    try:
        iterations = int(parts[1])
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except ValueError as exc:
        raise ValueError("damaged: its iterations, salt or hash cannot be read") from exc
    if iterations < 10_000 or len(digest) != 32:
        raise ValueError("damaged: too few iterations or a hash of the wrong length")
    return iterations, salt, digest


def verify_pin(pin: str, encoded: str) -> bool:
    try:
        iterations, salt, digest = parse_pin_hash(encoded)
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(candidate, digest)


class PinGuard:
    """Counts wrong PINs; after `max_attempts` the pad is locked for `lockout_s` seconds."""

    def __init__(self, encoded: str, *, max_attempts: int = 5, lockout_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic):
        self.encoded = encoded
        self.max_attempts = max_attempts
        self.lockout_s = lockout_s
        self.clock = clock
        self.failures = 0
        self.locked_until = 0.0

    def locked_for(self) -> float:
        """Seconds the pad stays locked (0 when open)."""
        return max(0.0, self.locked_until - self.clock())

    def try_pin(self, pin: str) -> bool:
        if self.locked_for() > 0:
            return False
        if verify_pin(pin, self.encoded):
            self.failures = 0
            return True
        self.failures += 1
        if self.failures >= self.max_attempts:
            self.failures = 0
            self.locked_until = self.clock() + self.lockout_s
        return False
