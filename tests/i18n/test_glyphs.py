"""No empty box reaches a visitor: every string of every language the kiosk ships (code, catalogs,
content files) has a glyph for each character in the fonts chosen for that language."""
from __future__ import annotations

import pytest

from kiosk.fonts import LATIN, NOTO, SYMBOLS, chain, face_for, missing_glyphs, rides_along
from kiosk.i18n import LOCALE_DIR, available_languages, parse_po
from tests.i18n.sources import code_strings, content_texts


def _strings(lang: str) -> list[tuple[str, str]]:
    found = list(content_texts(lang))
    if lang == "fr":
        return found + list(code_strings())
    for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        found += [(str(po.name), text) for text in parse_po(po.read_text(encoding="utf-8")).values()]
    return found


@pytest.mark.parametrize("lang", available_languages())
@pytest.mark.parametrize("bold", [False, True])
def test_every_string_has_its_glyphs(lang, bold):
    faces = chain(lang)
    strings = _strings(lang)
    assert len(strings) > 100
    missing = [f"{where}: {text!r} lacks {missing_glyphs(text, faces, bold)}"
               for where, text in strings if missing_glyphs(text, faces, bold)]
    assert not missing, "\n".join(missing[:30])
    # and the interface reads in its own faces, not in a visitor's fallbacks (CJK, emoji…)
    allowed = {faces[0], LATIN, NOTO, SYMBOLS}
    strays = sorted({f"{ch!r} U+{ord(ch):04X} in {face_for(ch, faces, bold).name}"
                     for _, text in strings for ch in text
                     if ch not in "\n\t" and not rides_along(ch) and face_for(ch, faces, bold) not in allowed})
    assert not strays, strays


def test_every_key_of_the_on_screen_keyboards_has_its_glyph():
    from kiosk.ui.keys import LAYOUTS, LETTER_LAYOUT_FOR_LANGUAGE

    for lang, letters in LETTER_LAYOUT_FOR_LANGUAGE.items():
        for layer in (letters, "accents", "symbols"):
            keys = "".join(k for row in LAYOUTS[layer] for k in row)
            assert not missing_glyphs(keys, chain(lang)), (lang, layer, missing_glyphs(keys, chain(lang)))
