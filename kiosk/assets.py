"""Cached loaders for fonts, icons and images (docs/architecture.md, "Assets")."""
from __future__ import annotations

import io
from pathlib import Path

from typing import Protocol

import pygame

from kiosk.fonts import chain, custom_face
from kiosk.paths import ICON_DIR
from kiosk.ui.text import LTR, RTL, TextFont


class Language(Protocol):
    lang: str


class Assets:
    """One instance per App. Fonts follow the live language (`locale.lang`, the translator): Arabic
    text is set in Noto Sans Arabic, right to left, Latin languages in Atkinson Hyperlegible Next, and
    any script a visitor types finds its face in the fallback chain (kiosk.fonts).
    `font_path` replaces the bundled Latin face (a venue's `[kiosk] font`)."""

    def __init__(self, font_path: Path | None = None, locale: Language | None = None):
        self.font_path = Path(font_path) if font_path else None
        self.locale = locale
        self._fonts: dict[tuple[str, int, bool], TextFont] = {}
        self._chains: dict[str, tuple] = {}
        self._icons: dict[tuple[str, int, tuple[int, int, int] | None], pygame.Surface] = {}
        self._images: dict[Path, pygame.Surface] = {}

    @property
    def lang(self) -> str:
        return self.locale.lang if self.locale is not None else "fr"

    def font(self, size: int, bold: bool = False, lang: str | None = None) -> TextFont:
        """The font for text in `lang` (default: the live language) at `size` pixels."""
        lang = lang or self.lang
        faces = self._chains.get(lang)
        if faces is None:
            faces = self._chains[lang] = chain(lang, custom_face(self.font_path) if self.font_path else None)
        key = (faces[0].name, size, bold)    # languages in the same script share their fonts
        if key not in self._fonts:
            self._fonts[key] = TextFont(faces, size, bold, RTL if faces[0].rtl else LTR)
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
