"""The controls a screen drew this frame, as keys, switches and speech need them.

Immediate mode, like the widgets themselves: a Button, a tap zone or a slider reports its rectangle and
its name while it draws, so the list always matches what a visitor sees (a control hidden this frame is
not reachable, a new one is) without every screen keeping a second list in step with its layout. The
runtime opens a frame before the screen draws and closes it after the chrome; a screen that does not draw
in a frame (nothing changed) keeps the controls of its last drawing."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pygame

BUTTON, SLIDER, AREA = "button", "slider", "area"


@dataclass(frozen=True)
class Control:
    rect: pygame.Rect
    name: str                                   # what speech says, already translated
    kind: str = BUTTON                          # button: Enter presses it; slider: arrows adjust it;
    adjust: Callable[[int], None] | None = None  # area: arrows move a cursor over it, Enter taps there
    value: Callable[[], str] | None = None      # a slider's value as speech says it
    mirrored: bool = False                      # a slider growing leftwards (Arabic): ← is "more"

    @property
    def key(self) -> tuple:
        return (self.name, self.kind, tuple(self.rect))


@dataclass
class ControlsOnScreen:
    published: list[Control] = field(default_factory=list)
    _frame: list[Control] | None = None
    version: int = 0                            # bumped when a drawing publishes a new list

    def begin_frame(self) -> None:
        self._frame = []

    def report(self, rect, name: str, *, kind: str = BUTTON, adjust: Callable[[int], None] | None = None,
               value: Callable[[], str] | None = None, mirrored: bool = False) -> None:
        if self._frame is None:
            return          # drawn outside the runtime's frame (a preview, a test's surface): not a control
        rect = pygame.Rect(rect)
        control = Control(rect, name, kind, adjust, value, mirrored)
        if rect.width > 0 and rect.height > 0 and all(c.key != control.key for c in self._frame):
            self._frame.append(control)

    def modal(self) -> None:
        """What draws next covers everything drawn before (a dialog, a menu): only it is reachable."""
        if self._frame is not None:
            self._frame.clear()

    def end_frame(self) -> None:
        if self._frame is None:
            return
        frame, self._frame = self._frame, None
        if [c.key for c in frame] != [c.key for c in self.published]:
            self.version += 1
        self.published = frame

    def clear(self) -> None:
        self.published, self._frame = [], None
        self.version += 1


# One per process, as there is one display: widgets report to it while the runtime draws a frame.
ON_SCREEN = ControlsOnScreen()


def report_control(rect, name: str, **kw) -> None:
    ON_SCREEN.report(rect, name, **kw)
