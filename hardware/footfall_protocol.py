"""Door counters: cumulative totals -> passages, exactly once across lost lines, reboots, swaps and restarts.

The state of each (device, boot) lives in a CounterBook shared by the service's door readers
(footfall_state.py): a line is only ever diffed against its own board's and boot's last line. Same
boot: passages are the growth of the totals, so a lost line loses nothing; an older or repeated seq is
a duplicate. New boot: the board counted from zero, so its totals are all new passages. The state rides
along in every footfall.minute event (and in footfall.state when no minute is pending): after a kiosk
restart the book reads it back, so counts recorded before the restart are never counted again and
counts made while the kiosk was down (device not reset) are counted once.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from hardware.device_protocol import DeviceProtocol, local_minute
from hardware.footfall_state import FOREIGN, CounterBook, FootfallTracker, Key, Limits
from hardware.protocols.footfall import FootfallParser
from hardware.readings import FootfallReading
from hardware.room import RoomOccupancy


class FootfallProtocol(DeviceProtocol):
    def __init__(self, device, *, room: RoomOccupancy, db_path: Path | str | None, book: CounterBook | None = None,
                 **kw):
        super().__init__(device, **kw)
        self.room = room
        self.db_path = db_path
        self.parser = FootfallParser()
        self.tracker = FootfallTracker(book if book is not None else CounterBook(db_path),
                                       device_id=device.device_id,
                                       limits=Limits(heartbeat_s=self.timing.footfall_heartbeat_s))
        self.silence_s = 3 * self.timing.footfall_heartbeat_s
        self.confirm_s = 1.5 * self.timing.footfall_heartbeat_s
        self._minute: str | None = None
        self._in = self._out = 0
        self._pending_key: Key | None = None           # the (device, boot) of the pending passages
        self._pending_state: dict[str, Any] = {}       # its state including exactly those passages

    def resume(self) -> None:
        self.room.restore_once(self.db_path, self.clock())

    def connection_made(self, port) -> None:
        # Arduino boards reboot when the port opens and print boot-loader noise: a fresh parser,
        # and the noise is counted as garbage like any other. Any board may be behind the port now.
        self.parser.reset()
        self.tracker.new_session()

    def data_received(self, data: bytes) -> int:
        """Passages of the lines in data; returns how many lines came from this reader's board."""
        frames = self.parser.feed(data)
        ours = 0
        for frame in frames:
            t = self.clock()
            self._roll_minute(t)
            delta = self.tracker.update(frame, t)
            if self.tracker.outcome == FOREIGN:
                continue
            ours += 1
            if delta is None:
                continue
            self.value = {"in": frame.total_in, "out": frame.total_out, "device": frame.device,
                          "boot_id": frame.boot_id}
            if self._pending_key not in (None, self.tracker.key):
                self._flush(t)      # one minute row carries one (device, boot)'s state
            if delta != (0, 0):
                self._in += delta[0]
                self._out += delta[1]
                self._pending_key, self._pending_state = self.tracker.key, self.tracker.state()
                occupancy = self.room.add(delta[0], delta[1], t)
                self.outlet.reading(FootfallReading(self.device.name, t, delta[0], delta[1], occupancy))
            elif self.tracker.fresh:
                self._record_state(t)
        return ours

    def tick(self, port, now: float) -> None:
        self._roll_minute(self.clock())

    def connection_lost(self) -> None:
        # The board may turn up on another reader next: its passages go to the log with their
        # state now, not at the end of the minute.
        self._flush(self.clock())

    def finish(self) -> None:
        self._flush(self.clock())

    def no_frame_reason(self) -> str:
        if self.tracker.outcome == FOREIGN:
            return f"{self.tracker.reason}: another door's counter?"
        return super().no_frame_reason()

    def _roll_minute(self, t: float) -> None:
        minute = local_minute(t, self.tz)
        if minute != self._minute:
            self._flush(t)
            self._minute = minute

    def _flush(self, t: float) -> None:
        """Record the pending minute with the tracker state that includes exactly its passages."""
        if self._in or self._out:
            self.outlet.event("footfall.minute", {"sensor": self.device.name, "minute": self._minute,
                                                  "in": self._in, "out": self._out, **self._pending_state}, t)
            self._in = self._out = 0
            self._pending_key = None

    def _record_state(self, t: float) -> None:
        # Only with no pending passages: a state ahead of the recorded minutes would lose them.
        if not (self._in or self._out):
            self.outlet.event("footfall.state", {"sensor": self.device.name, **self.tracker.state()}, t)

    def counters(self) -> dict[str, int]:
        tracker = self.tracker
        return {"rejected": self.parser.stats.rejected + tracker.regressions + tracker.implausible,
                "garbage_bytes": self.parser.stats.garbage_bytes, "duplicates": tracker.duplicates,
                "reboots": tracker.reboots, "foreign": tracker.foreign, "implausible": tracker.implausible}
