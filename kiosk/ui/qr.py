"""QR codes drawn with pygame: the matrix comes from the `qrcode` library, the pixels from numpy.

Each module is an integer number of pixels (no smoothing) and the 4-module quiet zone of ISO/IEC 18004
is kept white, so phone cameras read it from a metre away on a glossy screen.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pygame
import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4


@lru_cache(maxsize=64)
def qr_matrix(data: str) -> np.ndarray:
    """Dark modules as a bool array (rows, cols) without the quiet zone."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(data)
    qr.make(fit=True)
    return np.array(qr.get_matrix(), dtype=bool)


@lru_cache(maxsize=32)
def qr_surface(data: str, size: int) -> pygame.Surface:
    """A square surface of at most `size` px: black modules on white with the quiet zone."""
    matrix = qr_matrix(data)
    modules = matrix.shape[0] + 2 * QUIET_ZONE
    scale = max(1, size // modules)
    padded = np.pad(matrix, QUIET_ZONE, constant_values=False)
    pixels = np.where(np.kron(padded, np.ones((scale, scale), dtype=bool)), 0, 255).astype(np.uint8)
    rgb = np.repeat(pixels.T[:, :, None], 3, axis=2)   # surfarray is indexed [x, y]
    return pygame.surfarray.make_surface(rgb)
