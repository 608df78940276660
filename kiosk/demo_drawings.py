"""Finger drawings for the simulated month (kiosk.demo_data): simple scenes on the season's theme,
drawn as a visitor would with the wall station's pen, stored as the station stores them.

A drawing is a list of strokes (palette index, [(x, y), ...]) on the wall's 1200 x 720 paper, rasterised
with round 10 px pen strokes on white, encoded as an 8-bit RGB PNG and written to
<data_dir>/attachments/<sha256>.png (stations/wall/drawing_view.py: Drawing defaults, render_drawing,
write_attachment). No pygame: plain numpy and the standard library's zlib, so it is deterministic for a
given generator state. The runtime does not import stations, hence the few constants repeated here.
"""
from __future__ import annotations

import hashlib
import os
import struct
import zlib
from pathlib import Path
from typing import Callable

import numpy as np

from eventlog.wire import attachment_path

WIDTH, HEIGHT, PEN = 1200, 720, 10                      # stations/wall/drawing.py Drawing defaults
PALETTE = ((20, 20, 30), (220, 50, 50), (40, 110, 220), (30, 150, 70), (245, 170, 0))
BLACK, RED, BLUE, GREEN, YELLOW = range(5)
Stroke = tuple[int, list[tuple[float, float]]]


# -- shapes, in a unit box scaled to (x, y, size) -------------------------------------------------
def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 28) -> list[tuple[float, float]]:
    a = np.linspace(0, 2 * np.pi, n + 1)
    return list(zip(cx + rx * np.cos(a), cy + ry * np.sin(a)))


def _rect(x: float, y: float, w: float, h: float) -> list[tuple[float, float]]:
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]


def bus(x, y, s, c) -> list[Stroke]:
    out = [(c, _rect(x, y, 1.6 * s, 0.6 * s))]
    out += [(BLUE, _rect(x + (0.1 + 0.38 * i) * s, y + 0.1 * s, 0.28 * s, 0.2 * s)) for i in range(4)]
    return out + [(BLACK, _ellipse(x + f * s, y + 0.62 * s, 0.13 * s, 0.13 * s)) for f in (0.35, 1.25)]


def tram(x, y, s, c) -> list[Stroke]:
    out = bus(x, y, s, c)[:-2]
    out.append((BLACK, [(x + 0.6 * s, y), (x + 0.8 * s, y - 0.25 * s), (x + 1.0 * s, y)]))   # pantograph
    return out + [(BLACK, [(x - 0.2 * s, y + 0.66 * s), (x + 1.8 * s, y + 0.66 * s)])]        # rail


def bike(x, y, s, c) -> list[Stroke]:
    r = 0.3 * s
    a, b = (x + r, y + 0.6 * s), (x + 1.3 * s, y + 0.6 * s)
    seat, bar, crank = (x + 0.55 * s, y + 0.2 * s), (x + 1.1 * s, y + 0.15 * s), (x + 0.75 * s, y + 0.6 * s)
    return [(BLACK, _ellipse(*a, r, r)), (BLACK, _ellipse(*b, r, r)),
            (c, [a, seat, crank, a]), (c, [seat, bar, b]), (c, [crank, (bar[0] - 0.05 * s, bar[1] + 0.1 * s)]),
            (c, [(bar[0] - 0.1 * s, bar[1]), (bar[0] + 0.12 * s, bar[1] - 0.06 * s)])]


def person(x, y, s, c) -> list[Stroke]:
    h = 0.18 * s
    hip, neck = (x, y + 0.75 * s), (x, y + 0.35 * s)
    return [(c, _ellipse(x, y + h, h, h, 18)), (c, [neck, hip]), (c, [(x - 0.25 * s, y + 0.5 * s), neck,
            (x + 0.25 * s, y + 0.5 * s)]), (c, [(x - 0.2 * s, y + 1.1 * s), hip, (x + 0.2 * s, y + 1.1 * s)])]


def crowd(x, y, s, c) -> list[Stroke]:
    out: list[Stroke] = []
    for i in range(5):
        out += person(x + 0.25 * s + 0.4 * s * i, y + 0.1 * s * (i % 2), 0.9 * s, (c, BLUE, RED, GREEN, BLACK)[i])
    return out + [(RED, [(x + 2.0 * s, y + 0.45 * s), (x + 2.4 * s, y + 0.45 * s)]),
                  (RED, [(x + 2.25 * s, y + 0.3 * s), (x + 2.4 * s, y + 0.45 * s), (x + 2.25 * s, y + 0.6 * s)])]


def house(x, y, s, c) -> list[Stroke]:
    return [(c, _rect(x, y + 0.4 * s, 0.8 * s, 0.6 * s)), (RED, [(x - 0.1 * s, y + 0.45 * s), (x + 0.4 * s, y),
            (x + 0.9 * s, y + 0.45 * s)]), (BLACK, _rect(x + 0.3 * s, y + 0.7 * s, 0.2 * s, 0.3 * s))]


