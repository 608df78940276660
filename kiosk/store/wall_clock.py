"""Whether the kiosk can believe its wall clock, and where each event sits whatever it says.

A kiosk without network or without a clock battery may start in 1970, and a clock set by hand may jump
days ahead in the middle of a run. Every event therefore carries, beside its wall-clock `ts`, its run (one
process) and the milliseconds since the run started on the monotonic clock, which never jumps. The wall
clock is distrusted when it reads:
- before the earliest plausible time: this release's date, or the newest event of an earlier run (minus
  BEHIND_S, for a clock corrected backwards a little);
- more than AHEAD_S after that newest event at start, unless the system says its clock is synchronised (a
  kiosk switched off for a long closure and set right by NTP is believed);
- against the monotonic clock, more than JUMP_S away from the last trusted reading of this run (NTP slews
  a few seconds; a step of minutes is someone or something setting the clock). The system's word that
  the clock is synchronised turns such a step into the new trusted time.
While distrusted, events are flagged with the reason and the best estimate of the true time: the last
trusted wall time plus the monotonic time elapsed since (at start, the newest event of an earlier run: a
lower bound, as the kiosk cannot know how long it was off). The hub places them there (hub/ingest.py).
"""
from __future__ import annotations

import ctypes
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from eventlog.stamps import parse_ts, utc_iso
from eventlog.wire import CLOCK_FLAGS
from kiosk import RELEASE_DATE

log = logging.getLogger(__name__)
JUMP_S = 120.0              # wall − monotonic may move this much during a run (NTP slews a few seconds)
BEHIND_S = 600.0            # below the newest stored event: a clock set back a little is still believed
AHEAD_S = 3 * 86_400.0      # after the newest stored event at start, with no synchronised clock to say so
SYNC_LOOK_S = 10.0          # the system is asked about its clock at most this often
RECENT_ROWS = 200           # the newest events looked at for the log's newest trusted time
TIME_ERROR = 5              # adjtimex(2): the kernel's clock is not synchronised
BEHIND, AHEAD, JUMP = CLOCK_FLAGS


def clock_synchronised() -> bool | None:
    """The system's word on its clock (Linux adjtimex(2), as NTP daemons and systemd-timesyncd leave it):
    True when synchronised, False when not, None where it cannot be asked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        timex = ctypes.create_string_buffer(512)    # struct timex (~208 bytes); modes 0: read only
        state = libc.adjtimex(timex)
    except (OSError, AttributeError):
        return None
    return None if state < 0 else state != TIME_ERROR


@dataclass(frozen=True)
class ClockStamp:
    """What the recorder writes beside an event: the wall clock's ts, the run, the monotonic ms, and
    when the wall clock is distrusted why (`flag`) and the estimated true time."""
    ts: str
    run_id: str
    mono_ms: int
    flag: str | None = None
    estimated: float | None = None     # Unix seconds

    @property
    def estimated_ts(self) -> str | None:
        return None if self.estimated is None else utc_iso(self.estimated)

    @property
    def correction_s(self) -> float:
        """Estimated true time minus the wall clock's reading (0 when trusted)."""
        return 0.0 if self.estimated is None else self.estimated - parse_ts(self.ts).timestamp()


@dataclass(frozen=True)
class ClockState:
    """The wall clock as the mediator and the health report see it now."""
    flag: str | None
    wall: float                         # what the clock reads, Unix seconds
    estimated: float | None             # the best estimate of the true time while distrusted
    since: float | None                 # when (estimated) the clock started to be distrusted

    @property
    def trusted(self) -> bool:
        return self.flag is None

    def health(self) -> dict:
        """The `clock` field of kiosk.health (eventlog/kinds.py)."""
        if self.flag is None:
            return {"state": "ok"}
        return {"state": self.flag, "reads": utc_iso(self.wall), "estimated": utc_iso(self.estimated),
                "correction_s": round(self.estimated - self.wall), "since": utc_iso(self.since)}


# Where an event sits in time on this kiosk: the estimate when the wall clock was distrusted (its ts is then
# the clock's raw reading, 1970 or days ahead), else its ts; what the hub files it under too (hub/validate.py).
# Every query that picks events by time says it in these very words: the index events_kind_placed
# (migration 006) is on this expression, and SQLite uses it only for the same expression.
PLACED = "COALESCE(estimated_ts, ts)"


