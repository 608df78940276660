"""Text in any script: shaped by SDL_ttf's HarfBuzz, put in visual order by the Unicode bidi algorithm.

A `TextFont` stands where a `pygame.font.Font` stood (`render`, `size`, `get_linesize`…). It cuts a
line into runs — one font face and one direction each — draws each run with HarfBuzz told its script
and direction (Arabic letters take their joined forms, marks sit on their letters), and lays the runs
out in the order the bidi algorithm gives (python-bidi's implementation of UAX #9: an Arabic sentence
reads from the right, the number or the Latin word inside it from the left).

Text entirely in the primary face and left to right takes one `Font.render`, as before.
"""
from __future__ import annotations

import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

import pygame
from bidi import algorithm as uax9
from bidi import get_base_level

from kiosk.fonts import MISSING, NARROW_NBSP, NBSP, Face, coverage, face_for, rides_along

_RTL_CLASSES = {"R", "AL", "AN", "RLE", "RLO", "RLI"}
LTR, RTL, AUTO = "ltr", "rtl", "auto"
_LAYOUT_CACHE = 4096


@dataclass(frozen=True)
class Run:
    """Characters drawn with one face in one direction (text in logical order)."""

    text: str
    face: Face
    rtl: bool


def paragraph_direction(text: str, default: str = LTR) -> str:
    """The direction of a paragraph from its first strong character (as HTML's dir="auto")."""
    if not any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in text):
        return default
    return RTL if get_base_level(text) == 1 else LTR


def _levels(text: str, direction: str) -> list[int]:
    """UAX #9 embedding levels (rules up to I2) of each character."""
    storage = uax9.get_empty_storage()
    base = 1 if direction == RTL else 0 if direction == LTR else get_base_level(text)
    storage["base_level"], storage["base_dir"] = base, ("L", "R")[base]
    uax9.get_embedding_levels(text, storage)
    for rule in (uax9.explicit_embed_and_overrides, uax9.resolve_weak_types, uax9.resolve_neutral_types,
                 uax9.resolve_implicit_levels):
        rule(storage, False)
    return [c["level"] for c in storage["chars"]]


def _visual_order(runs: list[tuple[Run, int]]) -> list[Run]:
    """UAX #9 rule L2 on whole runs: from the highest level down to the lowest odd one, reverse every
    stretch of runs at that level or above."""
    if not runs:
        return []
    levels = [lvl for _, lvl in runs]
    order = list(range(len(runs)))
    lowest_odd = min(lvl for lvl in levels if lvl % 2) if any(lvl % 2 for lvl in levels) else None
    if lowest_odd is not None:
        for level in range(max(levels), lowest_odd - 1, -1):
            i = 0
            while i < len(order):
                if levels[order[i]] >= level:
                    j = i
                    while j < len(order) and levels[order[j]] >= level:
                        j += 1
                    order[i:j] = reversed(order[i:j])
                    i = j
                else:
                    i += 1
    return [runs[k][0] for k in order]


