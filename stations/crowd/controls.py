"""Touch controls of the crowd station that kiosk.ui does not have: the big "hurry" slider and the
per-finger gestures on the room (tap = pillar / door, drag = short wall)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from typing import Callable

from kiosk.access.controls import SLIDER, report_control
from kiosk.input import DOWN, MOVE, UP, InputEvent
from kiosk.ui import THEME, draw_text
from kiosk.ui.text import LTR, RTL

SPEED_CALM, SPEED_PANIC = 1.0, 5.0      # m/s: desired speed at both ends of the "hurry" slider
DRAG_START_PX = 28
KEY_STEP = 0.1           # one arrow press: a tenth of the way from calm to panic


KNOB_RADIUS = 28     # px; the whole slider takes the finger, the knob only shows the value


def hurry_to_speed(hurry: float) -> float:
    return SPEED_CALM + (SPEED_PANIC - SPEED_CALM) * hurry


def speed_to_hurry(speed: float) -> float:
    return min(1.0, max(0.0, (speed - SPEED_CALM) / (SPEED_PANIC - SPEED_CALM)))


class HurrySlider:
    """A wide slider from 0 (calm) to 1 (panic); one finger owns it while pressed, or a tap sets it
    where it lands (no drag needed); arrow keys move it by KEY_STEP. In a right-to-left language it
    runs the reading way: calm on the right, panic on the left (`rtl`, set as it is drawn)."""

    def __init__(self, rect: pygame.Rect, value: float = 0.1, on_adjust: Callable[[], None] | None = None):
        self.rect = pygame.Rect(rect)
        self.value = value
        self.on_adjust = on_adjust
        self._owner: int | None = None
        # the knob (KNOB_RADIUS) stays clear of the title above and of « calmes » / « panique » under
        # the track, in Arabic too (its script stands taller on the line than French)
        self.track = pygame.Rect(self.rect.x + 44, self.rect.y + 80, self.rect.width - 88, 20)
        self._track_image: pygame.Surface | None = None
        self.rtl = False

    def handle_event(self, ev: InputEvent) -> bool:
        if not ev.is_pointer:
            return False
        if ev.kind == DOWN and self.rect.collidepoint(ev.pos):
            self._owner = ev.pointer
            self._set(ev.pos[0])
            return True
        if ev.pointer == self._owner:
            if ev.kind == MOVE:
                self._set(ev.pos[0])
            elif ev.kind == UP:
                self._set(ev.pos[0])
                self._owner = None
            return True
        return False

    @property
    def dragging(self) -> bool:
        return self._owner is not None

    def _set(self, x: float) -> None:
        along = (self.track.right - x) if self.rtl else (x - self.track.x)
        self.value = min(1.0, max(0.0, along / self.track.width))

    def step(self, direction: int) -> None:
        self.value = min(1.0, max(0.0, round(self.value + KEY_STEP * direction, 2)))
        if self.on_adjust is not None:
            self.on_adjust()

    def draw(self, surface: pygame.Surface, font, small_font, title: str, left: str, right: str,
             value_text: str = "") -> None:
        """`left` and `right` name the calm and the panic ends (on the other sides in Arabic); the
        value is written on the title's line, at its other end."""
        rtl = getattr(font, "direction", LTR) == RTL
        if rtl != self.rtl:
            self.rtl, self._track_image = rtl, None
        report_control(self.rect, title, kind=SLIDER, adjust=self.step, value=lambda: value_text, mirrored=rtl)
        pygame.draw.rect(surface, THEME.surface, self.rect, border_radius=THEME.radius)
        pygame.draw.rect(surface, THEME.outline, self.rect, width=2, border_radius=THEME.radius)
        start, end = (self.rect.x + 24, "topleft"), (self.rect.right - 24, "topright")
        if rtl:
            start, end = end, start
        draw_text(surface, font, title, (start[0], self.rect.y + 14), THEME.text, start[1])
        if value_text:
            draw_text(surface, small_font, value_text, (end[0], self.rect.y + 22), THEME.text, end[1])
        if self._track_image is None:
            # A wedge, thin at « calmes » and thick at « panique »: more hurry is more track, in one neutral
            # colour, so that no colour here means something else than it does on the people (their speed)
            self._track_image = pygame.Surface(self.track.size, pygame.SRCALPHA)
            w, h = self.track.size
            pygame.draw.polygon(self._track_image, THEME.outline, [(0, h // 2 - 2), (w - 1, 0), (w - 1, h - 1), (0, h // 2 + 2)])
            if rtl:
                self._track_image = pygame.transform.flip(self._track_image, True, False)
        surface.blit(self._track_image, self.track.topleft)
        knob_x = self.track.right - self.value * self.track.width if rtl else self.track.x + self.value * self.track.width
        pygame.draw.circle(surface, THEME.text, (knob_x, self.track.centery), KNOB_RADIUS)
        pygame.draw.circle(surface, THEME.accent if self.dragging else THEME.surface_hi, (knob_x, self.track.centery),
                           KNOB_RADIUS - 7)
        calm, panic = ((self.track.right + 20, "topright"), (self.track.x - 20, "topleft")) if rtl else \
            ((self.track.x - 20, "topleft"), (self.track.right + 20, "topright"))
        draw_text(surface, small_font, left, (calm[0], self.track.bottom + 15), THEME.text_muted, calm[1])
        draw_text(surface, small_font, right, (panic[0], self.track.bottom + 15), THEME.text_muted, panic[1])


@dataclass
class Gesture:
    start_px: tuple[float, float]
    start_m: tuple[float, float]
    now_m: tuple[float, float]
    dragging: bool = False


@dataclass
class RoomGestures:
    """Tracks every finger on the room: several visitors may draw at once."""

    active: dict[int, Gesture] = field(default_factory=dict)

    def down(self, ev: InputEvent, metres: tuple[float, float]) -> None:
        self.active[ev.pointer] = Gesture(ev.pos, metres, metres)

    def move(self, ev: InputEvent, metres: tuple[float, float]) -> bool:
        g = self.active.get(ev.pointer)
        if g is None:
            return False
        g.now_m = metres
        if not g.dragging and (ev.pos[0] - g.start_px[0]) ** 2 + (ev.pos[1] - g.start_px[1]) ** 2 > DRAG_START_PX ** 2:
            g.dragging = True
        return True

    def up(self, ev: InputEvent) -> Gesture | None:
        return self.active.pop(ev.pointer, None)

    def owns(self, ev: InputEvent) -> bool:
        return ev.pointer in self.active

    def clear(self) -> None:
        self.active.clear()
