"""Languages on every screen: the closed screen says the next opening in every language of the kiosk;
the PIN pad, the mediator menu and the mediator pages that leave it room show the language menu; a
mediator's choice is not a visitor's (not recorded, undone on leaving mediator mode)."""
from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pygame

from kiosk.app import App
from kiosk.assets import Assets
from kiosk.headless import ScriptedInput
from kiosk.screens.closed import ClosedScreen
from tests.runtime.fakes import CLASSES
from tests.runtime.test_app import events, run_app, tap

PARIS = ZoneInfo("Europe/Paris")
LANGUAGE = (1800, 64)     # the chrome's language button (landscape)


def language_row(index: int) -> tuple[int, int]:
    """The centre of the menu's row for the kiosk's index-th language (landscape)."""
    return (1674, 170 + 100 * index)


def choose(t: float, index: int) -> list[ScriptedInput]:
    """Open the language menu and pick a language: two taps."""
    return tap(t, *LANGUAGE) + tap(t + 0.2, *language_row(index))
PIN_KEYS = {"1": (806, 355), "2": (960, 355), "3": (1114, 355), "4": (806, 509), "OK": (1114, 817)}


def hold_corner(t: float) -> list[ScriptedInput]:
    f = round(t * 60)
    return [ScriptedInput(f, "down", [20, 20]), ScriptedInput(f + 200, "up", [20, 20])]


def type_pin(t: float) -> list[ScriptedInput]:
    script = []
    for i, key in enumerate(["1", "2", "3", "4", "OK"]):
        script += tap(t + 0.2 * i, *PIN_KEYS[key])
    return script


def test_next_opening_in_each_language(config):
    cfg = dataclasses.replace(config, enforce_hours=True)   # default hours: Tuesday to Saturday, 10:00-18:00
    cases = [
        (datetime(2026, 11, 23, 22, 0, tzinfo=PARIS), "Réouverture demain à 10 h 00", "Reopens tomorrow at 10:00"),
        (datetime(2026, 11, 26, 3, 5, tzinfo=PARIS), "Réouverture aujourd’hui à 10 h 00", "Reopens today at 10:00"),
        (datetime(2026, 11, 28, 19, 0, tzinfo=PARIS), "Réouverture mardi à 10 h 00", "Reopens on Tuesday at 10:00"),
    ]
    for now, fr, en in cases:
        app = App(cfg, headless=True, classes=CLASSES, now=lambda now=now: now)
        assert (app.ctx.hours.next_opening_text(), app.ctx.hours.next_opening_text("fr"), app.ctx.hours.next_opening_text("en")) == (fr, fr, en)
        app.shutdown()


def test_closed_screen_shows_every_language_and_no_switch(config):
    cfg = dataclasses.replace(config, enforce_hours=True)
    night = datetime(2026, 11, 23, 22, 0, tzinfo=PARIS)
    app = run_app(cfg, 1.0, tap(0.5, *LANGUAGE), now=lambda: night)
    assert app.nav.screen_name == "closed"
    assert not app.chrome._shows_language()
    assert app.ctx.i18n.lang == "fr"            # the tap where the switch would be did nothing
    asked = []
    hours = app.ctx.hours

    class AskedHours:                              # the run's hours, noting the languages asked for
        def next_opening_text(self, lang=None):
            return asked.append(lang) or hours.next_opening_text(lang)

    pygame.init()
    # the run's fonts went with its pygame.quit(): new ones
    ctx = dataclasses.replace(app.ctx, assets=Assets(cfg.font), hours=AskedHours())
    ClosedScreen(ctx).draw(pygame.Surface(cfg.canvas_size))
    assert asked == ["fr", "en", "ar", "pt", "es"]     # easy French is French: said once
    # the headline through the catalogs, French first: no language written into the screen
    assert ClosedScreen(ctx).headline() == [("fr", "Fermé"), ("en", "Closed"), ("ar", "مغلق"), ("pt", "Fechado"),
                                            ("es", "Cerrado")]


def test_switch_on_the_pin_pad_is_the_mediators_not_recorded(config):
    script = tap(0.5, 960, 540) + hold_corner(1.0) + choose(5.0, 1)
    app = run_app(config, 5.8, script)
    assert app.nav.screen_name == "pin" and app.ctx.i18n.lang == "en"
    assert app.chrome._shows_language()
    assert not [k for k, *_ in events(config) if k == "language.change"]


class Probe(App):
    """Notes, at given frames, what the chrome shows; runs an action at others."""

    def __init__(self, *a, at: dict, **kw):
        super().__init__(*a, **kw)
        self.at, self.seen = at, {}

    def tick(self, dt: float) -> None:
        frame = round(self.clock() * 60)
        if frame in self.at:
            self.seen[frame] = (self.nav.screen_name, self.ctx.i18n.lang, self.chrome._shows_language())
            action = self.at[frame]
            if action is not None:
                action(self)
        super().tick(dt)


def test_mediator_menu_and_pages_that_leave_room_show_the_switch(config):
    class NoRoomPage:       # a page that draws in the top-right corner (no language_switch attribute)
        def draw(self, surface):
            pass

    def open_statistics(app):
        app.nav.screen.open_page("statistics")

    def open_crowded_page(app):
        app.nav.screen.page = NoRoomPage()

    # a visitor in English opens the corner; the mediator switches to French, then leaves
    script = tap(0.5, 960, 540) + choose(0.8, 1) + hold_corner(1.2) + type_pin(5.0) + choose(6.5, 0)
    app = Probe(config, headless=True, classes=CLASSES,
                at={420: None, 450: open_statistics, 460: None, 470: open_crowded_page, 480: None,
                    490: lambda a: a.nav.close_mediator(), 500: None})
    app.headless_fps_cap = 0
    app.run(frames=510, script=script)
    assert app.seen[420] == ("mediator", "fr", True)        # the menu, switched to French by the mediator
    assert app.seen[460] == ("mediator", "fr", True)        # statistics: its period buttons leave the corner free
    assert app.seen[480] == ("mediator", "fr", False)       # a page that does not
    assert app.seen[500][1] == "en"                         # the visitor gets English back
    changes = [p for k, _s, p, _sid in events(config) if k == "language.change"]
    assert changes == [{"lang": "en"}]                      # the visitor's choice only
