"""Where things go on the canvas, landscape (1920x1080) or portrait (1080x1920).

The top 120 px are the runtime's (home button, language switch); touch targets are at least 90 px.
In Arabic the rows of buttons start from the right; the road, the ring and the charts keep their direction.
The read-out box holds three lines of the headline font plus the figures line; the road starts below it,
so no summary ever runs onto the ring (readout.py shrinks the font of a longer text to fit the box).
"""
from __future__ import annotations

import pygame

from kiosk.ui import mirrored

GAP = 12
ROAD_MIN = 400       # px: the ring's room on a portrait screen, above the chrome


def _split(row: pygame.Rect, n: int, rtl: bool = False) -> list[pygame.Rect]:
    """n buttons along the row, the first on the left, or on the right in a right-to-left language."""
    if n <= 0:
        return []
    width = (row.width - GAP * (n - 1)) // n
    return [mirrored((row.left + k * (width + GAP), row.top, width, row.height), row, rtl) for k in range(n)]


class Layout:
    def __init__(self, size: tuple[int, int], chrome: pygame.Rect | None = None, band_bottom: int | None = None,
                 group_panel: pygame.Rect | None = None):
        """`chrome` is the runtime's row of buttons and `band_bottom` the lowest row within reach: on a
        portrait totem the controls go under the chrome, in the reach band, and the road above it.
        `group_panel` is where a school group's goal strip goes (kiosk.groups.panel): on a portrait
        screen it covers the title, never the read-out."""
        w, h = size
        self.portrait = h > w
        self.title_pos = (240, 30)
        self.title_width = w - 236 - 24 - self.title_pos[0]     # clear of the language switch
        if not self.portrait:
            self.readout = pygame.Rect(40, 124, 1020, 176)
            self.road = pygame.Rect(20, 304, 1040, 522)
            self.legend = pygame.Rect(60, 834, 960, 30)
            self.space_time = pygame.Rect(1090, 126, 810, 360)
            self.fundamental = pygame.Rect(1090, 500, 810, 376)
            self.rows = (pygame.Rect(20, 888, w - 40, 90), pygame.Rect(20, 986, w - 40, 90))
        elif chrome is not None and chrome.top > h // 3:
            self.title_pos = (40, 30)
            self.title_width = w - 80
            top = max(110, group_panel.bottom + 8 if group_panel is not None else 0)
            self.readout = pygame.Rect(40, top, w - 80, 176)
            self.rows = (pygame.Rect(20, chrome.bottom + 8, w - 40, 96), pygame.Rect(20, chrome.bottom + 112, w - 40, 110))
            if chrome.top - self.readout.bottom >= ROAD_MIN + 92 + 270:
                # a tall room above the chrome (a totem): the ring, the legend and the space-time chart there
                self.space_time = pygame.Rect(80, chrome.top - 270, w - 120, 240)   # its axis's name on two lines
                self.legend = pygame.Rect(60, self.space_time.top - 92, w - 120, 30)   # the chart's title between
                below = max(self.rows[1].bottom + 16, (band_bottom or h) - 200)
            else:
                # a higher chrome: the ring above it, both charts (only read) under the controls
                self.legend = pygame.Rect(60, chrome.top - 70, w - 120, 30)
                self.space_time = pygame.Rect(80, self.rows[1].bottom + 24, w - 120, 240)
                below = self.space_time.bottom + 24
            self.road = pygame.Rect(20, self.readout.bottom + 4, w - 40, self.legend.top - 12 - self.readout.bottom)
            self.fundamental = pygame.Rect(40, below, w - 80, h - 16 - below)
        else:
            top = max(124, group_panel.bottom + 8 if group_panel is not None else 0)
            self.readout = pygame.Rect(40, top, w - 80, 176)
            self.road = pygame.Rect(20, self.readout.bottom + 4, w - 40, 944 - self.readout.bottom - 4)
            self.legend = pygame.Rect(60, 952, w - 120, 30)
            self.space_time = pygame.Rect(40, 1010, w - 80, 320)
            self.fundamental = pygame.Rect(40, 1342, w - 80, 330)
            self.rows = (pygame.Rect(20, 1694, w - 40, 96), pygame.Rect(20, 1800, w - 40, 110))

    def split_road(self) -> tuple[pygame.Rect, pygame.Rect]:
        """(ring, text): a ring as tall as the road on its right, a text column on its left."""
        r = self.road
        side = min(r.height, int(r.width * 0.55))
        ring = pygame.Rect(r.right - side, r.top, side, r.height)
        text = pygame.Rect(r.left + 20, r.top + 10, ring.left - r.left - 40, r.height - 20)
        return ring, text

    def scenario_buttons(self, n: int, rtl: bool = False) -> list[pygame.Rect]:
        return _split(self.rows[0], n, rtl)

    def control_buttons(self, n: int, rtl: bool = False) -> list[pygame.Rect]:
        return _split(self.rows[1], n, rtl)