class TextFont:
    """A font chain at one size: the language's face first, then fallbacks for any other script."""

    def __init__(self, faces: tuple[Face, ...], size: int, bold: bool = False, direction: str = LTR):
        self.faces, self.point_size, self.bold, self.direction = faces, size, bold, direction
        self._fonts: dict[Face, pygame.font.Font] = {}
        self._layouts: OrderedDict[tuple[str, str], tuple[Run, ...]] = OrderedDict()
        self.primary = self._font(faces[0])
        self._primary_cov = coverage(faces[0].path(bold))
        self._narrow_ok = ord(NARROW_NBSP) in self._primary_cov

    def _font(self, face: Face) -> pygame.font.Font:
        font = self._fonts.get(face)
        if font is None:
            if not pygame.font.get_init():
                pygame.font.init()
            font = pygame.font.Font(str(face.path(self.bold)), self.point_size)
            font.set_script(face.script)
            self._fonts[face] = font
        return font

    # -- layout ----------------------------------------------------------------------------------------
    def layout(self, text: str, direction: str | None = None) -> tuple[Run, ...]:
        """The runs of one line in visual order (left to right on screen)."""
        key = (text, direction or self.direction)
        runs = self._layouts.get(key)
        if runs is None:
            runs = self._layout(*key)
            self._layouts[key] = runs
            if len(self._layouts) > _LAYOUT_CACHE:
                self._layouts.popitem(last=False)
        return runs

    def _layout(self, text: str, direction: str) -> tuple[Run, ...]:
        if not self._narrow_ok:
            text = text.replace(NARROW_NBSP, NBSP)   # the face has no narrow one: an ordinary no-break space
        primary = self.faces[0]
        if direction != RTL and not primary.rtl and self._primary_cov.issuperset(map(ord, text)):
            return (Run(text, primary, False),)     # everything in the primary face, left to right
        chars, faces = self._assign_faces(text)
        text = "".join(chars)
        needs_bidi = direction == RTL or any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)
        levels = _levels(text, direction) if needs_bidi else [0] * len(text)
        runs: list[tuple[Run, int]] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or faces[i] is not faces[start] or levels[i] != levels[start]:
                runs.append((Run(text[start:i], faces[start], levels[start] % 2 == 1), levels[start]))
                start = i
        return tuple(_visual_order(runs))

    def _assign_faces(self, text: str) -> tuple[list[str], list[Face]]:
        """Each character's face: marks and joiners keep the face before them, neutral characters
        (spaces, digits, punctuation) too when it has them; others take the first face that has them."""
        chars: list[str] = []
        faces: list[Face] = []
        prev: Face | None = None
        for ch in text:
            face = None
            if prev is not None and (rides_along(ch) or (
                    not unicodedata.category(ch).startswith("L") and ord(ch) in coverage(prev.path(self.bold)))):
                face = prev
            if face is None:
                face = face_for(ch, self.faces, self.bold)
            if face is None:
                ch, face = MISSING, face_for(MISSING, self.faces, self.bold) or self.faces[0]
            if ch == NARROW_NBSP and ord(ch) not in coverage(face.path(self.bold)):
                ch = NBSP
            chars.append(ch)
            faces.append(face)
            prev = face
        return chars, faces

    # -- pygame.font.Font's interface -------------------------------------------------------------------
    def _prepared(self, run: Run) -> pygame.font.Font:
        font = self._font(run.face)
        font.set_direction(pygame.DIRECTION_RTL if run.rtl else pygame.DIRECTION_LTR)
        return font

    def _metrics(self, runs: tuple[Run, ...]) -> tuple[int, int]:
        """(ascent, descent) of a line: the primary face's, grown by any fallback face it uses."""
        fonts = [self.primary] + [self._font(r.face) for r in runs]
        return max(f.get_ascent() for f in fonts), max(-f.get_descent() for f in fonts)

    def size(self, text: str, direction: str | None = None) -> tuple[int, int]:
        runs = self.layout(text, direction)
        if len(runs) == 1 and runs[0].face is self.faces[0]:
            return self._prepared(runs[0]).size(runs[0].text)
        ascent, descent = self._metrics(runs)
        return sum(self._prepared(r).size(r.text)[0] for r in runs), ascent + descent

    def render(self, text: str, antialias: bool, color, background=None,
               direction: str | None = None) -> pygame.Surface:
        runs = self.layout(text, direction)
        if len(runs) == 1 and runs[0].face is self.faces[0]:
            return self._prepared(runs[0]).render(runs[0].text, antialias, color, background)
        pieces = [(self._font(r.face), self._prepared(r).render(r.text, antialias, color, background)) for r in runs]
        ascent, descent = self._metrics(runs)
        out = pygame.Surface((max(1, sum(p.get_width() for _, p in pieces)), ascent + descent), pygame.SRCALPHA)
        # Transparent pixels of the colour itself, so that antialiased edges blend towards it, not black.
        out.fill((*color[:3], 0) if background is None else background)
        x = 0
        for font, piece in pieces:
            out.blit(piece, (x, ascent - font.get_ascent()))
            x += piece.get_width()
        return out

    def get_linesize(self) -> int:
        return self.primary.get_linesize()

    def get_height(self) -> int:
        return self.primary.get_height()

    def get_ascent(self) -> int:
        return self.primary.get_ascent()

    def get_descent(self) -> int:
        return self.primary.get_descent()

    def metrics(self, text: str):
        return self.primary.metrics(text)
