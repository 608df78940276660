"""Crash isolation: a station that raises is logged, recorded and paused for a while; whoever shows
it (the navigator) is told, and sends the visitor home with a friendly word. The kiosk process never
dies of a station's error."""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

log = logging.getLogger("kiosk.errors")
DISABLE_S = 600.0


class StationErrors:
    def __init__(self, record: Callable[[str, dict], Any], clock: Callable[[], float], disable_s: float = DISABLE_S):
        self.record = record
        self.clock = clock
        self.disable_s = disable_s
        self.disabled_until: dict[str, float] = {}
        self.count = 0
        self._on_station_failure: list[Callable[[str], None]] = []

    def when_a_station_fails(self, callback: Callable[[str], None]) -> None:
        """callback(station_id) runs right after a station was paused for raising."""
        self._on_station_failure.append(callback)

    def is_disabled(self, sid: str) -> bool:
        return self.disabled_until.get(sid, 0.0) > self.clock()

    def enable(self, sid: str) -> None:
        self.disabled_until.pop(sid, None)

    def report(self, where: str, exc: BaseException) -> None:
        self.count += 1
        log.error("error in %s:\n%s", where, "".join(traceback.format_exception(exc)))
        message = f"{type(exc).__name__}: {exc}"[:500]
        try:
            self.record("error", {"where": where, "message": message})
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
                for callback in self._on_station_failure:
                    callback(station)
            elif on_error is not None:
                on_error()
            return None
