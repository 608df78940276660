"""Which font draws which character: one face per script, a primary face chosen per language, and a
fallback chain so that a visitor's text in any script finds a glyph (no empty box ever reaches a screen).

No pygame here: the faces are file paths and their character coverage, read from the font's cmap with
fontTools. `kiosk.ui.text` turns a chain into pygame fonts.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from kiosk.paths import FONT_DIR


@dataclass(frozen=True)
class Face:
    """One font family for one script: the HarfBuzz script tag its runs are shaped with, and whether
    the script runs right to left."""

    name: str
    regular: Path
    bold: Path | None = None          # None: bold text of this script uses the regular file
    script: str = "Latn"
    rtl: bool = False

    def path(self, bold: bool) -> Path:
        return self.bold if bold and self.bold is not None else self.regular


def _face(name: str, script: str = "Latn", *, bold: bool = False, rtl: bool = False) -> Face:
    return Face(name, FONT_DIR / f"{name}-regular.ttf", FONT_DIR / f"{name}-bold.ttf" if bold else None,
                script, rtl)


LATIN = _face("atkinson-hyperlegible-next", bold=True)        # legible at a distance; Latin, Latin Extended
NOTO = _face("noto-sans", bold=True)                          # ₂ µ, Greek, Cyrillic, Vietnamese
ARABIC = _face("noto-sans-arabic-ui", "Arab", bold=True, rtl=True)   # UI: line height as Latin text
HEBREW = _face("noto-sans-hebrew", "Hebr", rtl=True)
OTHER_SCRIPTS = (_face("noto-sans-devanagari", "Deva"), _face("noto-sans-bengali", "Beng"),
                 _face("noto-sans-tamil", "Taml"), _face("noto-sans-thai", "Thai"),
                 _face("noto-sans-armenian", "Armn"), _face("noto-sans-georgian", "Geor"),
                 _face("noto-sans-ethiopic", "Ethi"))
CJK = _face("droid-sans-fallback", "Hani")
SYMBOLS = _face("noto-sans-symbols2", "Zyyy")
EMOJI = _face("noto-emoji", "Zyyy")

FALLBACKS: tuple[Face, ...] = (LATIN, NOTO, ARABIC, HEBREW, *OTHER_SCRIPTS, EMOJI, CJK, SYMBOLS)

# The face a language's interface is set in; any language not named here reads in LATIN.
PRIMARY: dict[str, Face] = {"ar": ARABIC, "he": HEBREW}

# Drawn where no bundled font has the character: a visible sign, never an empty box.
MISSING = "\ufffd"
NARROW_NBSP, NBSP = "\u202f", "\u00a0"


def chain(lang: str, primary: Face | None = None) -> tuple[Face, ...]:
    """The faces tried for a character, in order: the language's own face first.
    `primary` replaces the Latin face (a venue's `[kiosk] font`)."""
    first = PRIMARY.get(lang.split("-")[0], primary or LATIN)
    rest = [primary] if primary is not None and first is not primary else []
    return (first, *rest, *(f for f in FALLBACKS if f not in (first, primary)))


def custom_face(path: Path) -> Face:
    """A venue's own font file as the Latin face (its bold is the same file)."""
    return Face(path.stem, Path(path))


@lru_cache(maxsize=None)
def coverage(path: Path) -> frozenset[int]:
    """The code points the font file has a glyph for."""
    font = TTFont(str(path), lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


# Characters that never need a glyph of their own: they join the run they sit in.
_JOINERS = {0x200C, 0x200D, 0xFE0E, 0xFE0F, 0x200E, 0x200F, 0x061C}


def rides_along(ch: str) -> bool:
    """Combining marks, joiners and variation selectors stay in the run of the character before them."""
    return ord(ch) in _JOINERS or unicodedata.category(ch) in ("Mn", "Me", "Cf")


def face_for(ch: str, faces: tuple[Face, ...], bold: bool = False) -> Face | None:
    """The first face of the chain with a glyph for ch (a narrow no-break space counts as present
    where the face has an ordinary no-break space: the engine substitutes it)."""
    cp = ord(ch)
    for face in faces:
        cov = coverage(face.path(bold))
        if cp in cov or (ch == NARROW_NBSP and ord(NBSP) in cov):
            return face
    return None


def missing_glyphs(text: str, faces: tuple[Face, ...], bold: bool = False) -> list[str]:
    """The characters of text that no face of the chain can draw (line breaks and tabs aside)."""
    return sorted({ch for ch in text if ch not in "\n\t" and not rides_along(ch)
                   and face_for(ch, faces, bold) is None})
