"""Cached loaders for fonts, icons and images (docs/architecture.md, "Assets")."""
from __future__ import annotations

import io
from pathlib import Path

import pygame

from kiosk.paths import FONT_DIR, ICON_DIR

REGULAR = FONT_DIR / "atkinson-hyperlegible-regular.ttf"
BOLD = FONT_DIR / "atkinson-hyperlegible-bold.ttf"


class Assets:
    """One instance per App. Needs pygame.init() (font module) before the first call."""

    def __init__(self, font_path: Path | None = None, bold_font_path: Path | None = None):
        self.font_path = font_path or REGULAR
        self.bold_font_path = bold_font_path or BOLD
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._icons: dict[tuple[str, int, tuple[int, int, int] | None], pygame.Surface] = {}
        self._images: dict[Path, pygame.Surface] = {}

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        if key not in self._fonts:
            if not pygame.font.get_init():
                pygame.font.init()
            self._fonts[key] = pygame.font.Font(str(self.bold_font_path if bold else self.font_path), size)
        return self._fonts[key]

    def icon(self, name: str, size: int, color: tuple[int, int, int] | None = None) -> pygame.Surface:
        """An SVG icon from media/icons rendered at size x size, tinted with color (default white)."""
        key = (name, size, color)
        if key not in self._icons:
            self._icons[key] = _load_icon(name, size, color or (255, 255, 255))
        return self._icons[key]

    def image(self, path: Path) -> pygame.Surface:
        path = Path(path)
        if path not in self._images:
            self._images[path] = pygame.image.load(str(path))
        return self._images[path]


def _load_icon(name: str, size: int, color: tuple[int, int, int]) -> pygame.Surface:
    path = ICON_DIR / f"{name}.svg"
    if not path.exists():
        path = ICON_DIR / "question-mark.svg"
    svg = path.read_text(encoding="utf-8")
    # Tabler outline icons stroke with currentColor; set the colour and a bolder stroke for reading
    # at a distance before SDL_image rasterises it.
    hex_color = "#%02x%02x%02x" % color
    svg = svg.replace("currentColor", hex_color).replace('stroke-width="2"', 'stroke-width="1.75"')
    return pygame.image.load_sized_svg(io.BytesIO(svg.encode("utf-8")), (size, size))
