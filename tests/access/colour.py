"""Colour differences as a colour-blind visitor sees them: colorspacious simulates deuteranopia,
protanopia and tritanopia (Machado, Oliveira & Fernandes 2009, full severity) and converts to CIELAB;
CIEDE2000 (Sharma, Wu & Dalal 2005) measures the difference."""
from __future__ import annotations

import numpy as np
from colorspacious import cspace_convert

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")


def seen_with(rgb, deficiency: str | None) -> np.ndarray:
    """sRGB (0-255) as seen with a deficiency at full severity (None: typical vision), as CIELAB D65."""
    srgb = np.clip(np.asarray(rgb, float) / 255, 0, 1)
    if deficiency is not None:
        srgb = np.clip(cspace_convert(srgb, {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100},
                                      "sRGB1"), 0, 1)
    return cspace_convert(srgb, "sRGB1", "CIELab")


def ciede2000(lab1, lab2) -> np.ndarray:
    L1, a1, b1 = np.moveaxis(np.asarray(lab1, float), -1, 0)
    L2, a2, b2 = np.moveaxis(np.asarray(lab2, float), -1, 0)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dL, dC = L2 - L1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(c1p * c2p == 0, 0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    dH = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    L_bar, C_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(c1p * c2p == 0, h_sum,
                     np.where(np.abs(h1p - h2p) <= 180, h_sum / 2,
                              np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(C_bar ** 7 / (C_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (L_bar - 50) ** 2 / np.sqrt(20 + (L_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * C_bar, 1 + 0.015 * C_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.sqrt((dL / s_l) ** 2 + (dC / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dC / s_c) * (dH / s_h))


def worst_distances(scale) -> tuple[float, float]:
    """(smallest difference between neighbouring classes, difference between the ends), over typical
    vision and the three deficiencies."""
    neighbours, ends = [], []
    for deficiency in (None, *DEFICIENCIES):
        lab = seen_with(scale, deficiency)
        neighbours.append(float(ciede2000(lab[:-1], lab[1:]).min()))
        ends.append(float(ciede2000(lab[0], lab[-1])))
    return min(neighbours), min(ends)
