"""Colours and sizes. Text colours keep a contrast of at least 4.5:1 on their backgrounds, and every
control's outline at least 3:1 against the page and the cards it sits on (WCAG 1.4.11, non-text
contrast; both checked in tests/access/test_palette.py)."""
from __future__ import annotations

from dataclasses import dataclass

Color = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    background: Color = (16, 24, 40)        # deep night blue
    surface: Color = (30, 41, 64)           # cards, tiles
    surface_hi: Color = (44, 58, 88)        # pressed / selected
    text: Color = (245, 247, 250)
    text_muted: Color = (190, 200, 215)
    accent: Color = (255, 196, 61)          # QSEC yellow: primary buttons
    on_accent: Color = (20, 20, 30)
    good: Color = (88, 200, 120)
    warn: Color = (255, 150, 60)
    bad: Color = (235, 80, 80)
    info: Color = (90, 170, 255)
    outline: Color = (128, 144, 172)        # every control's edge: a button is seen as one without colour
    disabled: Color = (20, 28, 46)          # a control that cannot be used yet, whatever its colour: this
                                            # fill, its edge and label in text_muted (10:1)
    min_touch: int = 90                     # px on the logical canvas
    radius: int = 18
    font_small: int = 28
    font_body: int = 36
    font_title: int = 56
    font_huge: int = 96


THEME = Theme()


def relative_luminance(c: Color) -> float:
    def chan(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (chan(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Color, b: Color) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
