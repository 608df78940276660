"""A visitor session: from the first touch on the attract loop to the reset (or a mediator ending it).

Records session.start, station.enter / station.exit {seconds} and session.end {reason, duration_s,
stations: [{id, seconds}]} through the recorder, each with the session's id. Stations write through a
VisitRecorder: their events carry the visitor session of the moment.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable

from eventlog.stamps import new_uuid

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.store.recorder import Recorder


class VisitorSession:
    def __init__(self, recorder: "Recorder", clock: Callable[[], float] = time.monotonic):
        self.recorder = recorder
        self.clock = clock
        self.session_id: str | None = None
        self.started = 0.0
        self.current_station: str | None = None
        self.station_since = 0.0
        self.dwell: dict[str, float] = {}

    @property
    def active(self) -> bool:
        return self.session_id is not None

    def start(self) -> None:
        if self.active:
            return
        self.session_id = new_uuid()
        self.started = self.clock()
        self.dwell = {}
        self._record("session.start", {})

    def enter_station(self, station_id: str) -> None:
        self.leave_station()
        if not self.active:
            self.start()
        self.current_station = station_id
        self.station_since = self.clock()
        self._record("station.enter", {}, station=station_id)

    def leave_station(self, at: float | None = None) -> None:
        if self.current_station is None:
            return
        end = self.clock() if at is None else at
        seconds = round(max(0.0, end - self.station_since), 1)
        self.dwell[self.current_station] = self.dwell.get(self.current_station, 0.0) + seconds
        self._record("station.exit", {"seconds": seconds}, station=self.current_station)
        self.current_station = None

    def end(self, reason: str, idle_s: float = 0.0) -> None:
        """End the session. On a timeout the idle time before the reset is not counted as use."""
        if not self.active:
            return
        last_use = max(self.started, self.clock() - idle_s)
        self.leave_station(at=last_use)
        self._record("session.end", {
            "reason": reason,
            "duration_s": round(last_use - self.started, 1),
            "stations": [{"id": sid, "seconds": round(s, 1)} for sid, s in self.dwell.items()],
        })
        self.session_id = None

    def _record(self, kind: str, payload: dict[str, Any], station: str | None = None) -> None:
        self.recorder.record(kind, payload, station=station, session_id=self.session_id)


class VisitRecorder:
    """The recorder as a station sees it: each event carries the visitor session of the moment (none
    between visitors). `session_id=` names another one: the session of an event recorded later, from a
    worker thread, for the visitor who was there."""

    def __init__(self, recorder: "Recorder", visit: VisitorSession):
        self.recorder = recorder
        self.visit = visit

    @property
    def session_id(self) -> str | None:
        return self.visit.session_id

    def record(self, kind: str, payload: dict[str, Any] | None = None, *, station: str | None = None,
               session_id: str | None = ..., ts: str | None = None) -> str:  # type: ignore[assignment]
        session = self.visit.session_id if session_id is ... else session_id
        return self.recorder.record(kind, payload, station=station, session_id=session, ts=ts)

    def flush(self, timeout: float = 5.0) -> bool:
        return self.recorder.flush(timeout)
