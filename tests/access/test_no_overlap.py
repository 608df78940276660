"""No control covers another: on every visitor screen, in every configured language, landscape and portrait,
a finger aimed at one button never lands on its neighbour (« Écouter » once covered the agenda's
« La tournée » tab in every language)."""
from __future__ import annotations

import itertools

import pytest

from kiosk.access.controls import AREA
from tests.access.driver import VENUES
from tests.access.test_reach import screens


def controls_on_top_of_each_other(v) -> list[str]:
    buttons = [c for c in v.controls if c.kind != AREA]
    return [f"{a.name!r} {tuple(a.rect)} and {b.name!r} {tuple(b.rect)}"
            for a, b in itertools.combinations(buttons, 2) if a.rect.colliderect(b.rect)]


@pytest.mark.parametrize("venue", sorted(VENUES))
def test_no_visitor_control_covers_another_in_any_language(visitor, venue):
    v = visitor(venue)
    problems = {}
    for lang in v.app.config.languages:
        v.app.nav.end_visit("test")                 # back to the attract loop, then the visitor's language
        v.app.ctx.i18n.set_language(lang)
        v.frames(2)
        for name, found in screens(v, controls_on_top_of_each_other):
            if found:
                problems[f"{lang} {name}"] = found
    assert not problems, "; ".join(f"{k}: {', '.join(p)}" for k, p in problems.items())


@pytest.mark.parametrize("venue", sorted(VENUES))
def test_the_home_menus_title_stays_clear_of_the_chrome_in_every_language(visitor, venue):
    """« اختر نشاطًا » once ran under the calm toggle and « Écouter » (read from the right, it was
    placed against the language menu)."""
    v = visitor(venue)
    v.key("return")
    assert v.screen == "home"
    chrome = v.app.chrome
    taken = [chrome.calm.rect, chrome.listen.rect, chrome.language.rect, chrome.home.rect]
    for lang in v.app.config.languages:
        v.app.ctx.i18n.set_language(lang)
        v.frames(2)
        title = v.app.nav.screen.title_rect
        assert title.width > 0 and title.right <= v.canvas.get_width(), lang
        assert not any(title.colliderect(r) for r in taken), (lang, tuple(title), [tuple(r) for r in taken])
