"""Crash isolation: a station that raises is logged, recorded, paused for a while, and the visitor
is sent home with a friendly word. The kiosk process never dies of a station's error."""
from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.app import App

log = logging.getLogger("kiosk.errors")
DISABLE_S = 600.0


class StationErrors:
    def __init__(self, app: "App", clock: Callable[[], float], disable_s: float = DISABLE_S):
        self.app = app
        self.clock = clock
        self.disable_s = disable_s
        self.disabled_until: dict[str, float] = {}
        self.count = 0

    def is_disabled(self, sid: str) -> bool:
        return self.disabled_until.get(sid, 0.0) > self.clock()

    def enable(self, sid: str) -> None:
        self.disabled_until.pop(sid, None)

    def report(self, where: str, exc: BaseException) -> None:
        self.count += 1
        log.error("error in %s:\n%s", where, "".join(traceback.format_exception(exc)))
        message = f"{type(exc).__name__}: {exc}"[:500]
        try:
            self.app.recorder.record("error", {"where": where, "message": message})
        except Exception:  # the recorder itself failing must not hide the first error
            log.exception("could not record the error event")

    def guard(self, where: str, fn: Callable, *args: Any, station: str | None = None,
              on_error: Callable | None = None) -> Any:
        try:
            return fn(*args)
        except Exception as exc:
            self.report(where, exc)
            if station is not None:
                self.disabled_until[station] = self.clock() + self.disable_s
                if self.app.screen_name == station:
                    self.app.screen = None  # never call the broken station again this frame
                    self.app.chrome.toast("Oups ! Cette activité fait une petite pause. Essayez une autre !")
                    self.app.go_home()
            elif on_error is not None:
                on_error()
            return None
