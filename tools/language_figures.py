"""The figures of the languages work, measured on the tree as it is (`python -m tools.language_figures`):

  1. straight apostrophes in French strings a visitor may read (code messages, catalogs, content files);
  2. breakable spaces before : ; ? ! » (or after «) in them;
  3. numbers written the French way in English strings (« 10,6 », « PM2,5 », "35 %"), and what Babel writes;
  4. characters of visitors' own texts (Arabic, Hebrew, Chinese, Tamil, emoji, combining marks…) that no
     bundled face can draw (each would be an empty box), and the same for every shipped string;
  5. a 280-character word in the wall's compose box and on the moderation card: lines and widest line.
"""
from __future__ import annotations

import datetime
import os
import re
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from kiosk import formats  # noqa: E402
from kiosk.assets import Assets  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.fonts import chain, missing_glyphs  # noqa: E402
from kiosk.i18n import LOCALE_DIR, Translator, parse_po  # noqa: E402
from kiosk.ui import THEME, wrap_text  # noqa: E402
from tests.i18n.sources import catalog_msgids, code_strings, content_texts  # noqa: E402

STRAIGHT_APOSTROPHE = re.compile(r"(?<=\w)'(?=[\w{])")
BREAKABLE_BEFORE_HIGH = re.compile(r" [;:!?»]|« ")
FRENCH_NUMBER = re.compile(r"\d,\d|PM2,5|\d %")
VISITORS = {   # what visitors write on the wall, one sample per script or trap
    "Arabic": "الطريق مزدحم كل صباح", "Hebrew": "הרכבת מלאה בבוקר", "Chinese": "地铁太挤了", "Tamil": "பேருந்து",
    "Cyrillic": "Метро", "Romanian": "Mașină, țară", "Turkish": "Dolmuş, ğ", "emoji": "🚲🚇❤️👍🏽",
    "combining": "é (e\u0301), n\u0303", "CO₂ and NNBSP": "CO₂ 35\u202f%",
}


def _count(strings: list[tuple[str, str]], pattern: re.Pattern) -> tuple[int, int]:
    texts = {text for _, text in strings}
    return sum(1 for text in texts if pattern.search(text)), len(texts)


def main() -> int:
    code = list(code_strings())
    msgids = list(catalog_msgids())
    content = list(content_texts("fr"))
    for name, pattern in (("1. straight apostrophes", STRAIGHT_APOSTROPHE), ("2. breakable space before : ; ? ! »", BREAKABLE_BEFORE_HIGH)):
        print(f"{name}: code messages {'%d of %d' % _count(code, pattern)}, catalog msgids "
              f"{'%d of %d' % _count(msgids, pattern)}, content texts {'%d of %d' % _count(content, pattern)}")

    english = [(po.name, text) for po in sorted((LOCALE_DIR / "en" / "LC_MESSAGES").glob("*.po"))
               for text in parse_po(po.read_text(encoding="utf-8")).values()] + list(content_texts("en"))
    bad = sorted({text for _, text in english if FRENCH_NUMBER.search(text)})
    print(f"3. English strings with a French number format: {len(bad)} of {len({t for _, t in english})}"
          + "".join(f"\n     {t!r}" for t in bad[:10]))
    for lang in load_config(None).languages:
        print(f"     {lang:8} {formats.number(10.6, lang, 1)} µg/m³ · {formats.percent(35, lang)} · "
              f"{formats.number(1234, lang)} · {formats.day(datetime.date(2026, 12, 9), lang)}")

    for lang in load_config(None).languages:
        faces = chain(lang)
        lacking = {script: missing_glyphs(text, faces) for script, text in VISITORS.items()}
        lacking = {k: v for k, v in lacking.items() if v}
        print(f"4. {lang:8} characters of visitors' samples no face draws: {sum(map(len, lacking.values()))}"
              + (f" {lacking}" if lacking else ""))
    print("   shipped strings: tests/i18n/test_glyphs.py checks each language's (0 when it passes)")

    pygame.init()
    assets = Assets("", locale=Translator(["fr"], default="fr"))
    word = "x" * 280
    # the text's width inside each box (stations/wall/compose_view.py, moderation.py)
    for place, font, width in (("compose box (landscape)", assets.font(THEME.font_body), 1920 - 240 - 40),
                               ("compose box (portrait)", assets.font(THEME.font_body), 1080 - 80 - 40),
                               ("moderation card", assets.font(THEME.font_body + 4), 1920 - 120 - 60)):
        lines = wrap_text(font, word, width)
        widest = max(font.size(line)[0] for line in lines)
        print(f"5. a 280-character word in the {place}: {len(lines)} lines, widest {widest} px of {width} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
