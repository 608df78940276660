"""The text engine: Arabic shaped as HarfBuzz shapes it, runs in bidi order, a face for every script a
visitor may type, a visible sign where no font has the character, long words broken inside their box."""
from __future__ import annotations

import pygame
import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from kiosk.fonts import ARABIC, CJK, EMOJI, HEBREW, LATIN, MISSING, NOTO, chain
from kiosk.ui import wrap_text
from kiosk.ui.text import AUTO, LTR, RTL, TextFont, paragraph_direction

SIZE = 48
WHITE = (255, 255, 255)
# "peace", "welcome", "congestion", "density", "flow", "evacuation"
WORDS = ["سلام", "مرحبا", "الازدحام", "كثافة", "تدفق", "إخلاء"]


@pytest.fixture(scope="module")
def harfbuzz():
    blob = hb.Blob.from_file_path(str(ARABIC.regular))
    face = hb.Face(blob)
    return face, hb.Font(face)


def _shape(font, text):
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return buf


def _iou(a: pygame.Surface, b: pygame.Surface) -> float:
    w, h = max(a.get_width(), b.get_width()), max(a.get_height(), b.get_height())
    masks = []
    for s in (a, b):
        canvas = pygame.Surface((w, h), pygame.SRCALPHA)
        canvas.blit(s, (0, 0))
        masks.append(pygame.mask.from_surface(canvas))
    inter = masks[0].overlap_area(masks[1], (0, 0))
    return inter / (masks[0].count() + masks[1].count() - inter)


@pytest.mark.parametrize("word", WORDS)
def test_arabic_words_are_drawn_as_harfbuzz_shapes_them(word, harfbuzz):
    """HarfBuzz's glyph run for the word (contextual forms, lam-alef ligatures, right to left) drawn
    glyph by glyph in visual order is what the engine draws; the letters left unshaped are not."""
    pygame.font.init()
    face, font = harfbuzz
    run = _shape(font, word)
    tt = TTFont(str(ARABIC.regular))
    codepoint_of = {}
    for cp, name in tt.getBestCmap().items():
        codepoint_of.setdefault(tt.getGlyphID(name), cp)
    names = [tt.getGlyphName(g.codepoint) for g in run.glyph_infos]
    assert run.direction == "rtl" and any(n.startswith("uniFE") for n in names), names   # joined forms
    reference = "".join(chr(codepoint_of[g.codepoint]) for g in run.glyph_infos)
    plain = pygame.font.Font(str(ARABIC.regular), SIZE)
    ours = TextFont(chain("ar"), SIZE, direction=RTL).render(word, True, WHITE)
    advance = sum(p.x_advance for p in run.glyph_positions) * SIZE / face.upem
    assert abs(ours.get_width() - advance) <= 1.5
    assert _iou(ours, plain.render(reference, True, WHITE)) >= 0.7
    assert _iou(ours, plain.render(word, True, WHITE)) <= 0.3      # what an unshaped render looks like


def test_bidi_order_of_runs():
    font = TextFont(chain("ar"), 36, direction=RTL)
    runs = font.layout("نسبة CO₂ في الهواء")      # "the share of CO₂ in the air"
    assert [r.rtl for r in runs][0] and runs[-1].text.startswith("نسبة")   # the sentence starts on the right
    latin = [r for r in runs if not r.rtl]
    assert "".join(r.text for r in latin).strip() == "CO₂"                 # CO₂ itself reads left to right
    assert {r.face for r in runs} >= {ARABIC}
    numbers = font.layout("20 كم")
    assert numbers[-1].text.strip() == "20" and not numbers[-1].rtl        # the number first, on the right


def test_fallback_faces_by_script():
    font = TextFont(chain("fr"), 36)
    assert [(r.text, r.face) for r in font.layout("CO₂")] == [("CO", LATIN), ("₂", NOTO)]
    assert font.layout("Bonjour")[0].face is LATIN and len(font.layout("Bonjour")) == 1
    faces = {r.face for text in ("שלום", "你好", "🚲", "Привет") for r in font.layout(text, AUTO)}
    assert {HEBREW, CJK, EMOJI, NOTO} <= faces
    assert MISSING in "".join(r.text for r in font.layout("a\U000E0100\U0001D800b"))   # no font has it: a sign


def test_direction_of_a_visitors_paragraph():
    assert paragraph_direction("مرحبا Paris") == RTL
    assert paragraph_direction("Paris مرحبا") == LTR
    assert paragraph_direction("123 !", default=RTL) == RTL


def test_narrow_no_break_space_where_the_font_lacks_it():
    font = TextFont(chain("fr"), 36)
    (run,) = font.layout("Dans la salle\u202f: 979")
    assert run.text == "Dans la salle\u00a0: 979" and run.face is LATIN


def test_a_long_word_breaks_inside_its_box():
    font = TextFont(chain("fr"), 36)
    lines = wrap_text(font, "Bonjour " + "a" * 280 + " fin", 600)
    assert all(font.size(line)[0] <= 600 for line in lines)
    assert "".join(lines).replace(" ", "") == "Bonjour" + "a" * 280 + "fin"


def test_mixed_line_keeps_one_baseline():
    font = TextFont(chain("fr"), 36)
    image = font.render("Le CO₂ monte", True, WHITE)
    assert image.get_height() >= font.get_height() and image.get_width() == font.size("Le CO₂ monte")[0]
    assert font.render("Le CO₂ monte", True, WHITE, direction=LTR).get_size() == image.get_size()
