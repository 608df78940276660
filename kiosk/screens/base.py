"""Screens of the runtime follow the station contract, with a reference to the App."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.app import App


class Screen:
    def __init__(self, app: "App"):
        self.app = app

    def _(self, text: str) -> str:
        return self.app.i18n.gettext(text)

    def enter(self) -> None: ...

    def exit(self) -> None: ...

    def reset(self) -> None: ...

    def handle_event(self, ev) -> bool:
        return False

    def update(self, dt: float) -> None: ...

    def draw(self, surface) -> None: ...
