"""Build ScriptedInput scripts for headless runs from the real layouts (no hard-coded pixels that
another screen's author could move without noticing)."""
from __future__ import annotations

import pygame

from kiosk.headless import ScriptedInput

FPS = 60


class Script:
    def __init__(self) -> None:
        self.t = 0.5
        self.steps: list[ScriptedInput] = []

    def frame(self) -> int:
        return round(self.t * FPS)

    def tap(self, pos, wait: float = 0.6) -> "Script":
        f = self.frame()
        x, y = (pos.center if isinstance(pos, pygame.Rect) else pos)
        self.steps += [ScriptedInput(f, "down", [x, y]), ScriptedInput(f + 2, "up", [x, y])]
        self.t += wait
        return self

    def hold(self, pos, seconds: float) -> "Script":
        f = self.frame()
        self.steps += [ScriptedInput(f, "down", list(pos)), ScriptedInput(f + round(seconds * FPS), "up", list(pos))]
        self.t += seconds + 0.5
        return self

    def wait(self, seconds: float) -> "Script":
        self.t += seconds
        return self

    def shot(self, path) -> "Script":
        self.steps.append(ScriptedInput(self.frame(), "screenshot", str(path)))
        self.t += 0.1
        return self

    @property
    def seconds(self) -> float:
        return self.t + 0.5


def open_groups_page(app, script: Script, pin: str = "1234") -> None:
    """Hold the mediator corner, type the PIN, open « Groupes scolaires » (layouts read from the screens)."""
    from kiosk.screens.mediator import MediatorMenu, PinPadScreen

    pygame.init()
    script.hold((40, 40), app.config.pin_hold_s + 0.3)
    pad = PinPadScreen(app)
    keys = {b.label: b.rect for b in pad.keys}
    for digit in pin:
        script.tap(keys[digit], 0.3)
    script.tap(keys["OK"], 0.8)
    menu = MediatorMenu(app)
    menu._layout()
    script.tap(menu.buttons[menu.sources.index("Groupes scolaires")].rect, 0.8)


def start_group(app, script: Script, level: str, activity_id: str, label_preset: str | None = None) -> None:
    """On the groups page: pick the level, maybe a class preset (then validate the keyboard), the activity, start."""
    from kiosk.screens.groups import GroupsPage

    page = GroupsPage(app.page_context("groups"))
    levels = dict(page.level_buttons)
    script.tap(levels[level].rect)
    page._pick_level(level)
    if label_preset is not None:
        script.tap(dict(page.preset_buttons)[label_preset].rect)
        script.tap(page.keyboard_ok.rect)
    activities = {a.id: b for a, b in page.activity_buttons}
    script.tap(activities[activity_id].rect)
    script.tap(page.start_button.rect, 1.0)