def newest_trusted(conn: sqlite3.Connection) -> float | None:
    """The newest time among the log's latest events: their wall time when the clock was trusted, the
    estimate (a lower bound) when it was not, never a distrusted clock's reading."""
    rows = conn.execute(f"SELECT {PLACED} FROM (SELECT ts, estimated_ts FROM events "
                        "ORDER BY seq DESC LIMIT ?)", (RECENT_ROWS,)).fetchall()
    stamps = []
    for (ts,) in rows:
        try:
            stamps.append(parse_ts(ts).timestamp())
        except ValueError:
            continue
    return max(stamps, default=None)


class ClockWatch:
    """Judges the wall clock at every event (thread-safe: the frame loop, sensors and the health
    thread all record). `wall`, `mono` and `synchronised` are injectable for tests."""

    def __init__(self, newest_stored: float | None = None, *, run_id: str,
                 wall: Callable[[], float] = time.time, mono: Callable[[], float] = time.monotonic,
                 synchronised: Callable[[], bool | None] = clock_synchronised,
                 release: float | None = None) -> None:
        self.run_id = run_id
        self._wall, self._mono, self._synchronised = wall, mono, synchronised
        self._release = release if release is not None else \
            datetime.fromisoformat(RELEASE_DATE).replace(tzinfo=timezone.utc).timestamp()
        self._newest = newest_stored
        self._start = mono()
        self._offset: float | None = None       # wall − monotonic at the last trusted reading
        self._since: float | None = None        # estimated time the current distrust began
        self._asked: tuple[float, bool | None] | None = None
        self._lock = threading.Lock()

    def stamp(self) -> ClockStamp:
        with self._lock:
            wall, mono = self._wall(), self._mono()
            flag, estimated = self._judge(wall, mono)
        return ClockStamp(ts=utc_iso(wall), run_id=self.run_id, mono_ms=max(0, round((mono - self._start) * 1000)),
                          flag=flag, estimated=estimated)

    def state(self) -> ClockState:
        with self._lock:
            wall = self._wall()
            flag, estimated = self._judge(wall, self._mono())
            return ClockState(flag, wall, estimated, self._since)

    # -- under the lock --------------------------------------------------------------------------
    def _judge(self, wall: float, mono: float) -> tuple[str | None, float | None]:
        if self._offset is not None:
            step = wall - mono - self._offset
            if abs(step) <= JUMP_S or (self._is_synchronised(mono) and wall >= self._release):
                if abs(step) > JUMP_S:
                    log.warning("the wall clock stepped by %+.0f s; the system says it is synchronised: "
                                "believed", step)
                return self._trust(wall, mono)
            return self._distrust(JUMP, mono + self._offset, wall)
        flag = self._implausible(wall, mono)
        if flag is None:
            return self._trust(wall, mono)
        reference = max(self._release, self._newest or 0.0)
        return self._distrust(flag, reference + mono - self._start, wall)

    def _implausible(self, wall: float, mono: float) -> str | None:
        if wall < self._release:
            return BEHIND
        if self._newest is None:
            return None
        if wall < self._newest - BEHIND_S:
            # the log's newest event may itself carry a wrong date from before this check existed
            return None if self._is_synchronised(mono) else BEHIND
        if wall > self._newest + AHEAD_S + (mono - self._start) and not self._is_synchronised(mono):
            return AHEAD
        return None

    def _trust(self, wall: float, mono: float) -> tuple[None, None]:
        if self._since is not None:
            log.warning("the wall clock is believed again (%s)", utc_iso(wall))
        self._offset, self._since = wall - mono, None
        return None, None

    def _distrust(self, flag: str, estimated: float, wall: float) -> tuple[str, float]:
        if self._since is None:
            self._since = estimated
            log.warning("the wall clock looks wrong (%s): it reads %s, the time is probably about %s",
                        flag, utc_iso(wall), utc_iso(estimated))
        return flag, estimated

    def _is_synchronised(self, mono: float) -> bool:
        if self._asked is None or mono - self._asked[0] >= SYNC_LOOK_S:
            try:
                answer = self._synchronised()
            except Exception:       # a probe that fails says nothing
                answer = None
            self._asked = (mono, answer)
        return self._asked[1] is True
