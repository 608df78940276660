"""Screens of the runtime follow the station contract; they get a RuntimeContext (kiosk/context.py)."""
from __future__ import annotations

from kiosk.context import RuntimeContext
from kiosk.frames import Redraws


class Screen(Redraws):
    """Redrawing as for stations (kiosk/frames.py): `frame_rate()` (default 60), `invalidate()`."""

    def __init__(self, ctx: RuntimeContext):
        self.ctx = ctx

    def _(self, text: str) -> str:
        return self.ctx.i18n.gettext(text)

    def enter(self) -> None: ...

    def exit(self) -> None: ...

    def reset(self) -> None: ...

    def handle_event(self, ev) -> bool:
        return False

    def update(self, dt: float) -> None: ...

    def draw(self, surface) -> None: ...
