import re

import numpy as np
import pytest

from eventlog.shortcode import ALPHABET, LENGTH, contribution_url, display_code, normalise_typed_code, short_code
from eventlog.stamps import new_uuid
from tests.participation.many_codes import short_codes

AMBIGUOUS = set("0O1lIiLoU")


def test_alphabet_has_no_lookalikes():
    assert not AMBIGUOUS & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 30


def test_code_is_deterministic_and_uses_the_alphabet():
    u = new_uuid()
    code = short_code(u)
    assert code == short_code(u)
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert contribution_url("https://qsec2.fr/", u) == f"https://qsec2.fr/c/{code}"


def test_uuids_of_the_same_millisecond_get_unrelated_codes():
    codes = [short_code(new_uuid(now_ms=1_790_000_000_000)) for _ in range(200)]
    assert len(set(codes)) == 200
    assert len({c[:3] for c in codes}) > 100      # no shared prefix from the shared timestamp


def test_vectorised_codes_match_the_scalar_function():
    uuids = [new_uuid() for _ in range(500)]
    ints = [int(u.replace("-", ""), 16) for u in uuids]
    hi = np.array([i >> 64 for i in ints], dtype=np.uint64)
    lo = np.array([i & (2**64 - 1) for i in ints], dtype=np.uint64)
    digits = short_codes(hi, lo)
    alphabet = np.array(list(ALPHABET))
    assert ["".join(row) for row in alphabet[digits]] == [short_code(u) for u in uuids]


@pytest.mark.slow
def test_a_million_codes_are_unique():
    """UUIDv7-shaped ids: 48-bit ms timestamps over a two-year tour, version/variant bits, random rest."""
    rng = np.random.default_rng(7)
    n = 1_000_000
    ms = rng.integers(1_788_000_000_000, 1_851_000_000_000, n, dtype=np.uint64)
    hi = (ms << np.uint64(16)) | np.uint64(0x7000) | rng.integers(0, 1 << 12, n, dtype=np.uint64)
    lo = (np.uint64(0b10) << np.uint64(62)) | rng.integers(0, 1 << 62, n, dtype=np.uint64)
    digits = short_codes(hi, lo)
    assert digits.min() >= 0 and digits.max() < len(ALPHABET)
    # pack the 10 base-30 digits back into one integer per code to count distinct codes fast
    packed = np.zeros(n, dtype=np.uint64)
    for position in range(LENGTH):
        packed = packed * np.uint64(len(ALPHABET)) + digits[:, position].astype(np.uint64)
    assert len(np.unique(packed)) == n


def test_typed_codes_are_normalised():
    code = short_code(new_uuid())
    assert normalise_typed_code(display_code(code).lower()) == code
    assert normalise_typed_code(code[:5] + "-" + code[5:]) == code
    assert normalise_typed_code("O" * LENGTH) is None
    assert re.fullmatch(r"[A-Z2-9]{5} [A-Z2-9]{5}", display_code(code))
