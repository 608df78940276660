"""Door counters: cumulative totals -> passages, exactly once across lost lines, reboots and restarts.

The tracker keeps the last (boot, seq, totals) seen. Same boot: passages are the growth of the totals,
so a lost line loses nothing; an older or repeated seq is a duplicate. New boot: the device counted
from zero, so its totals are all new passages. The state rides along in every footfall.minute event
(and in footfall.state when no minute is pending): after a kiosk restart the reader starts from the
last recorded state, so counts recorded before the restart are never counted again and counts made
while the kiosk was down (device not reset) are counted once.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hardware.protocols.footfall import FootfallFrame, FootfallParser
from hardware.reader import DeviceReader, local_minute
from hardware.readings import FootfallReading


@dataclass
class FootfallTracker:
    boot_id: str | None = None
    seq: int = -1
    total_in: int = 0
    total_out: int = 0
    duplicates: int = 0
    regressions: int = 0     # same boot, newer seq, smaller totals: impossible, so rejected
    reboots: int = 0

    def update(self, frame: FootfallFrame) -> tuple[int, int] | None:
        """Passages (in, out) that this frame reveals, or None for a duplicate / rejected frame."""
        if frame.boot_id != self.boot_id:
            if self.boot_id is not None:
                self.reboots += 1
            delta = (frame.total_in, frame.total_out)
        elif frame.seq <= self.seq:
            self.duplicates += 1
            return None
        elif frame.total_in < self.total_in or frame.total_out < self.total_out:
            self.regressions += 1
            return None
        else:
            delta = (frame.total_in - self.total_in, frame.total_out - self.total_out)
        self.boot_id, self.seq = frame.boot_id, frame.seq
        self.total_in, self.total_out = frame.total_in, frame.total_out
        return delta

    def state(self) -> dict[str, Any]:
        return {"boot_id": self.boot_id, "seq": self.seq, "total_in": self.total_in, "total_out": self.total_out}


def load_state(db_path: Path | str, sensor: str) -> dict[str, Any] | None:
    """The last recorded state of a door counter, from footfall.state or footfall.minute events."""
    if not Path(db_path).exists():
        return None
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5.0)
    try:
        row = conn.execute(
            "SELECT payload FROM events WHERE kind IN ('footfall.state', 'footfall.minute') "
            "AND json_extract(payload, '$.sensor') = ? AND json_extract(payload, '$.boot_id') IS NOT NULL "
            "ORDER BY seq DESC LIMIT 1", (sensor,)).fetchone()
    except sqlite3.OperationalError:  # no events table yet
        return None
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


class FootfallReader(DeviceReader):
    def __init__(self, device, *, room, db_path: Path | str | None, **kw):
        super().__init__(device, **kw)
        self.room = room
        self.db_path = db_path
        self.parser = FootfallParser()
        self.tracker = FootfallTracker()
        self.silence_s = 3 * self.timing.footfall_heartbeat_s
        self.confirm_s = 1.5 * self.timing.footfall_heartbeat_s
        self._minute: str | None = None
        self._in = self._out = 0
        self._state_recorded = False

    def prepare(self) -> None:
        self.room.restore_once(self.db_path, self.clock())
        if self.db_path is None:
            return
        state = load_state(self.db_path, self.device.name)
        if state is not None:
            self.tracker = FootfallTracker(str(state["boot_id"]), int(state["seq"]), int(state["total_in"]),
                                           int(state["total_out"]))
            self._state_recorded = True

    def on_open(self, ser) -> None:
        # Arduino boards reboot when the port opens and print boot-loader noise: a fresh parser,
        # and the noise is counted as garbage like any other.
        self.parser.reset()

    def on_bytes(self, data: bytes) -> int:
        frames = self.parser.feed(data)
        for frame in frames:
            t = self.clock()
            self._roll_minute(t)
            previous_boot = self.tracker.boot_id
            delta = self.tracker.update(frame)
            self.set_value({"in": frame.total_in, "out": frame.total_out, "device": frame.device,
                            "boot_id": frame.boot_id})
            if delta is None:
                continue
            if delta != (0, 0):
                self._in += delta[0]
                self._out += delta[1]
                occupancy = self.room.add(delta[0], delta[1], t)
                self.push(FootfallReading(self.device.name, t, delta[0], delta[1], occupancy))
            elif frame.boot_id != previous_boot or not self._state_recorded:
                self._record_state(t)
        return len(frames)

    def on_tick(self, ser) -> None:
        self._roll_minute(self.clock())

    def finish(self) -> None:
        self._flush(self.clock())

    def _roll_minute(self, t: float) -> None:
        minute = local_minute(t, self.tz)
        if minute != self._minute:
            self._flush(t)
            self._minute = minute

    def _flush(self, t: float) -> None:
        """Record the pending minute with the tracker state that includes exactly its passages."""
        if self._in or self._out:
            self.emit("footfall.minute", {"sensor": self.device.name, "minute": self._minute, "in": self._in,
                                          "out": self._out, **self.tracker.state()}, t)
            self._in = self._out = 0
            self._state_recorded = True

    def _record_state(self, t: float) -> None:
        # Only with no pending passages: a state ahead of the recorded minutes would lose them.
        if not (self._in or self._out):
            self.emit("footfall.state", {"sensor": self.device.name, **self.tracker.state()}, t)
            self._state_recorded = True

    def rejected(self) -> int:
        return self.parser.stats.rejected + self.tracker.regressions

    def garbage_bytes(self) -> int:
        return self.parser.stats.garbage_bytes

    def extra_status(self) -> dict[str, Any]:
        return {"duplicates": self.tracker.duplicates, "reboots": self.tracker.reboots}
