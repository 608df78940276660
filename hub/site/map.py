"""The Île-de-France map of the tour page: département outlines from the open boundary file shipped in
hub/site/geo, projected on the server into SVG path data. No tiles, no script, nothing from elsewhere.

Projection: equirectangular around the region's mean latitude (x scaled by cos φ), which at this size
is indistinguishable from Lambert-93 and needs no library.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEOJSON = Path(__file__).with_name("geo") / "ile-de-france-departements.geojson"
WIDTH = 600.0
MARGIN = 8.0


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str                  # SVG path data
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Projection:
    lon0: float
    lat0: float
    scale: float
    height: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.lon0) * math.cos(math.radians(48.7)) * self.scale + MARGIN
        y = (self.lat0 - lat) * self.scale + MARGIN
        return round(x, 1), round(y, 1)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@lru_cache(maxsize=1)
def region() -> tuple[Projection, tuple[Shape, ...]]:
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    scale = (WIDTH - 2 * MARGIN) / ((lon1 - lon0) * math.cos(math.radians(48.7)))
    project = Projection(lon0, lat1, scale, round((lat1 - lat0) * scale + 2 * MARGIN, 1))
    shapes = []
    for feature in sorted(features, key=lambda f: f["properties"]["code"]):
        rings = _rings(feature["geometry"])
        path = " ".join("M" + " L".join(f"{x} {y}" for x, y in (project(*p) for p in ring)) + " Z" for ring in rings)
        outer = [project(*p) for p in rings[0]]
        # the label sits at the outline's mean point: good enough for these compact shapes
        cx, cy = sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer)
        shapes.append(Shape(feature["properties"]["code"], feature["properties"]["nom"], path,
                            round(cx, 1), round(cy, 1)))
    return project, tuple(shapes)
