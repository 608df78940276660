"""The mediator's groups page (counters, class label, what can be started) and the English catalogue."""
from __future__ import annotations

import os
import re
import string

import pygame

from kiosk.groups.activities import LEVELS
from kiosk.i18n import parse_po
from kiosk.input import DOWN, TEXT, UP, InputEvent
from kiosk.paths import LOCALE_DIR, PROJECT_ROOT
from kiosk.screens.groups import GroupsPage
from tests.groups.test_lifecycle import boot, step

SOURCES = ["kiosk/groups/views.py", "kiosk/groups/manager.py", "kiosk/screens/groups.py"]


def press(page, rect, hold_s: float = 0.0) -> None:
    page.handle_event(InputEvent(DOWN, pos=rect.center))
    t = 0.0
    while t < hold_s:
        page.update(1 / 60)
        t += 1 / 60
    page.handle_event(InputEvent(UP, pos=rect.center))


def test_page_counters_label_and_start(config):
    app = boot(config)
    try:
        page = GroupsPage(app.nav.page_context("groups"))
        canvas = pygame.Surface(app.canvas_size)
        page.draw(canvas)
        assert not page.can_start()
        press(page, page.pupils.plus.rect)
        assert page.pupils.value == 26
        press(page, page.pupils.minus.rect, hold_s=0.45 + 0.08 * 10 + 0.01)   # one, then 11 repeats
        assert page.pupils.value == 26 - 12
        for _ in range(120):
            press(page, page.adults.minus.rect)
        assert page.adults.value == 0                                           # never below zero
        press(page, dict(page.level_buttons)["elementaire"].rect)
        press(page, dict(page.preset_buttons)["CM2"].rect)                     # a preset opens the keyboard
        assert page.editing
        page.handle_event(InputEvent(TEXT, text="B<3 Léo & co"))
        press(page, page.keyboard_ok.rect)
        assert page.label == "CM2 B3 Léo"          # 12 characters typed at most, then cleaned
        page.draw(canvas)
        press(page, dict((a.id, b) for a, b in page.activity_buttons)["crowds"].rect)
        assert page.can_start()
        press(page, dict(page.level_buttons)["maternelle"].rect)               # not written for maternelle
        assert page.activity_id is None and not page.can_start()
        press(page, dict(page.level_buttons)["elementaire"].rect)
        press(page, dict((a.id, b) for a, b in page.activity_buttons)["crowds"].rect)
        app.nav.open_mediator_menu()
        press(page, page.start_button.rect)
        manager = app.groups
        assert manager.active and manager.group.pupils == 14 and manager.group.adults == 0
        assert app.nav.screen_name == "group" and not app.nav.in_mediator
        page.draw(canvas)                                                       # the page while a group is on
        press(page, page.end_button.rect)
        assert manager.active                                                   # first tap asks to confirm
        press(page, page.end_button.rect)
        assert not manager.active
        step(app, 0.1)
    finally:
        app.shutdown()


def test_a_missing_station_greys_the_activity_out(config):
    import dataclasses

    cfg = dataclasses.replace(config, stations=("crowd", "survey"))
    app = boot(cfg)
    try:
        page = GroupsPage(app.nav.page_context("groups"))
        jams = next(a for a in app.groups.activities if a.id == "phantom-jams")
        assert app.groups.missing_stations(jams) == ["traffic"]
        press(page, dict(page.level_buttons)["college"].rect)
        press(page, dict((a.id, b) for a, b in page.activity_buttons)["phantom-jams"].rect)
        assert not page.can_start()
    finally:
        app.shutdown()


def _msgids() -> set[str]:
    found = set(LEVELS.values())
    for path in SOURCES:
        text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
        found |= {m.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
                  for m in re.findall(r'(?:\b_|gettext)\(\s*"((?:[^"\\]|\\.)*)"', text)}
    return found


def test_every_visible_string_has_an_english_translation_with_the_same_placeholders():
    catalogue = parse_po((LOCALE_DIR / "en" / "LC_MESSAGES" / "groups.po").read_text(encoding="utf-8"))
    missing = sorted(_msgids() - set(catalogue))
    assert missing == []
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    assert all(fields(k) == fields(v) for k, v in catalogue.items())


def test_page_fits_a_portrait_screen(config):
    import dataclasses

    app = boot(dataclasses.replace(config, orientation="portrait"))
    try:
        page = GroupsPage(app.nav.page_context("groups"))
        press(page, dict(page.level_buttons)["lycee"].rect)
        canvas = pygame.Surface(app.canvas_size)
        page.draw(canvas)
        screen = pygame.Rect(0, 0, *app.canvas_size)
        buttons = [b for _, b in page.level_buttons + page.preset_buttons + page.activity_buttons]
        buttons += [page.free_button, page.edit_button, page.clear_button, page.start_button, page.resume_button,
                    page.end_button, page.keyboard_ok, page.pupils.plus, page.adults.plus]
        assert all(screen.contains(b.rect) for b in buttons)
        assert not any(a.rect.colliderect(b.rect) for i, a in enumerate(buttons[:-5]) for b in buttons[i + 1:-5])
        if os.environ.get("QSEC_GROUP_SHOTS"):
            pygame.image.save(canvas, os.path.join(os.environ["QSEC_GROUP_SHOTS"], "page-portrait.png"))
    finally:
        app.shutdown()