def tree(x, y, s, c) -> list[Stroke]:
    return [(BLACK, [(x, y + s), (x, y + 0.5 * s)]), (GREEN, _ellipse(x, y + 0.3 * s, 0.3 * s, 0.28 * s, 20))]


def sun(x, y, s, c) -> list[Stroke]:
    out: list[Stroke] = [(YELLOW, _ellipse(x, y, 0.25 * s, 0.25 * s, 20))]
    for a in np.linspace(0, 2 * np.pi, 9)[:-1]:
        out.append((YELLOW, [(x + 0.35 * s * np.cos(a), y + 0.35 * s * np.sin(a)),
                             (x + 0.5 * s * np.cos(a), y + 0.5 * s * np.sin(a))]))
    return out


def cable_car(x, y, s, c) -> list[Stroke]:
    top, low = (x - 0.3 * s, y), (x + 2.2 * s, y + 0.5 * s)
    mid = (x + 0.9 * s, y + 0.24 * s)
    return [(BLACK, [top, low]), (BLACK, [mid, (mid[0], mid[1] + 0.25 * s)]),
            (c, _rect(mid[0] - 0.3 * s, mid[1] + 0.25 * s, 0.6 * s, 0.45 * s)),
            (BLUE, _rect(mid[0] - 0.2 * s, mid[1] + 0.33 * s, 0.4 * s, 0.15 * s))]


def boat(x, y, s, c) -> list[Stroke]:
    waves = [(x - 0.2 * s + 0.05 * s * i, y + 0.95 * s + 0.04 * s * np.sin(i)) for i in range(44)]
    return [(c, [(x, y + 0.6 * s), (x + 1.6 * s, y + 0.6 * s), (x + 1.3 * s, y + 0.9 * s), (x + 0.3 * s, y + 0.9 * s),
                 (x, y + 0.6 * s)]), (BLACK, [(x + 0.8 * s, y + 0.6 * s), (x + 0.8 * s, y - 0.2 * s)]),
            (RED, [(x + 0.8 * s, y - 0.2 * s), (x + 1.4 * s, y + 0.45 * s), (x + 0.8 * s, y + 0.45 * s)]),
            (BLUE, waves)]


def plane(x, y, s, c) -> list[Stroke]:
    return [(c, [(x, y + 0.3 * s), (x + 1.6 * s, y + 0.3 * s), (x + 1.8 * s, y + 0.4 * s), (x + 1.6 * s, y + 0.5 * s),
                 (x + 0.1 * s, y + 0.5 * s), (x, y + 0.3 * s)]),
            (c, [(x + 0.7 * s, y + 0.4 * s), (x + 1.0 * s, y - 0.1 * s), (x + 1.15 * s, y + 0.4 * s)]),
            (c, [(x + 0.1 * s, y + 0.3 * s), (x, y + 0.05 * s), (x + 0.25 * s, y + 0.3 * s)])]


def heart(x, y, s, c) -> list[Stroke]:
    t = np.linspace(0, 2 * np.pi, 40)
    hx, hy = 16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [(RED, list(zip(x + 0.4 * s + hx * 0.025 * s, y + 0.4 * s + hy * 0.025 * s)))]


def route(x, y, s, c) -> list[Stroke]:
    """A winding dashed path from a house to a star: the trip."""
    t = np.linspace(0, 1, 60)
    px, py = x + 0.8 * s + 2.4 * s * t, y + 0.9 * s + 0.35 * s * np.sin(t * 9)
    dashes = [(c, list(zip(px[i:i + 4], py[i:i + 4]))) for i in range(0, 56, 6)]
    star = [(px[-1] + 0.3 * s * np.cos(a) * (1 if k % 2 == 0 else 0.45),
             py[-1] + 0.3 * s * np.sin(a) * (1 if k % 2 == 0 else 0.45))
            for k, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 11))]
    return house(x, y + 0.3 * s, 0.8 * s, BLUE) + dashes + [(YELLOW, star)]


# Motifs that fit each wall question (config/content/wall.toml); scenes pick two or three of them.
MOTIFS: dict[str, tuple[Callable[..., list[Stroke]], ...]] = {
    "others": (bus, person, crowd, heart, bike),
    "collective": (crowd, person, tram, sun),
    "city": (house, tree, tram, bike, bus, sun),
    "dream_trip": (cable_car, route, boat, plane, bike, sun, heart),
    "cultures": (boat, plane, heart, house, person),
}


# Each motif's extent in units of its size parameter: (width, height), to fill a cell without leaving it.
EXTENT = {bus: (1.6, 0.8), tram: (2.0, 1.0), bike: (1.65, 0.95), person: (0.5, 1.1), crowd: (2.4, 1.1),
          house: (0.95, 1.0), tree: (0.6, 1.0), sun: (1.0, 1.0), cable_car: (2.5, 1.0), boat: (2.0, 1.2),
          plane: (1.8, 0.6), heart: (0.8, 0.75), route: (3.5, 1.6)}
