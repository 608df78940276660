"""eventlog.shortcode.short_code over a million uuids at once, in numpy: the collision test and the
benchmark need that many codes; the product computes one code at a time and stays numpy-free."""
from __future__ import annotations

import numpy as np

from eventlog.shortcode import BASE, LENGTH, SPACE


def short_codes(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """short_code for uuids given as their high and low 64-bit halves (uint64 arrays).

    Returns an (n, LENGTH) array of alphabet indices; `"".join(ALPHABET[i] for i in row)` is the code.
    """
    x = np.bitwise_xor(hi.astype(np.uint64), lo.astype(np.uint64))
    with np.errstate(over="ignore"):  # uint64 multiplication wraps modulo 2**64, as intended
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    n = x % np.uint64(SPACE)
    digits = np.empty((len(n), LENGTH), dtype=np.int64)
    for position in range(LENGTH - 1, -1, -1):   # LENGTH steps, each over the whole array
        digits[:, position] = (n % np.uint64(BASE)).astype(np.int64)
        n //= np.uint64(BASE)
    return digits
