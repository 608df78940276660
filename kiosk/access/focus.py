"""Keys and a 3-button switch reach every control a screen drew: a visible focus moves over them.

Tab (or the switch's "next" button, or an arrow) moves the focus; Enter (or "select") presses the
focused control as a finger would, a down and an up at its centre, so every Button and tap zone works
without code of its own; arrows adjust a slider and move a cursor over an area (the crowd's room), where
Enter taps; Escape (or "back") goes back. Nothing here needs a drag."""
from __future__ import annotations

from typing import Callable

import pygame

from kiosk.access.controls import AREA, SLIDER, Control, ControlsOnScreen
from kiosk.access.settings import AccessSettings
from kiosk.input import KEY, TEXT, InputEvent

NEXT_KEYS = {"tab"}
PREVIOUS_KEYS = {"shift+tab"}
SELECT_KEYS = {"return", "enter", "keypad enter"}
BACK_KEYS = {"escape"}
ARROWS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}
CURSOR_STEP_PX = 40
RING_DARK, RING_LIGHT = (0, 0, 0), (255, 221, 0)   # a yellow ring inside a black one: seen on any colour


class FocusRing:
    def __init__(self, controls: ControlsOnScreen, settings: AccessSettings, *,
                 press: Callable[[tuple[float, float]], None], back: Callable[[], None],
                 spoken: Callable[[Control], None]):
        self.controls = controls
        self.press, self.back, self.spoken = press, back, spoken
        self.next_keys = NEXT_KEYS | set(settings.switch_next)
        self.select_keys = SELECT_KEYS | set(settings.switch_select)
        self.back_keys = BACK_KEYS | set(settings.switch_back)
        self.index: int | None = None        # None: no focus shown (a touch visitor never sees a ring)
        self._key: tuple | None = None
        self.cursor: tuple[float, float] | None = None   # inside an area control
        self._swallow_text = ""

    # -- what is focused -----------------------------------------------------------------------
    @property
    def focused(self) -> Control | None:
        items = self.controls.published
        if self.index is None or not items:
            return None
        if self.index >= len(items) or items[self.index].key != self._key:
            self._refind(items)
        return items[self.index] if self.index is not None else None

    def _refind(self, items: list[Control]) -> None:
        """The screen drew anew: keep the same control if it is still there, else the same place."""
        for i, c in enumerate(items):
            if c.key == self._key:
                self.index = i
                return
        same_name = [i for i, c in enumerate(items) if self._key and c.name == self._key[0]]
        self.index = same_name[0] if same_name else min(self.index or 0, len(items) - 1)
        self._key = items[self.index].key
        self.cursor = None

    def select_unanswered(self) -> None:
        """Enter with nothing focused, and the screen did nothing with it: focus its first control."""
        self._move(+1)

    def is_select(self, key: str) -> bool:
        return key in self.select_keys

    def reset(self) -> None:
        """A new screen: the focus starts before its first control."""
        self.index, self._key, self.cursor = None, None, None

    def _move(self, step: int) -> None:
        items = self.controls.published
        if not items:
            return
        current = self.focused
        start = -1 if current is None and step > 0 else (0 if current is None else self.index)
        self.index = (start + step) % len(items)
        self._key = items[self.index].key
        self.cursor = None
        self.spoken(items[self.index])

    # -- keys ------------------------------------------------------------------------------------
    def handle_event(self, ev: InputEvent) -> bool:
        """True when the key (or the text a switch's key also typed) was the focus's."""
        if ev.kind == TEXT:
            if self._swallow_text and ev.text == self._swallow_text:
                self._swallow_text = ""
                return True
            return False
        if ev.kind != KEY:
            return False
        consumed = self._key_event(ev.key)
        if not consumed and self.is_select(ev.key):
            self._swallow_text = ev.key if len(ev.key) == 1 else ""
        self._swallow_text = ev.key if consumed and len(ev.key) == 1 else ""
        return consumed

    def _key_event(self, key: str) -> bool:
        control = self.focused
        if key in self.next_keys:
            self._move(+1)
        elif key in PREVIOUS_KEYS:
            self._move(-1)
        elif key in self.back_keys:
            self.back()
        elif key in self.select_keys:
            if control is None:
                return False       # the screen's own answer first (the attract loop starts a visit)
            self.press(self.cursor if control.kind == AREA and self.cursor else control.rect.center)
        elif key in ARROWS:
            self._arrow(control, *ARROWS[key])
        else:
            return False
        return True

    def _arrow(self, control: Control | None, dx: int, dy: int) -> None:
        if control is not None and control.kind == SLIDER and control.adjust is not None:
            control.adjust((-dx if control.mirrored else dx) or -dy)   # ←/→ move the knob the way they point
            self.spoken(control)
        elif control is not None and control.kind == AREA:
            r = control.rect
            x, y = self.cursor or r.center
            self.cursor = (min(max(x + dx * CURSOR_STEP_PX, r.left + 1), r.right - 2),
                           min(max(y + dy * CURSOR_STEP_PX, r.top + 1), r.bottom - 2))
        else:
            self._move(+1 if dx + dy > 0 else -1)

    # -- drawing ---------------------------------------------------------------------------------
    def picture(self) -> tuple:
        """What the ring's drawing depends on: when it changes the frame is redrawn (kiosk/frames.py)."""
        control = self.focused
        return (None if control is None else control.key, self.cursor)

    def draw(self, surface: pygame.Surface) -> None:
        control = self.focused
        if control is None:
            return
        ring = control.rect.inflate(16, 16)
        pygame.draw.rect(surface, RING_DARK, ring.inflate(8, 8), width=4, border_radius=26)
        pygame.draw.rect(surface, RING_LIGHT, ring, width=6, border_radius=22)
        if control.kind == AREA:
            x, y = self.cursor or control.rect.center
            for colour, width, size in ((RING_DARK, 9, 30), (RING_LIGHT, 5, 28)):
                pygame.draw.line(surface, colour, (x - size, y), (x + size, y), width)
                pygame.draw.line(surface, colour, (x, y - size), (x, y + size), width)
            pygame.draw.circle(surface, RING_LIGHT, (x, y), 34, 4)