ORIGIN = {person: (0.25, 0.0), tree: (0.3, 0.0), sun: (0.5, 0.5), plane: (0.0, 0.1)}  # drawn around (x, y)


def scene(question: str, rng: np.random.Generator) -> list[Stroke]:
    """One to three motifs side by side, as large as a finger draws them, a hand's wobble on every point."""
    motifs = MOTIFS.get(question, MOTIFS["dream_trip"])
    n = int(rng.choice([1, 2, 3], p=[0.25, 0.5, 0.25]))
    picked = rng.choice(len(motifs), size=n, replace=False)
    cell = (WIDTH - 80) / n
    strokes: list[Stroke] = []
    for i, k in enumerate(picked):
        motif = motifs[k]
        w, h = EXTENT[motif]
        size = min(cell * 0.85 / w, HEIGHT * 0.7 / h) * float(rng.uniform(0.65, 1.0))
        x = 40 + i * cell + float(rng.uniform(0.0, max(0.0, cell - w * size)))
        y = 40 + float(rng.uniform(0.0, max(0.0, HEIGHT - 140 - h * size)))
        dx, dy = ORIGIN.get(motif, (0.0, 0.0))
        x, y = x + dx * size, y + dy * size
        strokes += motif(x, y, size, int(rng.choice([BLACK, RED, BLUE, GREEN])))
    if rng.random() < 0.5:   # the ground
        strokes.append((GREEN, [(40.0, HEIGHT - 60.0), (WIDTH - 40.0, HEIGHT - 70.0)]))
    return [(c, _wobble(pts, rng)) for c, pts in strokes]


def scribble(rng: np.random.Generator) -> list[Stroke]:
    """What a toddler (or a bored teenager) leaves: loops in two colours, no theme at all."""
    out: list[Stroke] = []
    for color in rng.choice([BLACK, RED, BLUE, GREEN, YELLOW], size=2, replace=False):
        t = np.linspace(0, float(rng.uniform(6, 14)) * np.pi, 160)
        cx, cy = float(rng.uniform(350, 750)), float(rng.uniform(200, 500))
        r, drift = float(rng.uniform(60, 160)), float(rng.uniform(200, 450))
        pts = np.column_stack([cx + r * np.cos(t) + drift * t / t[-1], cy + 0.7 * r * np.sin(1.3 * t)])
        out.append((int(color), _wobble(pts, rng)))
    return out


def _wobble(points, rng: np.random.Generator) -> list[tuple[float, float]]:
    p = np.asarray(points, dtype=float)
    p = p + rng.normal(0, 2.0, p.shape)
    return [(float(min(max(x, 0), WIDTH - 1)), float(min(max(y, 0), HEIGHT - 1))) for x, y in p]


# -- raster and file ----------------------------------------------------------------------------
def rasterise(strokes: list[Stroke], width: int = WIDTH, height: int = HEIGHT, pen: int = PEN) -> np.ndarray:
    """(height, width, 3) uint8: round pen discs every 2 px along each stroke, on white paper."""
    img = np.full((height, width, 3), 255, np.uint8)
    r = pen / 2
    oy, ox = np.mgrid[-int(r):int(r) + 1, -int(r):int(r) + 1]
    disc = ox ** 2 + oy ** 2 <= r * r
    dx, dy = ox[disc], oy[disc]
    for color, points in strokes:
        p = np.asarray(points, dtype=float).reshape(-1, 2)
        if len(p) > 1:
            seg = np.diff(p, axis=0)
            steps = np.maximum(1, np.ceil(np.hypot(seg[:, 0], seg[:, 1]) / 2).astype(int))
            t = np.concatenate([np.arange(n) / n for n in steps])
            start = np.repeat(np.arange(len(seg)), steps)
            p = np.vstack([p[start] + seg[start] * t[:, None], p[-1:]])
        cx, cy = np.rint(p[:, 0]).astype(int), np.rint(p[:, 1]).astype(int)
        xs, ys = (cx[:, None] + dx).ravel(), (cy[:, None] + dy).ravel()
        keep = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
        img[ys[keep], xs[keep]] = PALETTE[color]
    return img


def encode_png(img: np.ndarray) -> bytes:
    """8-bit RGB PNG, filter 0 on every row (as stations/wall/drawing_view.encode_png)."""
    height, width, _ = img.shape
    raw = np.zeros((height, width * 3 + 1), np.uint8)
    raw[:, 1:] = img.reshape(height, width * 3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
            + chunk(b"IEND", b""))


def write_drawing(data_dir: Path | str, png: bytes) -> str:
    """Write the PNG where the wall station keeps drawings (temporary name, then rename); its SHA-256."""
    sha = hashlib.sha256(png).hexdigest()
    path = attachment_path(data_dir, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".png.tmp")
        tmp.write_bytes(png)
        os.replace(tmp, path)
    return sha
