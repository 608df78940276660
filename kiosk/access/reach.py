"""The screen as it is mounted: how high above the floor each row of the canvas is.

A 16:9 panel of `diagonal_in` inches whose lower edge is `bottom_m` above the floor, leaning back to
`tilt_deg` from the horizontal (90: upright), shows the logical canvas (1920x1080 or 1080x1920) over its
whole surface. Visitor controls belong between reach_low_m and
reach_high_m (0.90-1.30 m: the band for controls in French public buildings, reachable seated); layouts
ask `band()` where that is on the canvas and put the scene above it rather than the controls."""
from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.access.settings import DisplaySettings

INCH_M = 0.0254


@dataclass(frozen=True)
class Reach:
    canvas_size: tuple[int, int]
    display: DisplaySettings

    @property
    def panel_height_m(self) -> float:
        """The panel's height as mounted: its long side in portrait, its short side in landscape."""
        w, h = self.canvas_size
        diagonal = self.display.diagonal_in * INCH_M
        return diagonal * (16 if h > w else 9) / math.hypot(16, 9)

    @property
    def metres_per_px(self) -> float:
        """Height gained per canvas row: a panel leaning back rises less than it is long."""
        return self.panel_height_m * math.sin(math.radians(self.display.tilt_deg)) / self.canvas_size[1]

    def height_m(self, y: float) -> float:
        """Height above the floor of canvas row y (0 = the top of the screen)."""
        return self.display.bottom_m + (self.canvas_size[1] - y) * self.metres_per_px

    def y_at(self, height_m: float) -> float:
        return self.canvas_size[1] - (height_m - self.display.bottom_m) / self.metres_per_px

    def band(self) -> tuple[int, int]:
        """Canvas rows (top, bottom) between which every visitor control must lie, clipped to the screen."""
        top = math.ceil(self.y_at(self.display.reach_high_m))
        bottom = math.floor(self.y_at(self.display.reach_low_m))
        return max(0, top), min(self.canvas_size[1], bottom)

    @classmethod
    def of(cls, config) -> "Reach":
        """The reach of a KioskConfig (a station's `ctx.kiosk`)."""
        return cls(config.canvas_size, config.display)

    def control_heights(self, rect) -> tuple[float, float]:
        """(lowest, highest) height above the floor of a control's rectangle, metres."""
        return self.height_m(rect.bottom), self.height_m(rect.top)

    def within(self, rect, tolerance_px: int = 0) -> bool:
        top, bottom = self.band()
        return rect.top >= top - tolerance_px and rect.bottom <= bottom + tolerance_px
