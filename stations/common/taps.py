"""Immediate-mode tap zones: a view adds a zone for each thing it draws that can be tapped; the
station routes pointer events here. A tap fires on release inside the zone where the finger went
down (sliding off cancels), like kiosk.ui.Button; other fingers are ignored meanwhile."""
from __future__ import annotations

from typing import Callable

import pygame

from kiosk.access.controls import report_control
from kiosk.input import DOWN, UP, InputEvent


class TapZones:
    def __init__(self) -> None:
        self._zones: list[tuple[str, pygame.Rect, Callable[[], None]]] = []
        self._pressed: tuple[str, pygame.Rect, Callable[[], None], int] | None = None

    def clear(self) -> None:
        self._zones = []

    def add(self, key: str, rect: pygame.Rect, action: Callable[[], None], name: str | None = None) -> pygame.Rect:
        """`name` is what speech says of the zone (translated); the key if none."""
        rect = pygame.Rect(rect)
        self._zones.append((key, rect, action))
        report_control(rect, name if name is not None else key)
        return rect

    def rect(self, key: str) -> pygame.Rect | None:
        return next((r for k, r, _ in self._zones if k == key), None)

    @property
    def keys(self) -> list[str]:
        return [k for k, _, _ in self._zones]

    def pressed_key(self) -> str | None:
        return self._pressed[0] if self._pressed else None

    def handle_event(self, ev: InputEvent) -> bool:
        if ev.kind == DOWN:
            for key, rect, action in reversed(self._zones):   # last drawn is on top
                if rect.collidepoint(ev.pos):
                    self._pressed = (key, rect, action, ev.pointer)
                    return True
            return False
        if ev.kind == UP and self._pressed is not None and self._pressed[3] == ev.pointer:
            key, rect, action, _ = self._pressed
            self._pressed = None
            if rect.collidepoint(ev.pos):
                action()
            return True
        return False

    def cancel(self) -> None:
        self._pressed = None
