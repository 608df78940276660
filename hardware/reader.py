"""The reader thread of one device: find its port, open it, talk, reconnect with backoff.

Subclasses (footfall_reader, air_readers) speak the protocol through hooks: prepare() once at
start, on_open(ser) after each open, on_bytes(data) -> valid frame count, on_tick(ser) a few times a
second (also while unplugged, so minutes roll over), on_close() after each connection. Every serial call happens in this thread; the
frame loop only sees the queue and status(). Port and file descriptor are closed on every exit path.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from types import MappingProxyType
from datetime import datetime, tzinfo
from typing import Any, Callable

import serial

from eventlog.stamps import utc_iso
from hardware.config import DeviceConfig
from hardware.ports import PortClaims, PortLister, candidates
from hardware.readings import CONNECTED, OFFLINE, WARMING_UP, DeviceStatus, StatusReading

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


def local_minute(t: float, tz: tzinfo | None) -> str:
    """Local ISO minute, e.g. 2026-11-25T18:42 (what footfall.minute and sensor.air carry)."""
    return datetime.fromtimestamp(t, tz).strftime("%Y-%m-%dT%H:%M") if tz else \
        datetime.fromtimestamp(t).strftime("%Y-%m-%dT%H:%M")


class DeviceReader(threading.Thread):
    confirm_s: float = 3.0      # open -> first valid frame, else the port is not this device
    silence_s: float = 10.0     # no valid frame for this long -> close and reopen

    def __init__(self, device: DeviceConfig, *, out: "queue.Queue", record: Record, clock: Callable[[], float],
                 tz: tzinfo | None, claims: PortClaims, list_ports: PortLister, timing: Timing):
        super().__init__(name=f"sensor-{device.name}", daemon=True)
        self.device = device
        self.out = out
        self._record = record
        self.clock = clock
        self.tz = tz
        self.claims = claims
        self.list_ports = list_ports
        self.timing = timing
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._state: str | None = None
        self._since: float | None = None
        self._port: str | None = None
        self._last_value: dict[str, Any] | None = None
        self._last_error = ""
        self._opens = 0
        self._auto_index = 0
        self.dropped = 0            # readings dropped because nobody drained the queue

    # -- called from other threads --------------------------------------------------------------
    def stop(self) -> None:
        self._stopping.set()

    def status(self) -> DeviceStatus:
        with self._lock:
            state = self._state or OFFLINE
            return DeviceStatus(
                name=self.device.name, kind=self.device.kind, connected=state != OFFLINE,
                since=self._since,
                last_value=MappingProxyType(dict(self._last_value)) if self._last_value else None,
                rejected=self.rejected(), warming_up=state == WARMING_UP, state=state, port=self._port,
                garbage_bytes=self.garbage_bytes(), reconnects=max(0, self._opens - 1),
                last_error=self._last_error, **self.extra_status())

    # -- hooks ---------------------------------------------------------------------------------
    def prepare(self) -> None: ...
    def on_open(self, ser: serial.Serial) -> None: ...
    def on_bytes(self, data: bytes) -> int: return 0
    def on_tick(self, ser: serial.Serial | None) -> None: ...
    def on_close(self) -> None: ...
    def live_state(self) -> str: return CONNECTED
    def no_frame_reason(self) -> str: return "no valid frame: not this device?"
    def finish(self) -> None: ...
    def rejected(self) -> int: return 0
    def garbage_bytes(self) -> int: return 0
    def extra_status(self) -> dict[str, Any]: return {}

    # -- helpers for subclasses ------------------------------------------------------------------
    def emit(self, kind: str, payload: dict[str, Any], t: float | None = None) -> None:
        """Record an event; the log must never take a reader down."""
        try:
            self._record(kind, payload, station=None, session_id=None, ts=utc_iso(self.clock() if t is None else t))
        except Exception:
            log.exception("sensor %s could not record %s", self.device.name, kind)

    def set_value(self, value: dict[str, Any]) -> None:
        with self._lock:
            self._last_value = value

    def push(self, reading) -> None:
        """Hand a reading to the frame loop; never blocks (if nobody drains, the oldest go first)."""
        while True:
            try:
                self.out.put_nowait(reading)
                return
            except queue.Full:
                try:
                    self.out.get_nowait()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def set_state(self, state: str, *, record: bool = True) -> None:
        with self._lock:
            if state == self._state:
                return
            self._state = state
            self._since = now = self.clock()
        self.push(StatusReading(self.device.name, now, state))
        if record:
            self.emit("sensor.status", {"sensor": self.device.name, "state": state}, now)

    @property
    def state(self) -> str | None:
        return self._state

    # -- the thread ------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            self.prepare()
        except Exception:  # a broken event log must not stop the counting
            log.exception("sensor %s: could not read its last state", self.device.name)
        delay = self.timing.backoff_min_s
        while not self._stopping.is_set():
            path = self._next_port()
            confirmed = self._session(path) if path else False
            # Stopping is the kiosk closing, not the device failing: not worth an event.
            self.set_state(OFFLINE, record=not self._stopping.is_set())
            delay = self.timing.backoff_min_s if confirmed else min(delay * 2, self.timing.backoff_max_s)
            self._idle(delay)
        try:
            self.finish()
        except Exception:
            log.exception("sensor %s: finish failed", self.device.name)

    def _idle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._stopping.wait(min(left, 1.0))
            self.on_tick(None)

    def _next_port(self) -> str | None:
        if not self.device.auto:
            if os.path.exists(self.device.port):
                return self.device.port
            self._note_error(f"{self.device.port} absent")
            return None
        try:
            held = self.claims.held()
            paths = [p for p in candidates(self.device, self.list_ports())
                     if held.get(p, self.device.name) == self.device.name]
        except Exception as exc:  # list_ports reads sysfs; a weird adapter must not kill the thread
            self._note_error(f"port listing failed: {exc}")
            return None
        if not paths:
            self._note_error("no matching USB adapter")
            return None
        self._auto_index = (self._auto_index + 1) % len(paths)
        return paths[self._auto_index]

    def _note_error(self, message: str) -> None:
        with self._lock:
            self._last_error = message

    def _session(self, path: str) -> bool:
        """Open path, read until stop, silence or error. True when the device was confirmed."""
        if not self.claims.claim(path, self.device.name):
            return False
        ser: serial.Serial | None = None
        confirmed = False
        try:
            ser = serial.Serial(path, self.device.baudrate, timeout=self.timing.read_timeout_s,
                                write_timeout=1.0, exclusive=True)
            with self._lock:
                self._port = path
            self.on_open(ser)
            last_valid = time.monotonic()
            while not self._stopping.is_set():
                data = ser.read(max(1, ser.in_waiting))
                now = time.monotonic()
                if data and self.on_bytes(data):
                    last_valid = now
                    if not confirmed:
                        confirmed = True
                        with self._lock:
                            self._opens += 1
                    self.set_state(self.live_state())
                self.on_tick(ser)
                limit = self.silence_s if confirmed else self.confirm_s
                if now - last_valid > limit:
                    self._note_error("silent" if confirmed else self.no_frame_reason())
                    break
        except (serial.SerialException, OSError, ValueError) as exc:
            self._note_error(str(exc))
        finally:
            if ser is not None:
                try:
                    ser.close()
                except (serial.SerialException, OSError):
                    pass
            self.claims.release(path, self.device.name)
            try:
                self.on_close()
            except Exception:
                log.exception("sensor %s: on_close failed", self.device.name)
        return confirmed
