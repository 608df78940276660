"""What a device's bytes mean, apart from the thread that reads them (pyserial's `serial.threaded` split).

A DeviceProtocol is fed bytes and the passing of time and emits readings, events and a value to show;
it never opens a port, sleeps or starts a thread, so a test drives it by calling its methods. The
ReaderThread (reader.py) finds and opens the port, reconnects, and calls, all from its own thread:

    resume()                  once at start, before the first open (read the last state from the log)
    connection_made(port)     after each open; `port` is anything with write(bytes) (commands)
    data_received(data)       -> how many valid frames of this device were in data
    tick(port, now)           a few times a second, also while unplugged (port None): minutes roll over
    connection_lost()         after each connection
    finish()                  once at the end (record what is pending)

`now` is monotonic seconds (polling); event and reading times come from `clock` (wall time, injectable).
"""
from __future__ import annotations

import logging
import queue
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Callable, Protocol

from eventlog.stamps import utc_iso
from hardware.config import DeviceConfig
from hardware.readings import CONNECTED, Reading

log = logging.getLogger(__name__)
Record = Callable[..., Any]


@dataclass(frozen=True)
class Timing:
    """Real-time (monotonic) delays. Tests shorten them; the defaults suit real devices."""

    read_timeout_s: float = 0.5     # longest a read blocks: also how fast stop() is noticed
    backoff_min_s: float = 0.5      # first retry after a failure, doubled up to backoff_max_s
    backoff_max_s: float = 15.0
    footfall_heartbeat_s: float = 10.0   # the firmware's; silence after 3 of them = reconnect
    air_confirm_s: float = 3.0      # an air sensor answers a command within this


class Port(Protocol):
    def write(self, data: bytes) -> Any: ...


def local_minute(t: float, tz: tzinfo | None) -> str:
    """Local ISO minute, e.g. 2026-11-25T18:42 (what footfall.minute and sensor.air carry)."""
    return datetime.fromtimestamp(t, tz).strftime("%Y-%m-%dT%H:%M") if tz else \
        datetime.fromtimestamp(t).strftime("%Y-%m-%dT%H:%M")


class Outlet:
    """Where a device's results go: readings to the frame loop (a bounded queue), events to the log."""

    def __init__(self, sensor: str, out: "queue.Queue[Reading]", record: Record):
        self.sensor = sensor
        self.out = out
        self._record = record
        self._dropping = False

    def reading(self, reading: Reading) -> None:
        """Hand a reading to the frame loop; never blocks (if nobody drains, the oldest go first)."""
        while True:
            try:
                self.out.put_nowait(reading)
                return
            except queue.Full:
                if not self._dropping:
                    self._dropping = True
                    log.warning("sensor %s: nobody takes its readings, the oldest are dropped", self.sensor)
                try:
                    self.out.get_nowait()
                except queue.Empty:
                    pass

    def event(self, kind: str, payload: dict[str, Any], t: float) -> None:
        """Record an event at clock time t; the log must never take a reader down."""
        try:
            self._record(kind, payload, station=None, session_id=None, ts=utc_iso(t))
        except Exception:
            log.exception("sensor %s could not record %s", self.sensor, kind)


class DeviceProtocol:
    """Base of the per-device protocols: no-op hooks, the value shown, and the status counters."""

    def __init__(self, device: DeviceConfig, *, outlet: Outlet, clock: Callable[[], float],
                 tz: tzinfo | None, timing: Timing):
        self.device = device
        self.outlet = outlet
        self.clock = clock
        self.tz = tz
        self.timing = timing
        self.confirm_s = 3.0    # open -> first valid frame, else the port is not this device
        self.silence_s = 10.0   # no valid frame for this long -> close and reopen
        self.value: dict[str, Any] | None = None   # the last value, for the status (replaced, never mutated)

    def resume(self) -> None: ...
    def connection_made(self, port: Port) -> None: ...
    def data_received(self, data: bytes) -> int: return 0
    def tick(self, port: Port | None, now: float) -> None: ...
    def connection_lost(self) -> None: ...
    def finish(self) -> None: ...

    def live_state(self) -> str:
        """The state to show while frames arrive (connected, or warming_up)."""
        return CONNECTED

    def no_frame_reason(self) -> str:
        return "no valid frame: not this device?"

    def counters(self) -> dict[str, int]:
        """rejected, garbage_bytes and the kind's own counters, as DeviceStatus fields."""
        return {"rejected": 0, "garbage_bytes": 0}
