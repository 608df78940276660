"""pygame events -> InputEvent in logical canvas pixels.

Touch (FINGER*) events carry normalised 0..1 coordinates of the whole window; mouse events carry
window pixels. Both are mapped through the letterbox transform to the logical canvas. SDL also
synthesises mouse events from touches (``event.touch`` is True): those are dropped so that a tap never
counts twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pygame

# Event kinds a station sees.
DOWN, MOVE, UP, KEY, TEXT, SENSOR = "down", "move", "up", "key", "text", "sensor"
MOUSE_POINTER = -1  # pointer id of the mouse; fingers use their SDL finger id (>= 0)
KEYS_POINTER = -2   # a key or a switch pressing the focused control (kiosk/access/focus.py)


@dataclass(frozen=True)
class InputEvent:
    kind: str                         # down | move | up | key | text | sensor
    pos: tuple[float, float] = (0.0, 0.0)   # canvas pixels (down/move/up)
    pointer: int = MOUSE_POINTER      # finger id, or MOUSE_POINTER
    key: str = ""                     # pygame key name for KEY ("escape", "a", "return"...)
    text: str = ""                    # typed text for TEXT
    data: Any = None                  # SENSOR: the reading object from hardware/

    @property
    def is_pointer(self) -> bool:
        return self.kind in (DOWN, MOVE, UP)


@dataclass
class Letterbox:
    """Maps window pixels to the logical canvas, keeping the aspect ratio (bars on the sides)."""

    canvas: tuple[int, int]
    window: tuple[int, int]
    scale: float = field(init=False)
    offset: tuple[float, float] = field(init=False)

    def __post_init__(self) -> None:
        cw, ch = self.canvas
        ww, wh = self.window
        self.scale = min(ww / cw, wh / ch)
        self.offset = ((ww - cw * self.scale) / 2, (wh - ch * self.scale) / 2)

    def to_canvas(self, wx: float, wy: float) -> tuple[float, float]:
        x = (wx - self.offset[0]) / self.scale
        y = (wy - self.offset[1]) / self.scale
        cw, ch = self.canvas
        return (min(max(x, 0.0), cw - 1.0), min(max(y, 0.0), ch - 1.0))

    def normalised_to_canvas(self, nx: float, ny: float) -> tuple[float, float]:
        return self.to_canvas(nx * self.window[0], ny * self.window[1])

    def dest_rect(self) -> tuple[int, int, int, int]:
        cw, ch = self.canvas
        return (round(self.offset[0]), round(self.offset[1]), round(cw * self.scale), round(ch * self.scale))


class InputTranslator:
    """Turns raw pygame events into InputEvents; None for what a station must not see."""

    def __init__(self, letterbox: Letterbox):
        self.letterbox = letterbox

    def translate(self, raw: pygame.event.Event) -> InputEvent | None:
        t = raw.type
        if t in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(raw, "touch", False):
                return None  # SDL's copy of a touch: the FINGER event already counted
            if t == pygame.MOUSEMOTION and not any(raw.buttons):
                return None  # hovering means nothing on a touch kiosk
            if t != pygame.MOUSEMOTION and getattr(raw, "button", 1) != 1:
                return None
            kind = {pygame.MOUSEBUTTONDOWN: DOWN, pygame.MOUSEBUTTONUP: UP, pygame.MOUSEMOTION: MOVE}[t]
            return InputEvent(kind, self.letterbox.to_canvas(*raw.pos), MOUSE_POINTER)
        if t in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            kind = {pygame.FINGERDOWN: DOWN, pygame.FINGERUP: UP, pygame.FINGERMOTION: MOVE}[t]
            return InputEvent(kind, self.letterbox.normalised_to_canvas(raw.x, raw.y), int(raw.finger_id))
        if t == pygame.KEYDOWN:
            name = pygame.key.name(raw.key)
            if name == "tab" and getattr(raw, "mod", 0) & pygame.KMOD_SHIFT:
                name = "shift+tab"       # backwards through the controls
            return InputEvent(KEY, key=name)
        if t == pygame.TEXTINPUT:
            return InputEvent(TEXT, text=raw.text)
        return None
