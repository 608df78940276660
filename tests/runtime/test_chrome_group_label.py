"""The school group's label sits in the chrome's own top-right box (under FR/EN, or alone with one
language): it never covers what a station draws, however long the class label."""
from __future__ import annotations

import pygame
import pytest

from kiosk.app import App
from kiosk.chrome import Chrome
from tests.runtime.fakes import CLASSES


class FakeGroup:
    active = True

    def __init__(self, banner: str):
        self.banner = banner

    def update(self, dt) -> None:
        pass


class NoOverlay:
    def handle_event(self, ev) -> bool:
        return False

    def draw(self, surface) -> None:
        pass

    def update(self, dt) -> None:
        pass


def _changed_pixels(before: pygame.Surface, after: pygame.Surface) -> list[tuple[int, int]]:
    w, h = before.get_size()
    return [(x, y) for x in range(0, w, 2) for y in range(0, h, 2) if before.get_at((x, y)) != after.get_at((x, y))]


@pytest.mark.parametrize("languages", [["fr", "en"], ["fr"]])
@pytest.mark.parametrize("banner", ["Groupe · collège", "Groupe Atelier du mercredi après-midi CM2 B · élémentaire"])
def test_group_label_stays_in_the_chromes_corner(config, languages, banner):
    pygame.init()
    app = App(config, headless=True, classes=CLASSES)
    try:
        app.ctx.i18n.languages = languages
        chrome = Chrome(app.ctx, FakeGroup(""), NoOverlay())
        app.nav.screen_name = "calm"                      # a station: home button, FR/EN
        canvas = pygame.Surface(config.canvas_size)
        without = canvas.copy()
        chrome.draw(without)
        chrome.groups = FakeGroup(banner)
        with_label = canvas.copy()
        chrome.draw(with_label)
        changed = _changed_pixels(without, with_label)
        assert changed, "the label is drawn"
        box = chrome.language.rect
        assert all(box.collidepoint(p) for p in changed)
        assert box.height >= 90 and box.width >= 90   # the switch keeps its touch size
    finally:
        app.shutdown()
