"""The reader thread of one device: find its port, open it, read, reconnect with backoff.

One generic thread (as pyserial's serial.threaded.ReaderThread) for every kind; what the bytes mean is
the device's DeviceProtocol (device_protocol.py), which this thread feeds. Every serial call happens
in this thread; the frame loop only sees the queue and status(). Port and file descriptor are closed
on every exit path.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from types import MappingProxyType
from typing import Callable

import serial

from hardware.device_protocol import DeviceProtocol, Outlet, Timing
from hardware.ports import PortClaims, PortLister, candidates
from hardware.readings import OFFLINE, WARMING_UP, DeviceStatus, StatusReading

__all__ = ["ReaderThread", "Timing"]
log = logging.getLogger(__name__)


class ReaderThread(threading.Thread):
    def __init__(self, protocol: DeviceProtocol, *, claims: PortClaims, list_ports: PortLister, timing: Timing):
        super().__init__(name=f"sensor-{protocol.device.name}", daemon=True)
        self.protocol = protocol
        self.device = protocol.device
        self.outlet: Outlet = protocol.outlet
        self.clock: Callable[[], float] = protocol.clock
        self.claims = claims
        self.list_ports = list_ports
        self.timing = timing
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._state: str | None = None
        self._since: float | None = None
        self._port: str | None = None
        self._last_error = ""
        self._opens = 0
        self._auto_index = 0

    # -- called from other threads --------------------------------------------------------------
    def stop(self) -> None:
        self._stopping.set()

    def status(self) -> DeviceStatus:
        value = self.protocol.value
        with self._lock:
            state = self._state or OFFLINE
            return DeviceStatus(
                name=self.device.name, kind=self.device.kind, connected=state != OFFLINE, since=self._since,
                last_value=MappingProxyType(dict(value)) if value else None, state=state, port=self._port,
                warming_up=state == WARMING_UP, reconnects=max(0, self._opens - 1), last_error=self._last_error,
                **self.protocol.counters())

    # -- the thread ------------------------------------------------------------------------------
    def set_state(self, state: str, *, record: bool = True) -> None:
        with self._lock:
            if state == self._state:
                return
            self._state = state
            self._since = now = self.clock()
        self.outlet.reading(StatusReading(self.device.name, now, state))
        if record:
            self.outlet.event("sensor.status", {"sensor": self.device.name, "state": state}, now)

    def run(self) -> None:
        try:
            self.protocol.resume()
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
            self.protocol.finish()
        except Exception:
            log.exception("sensor %s: finish failed", self.device.name)

    def _idle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            now = time.monotonic()
            if now >= deadline:
                return
            self._stopping.wait(min(deadline - now, 1.0))
            self.protocol.tick(None, time.monotonic())

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
            protocol = self.protocol
            protocol.connection_made(ser)
            last_valid = time.monotonic()
            while not self._stopping.is_set():
                data = ser.read(max(1, ser.in_waiting))
                now = time.monotonic()
                if data and protocol.data_received(data):
                    last_valid = now
                    if not confirmed:
                        confirmed = True
                        with self._lock:
                            self._opens += 1
                protocol.tick(ser, now)
                if confirmed:
                    self.set_state(protocol.live_state())   # connected, or still warming up
                limit = protocol.silence_s if confirmed else protocol.confirm_s
                if now - last_valid > limit:
                    self._note_error("silent" if confirmed else protocol.no_frame_reason())
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
                self.protocol.connection_lost()
            except Exception:
                log.exception("sensor %s: connection_lost failed", self.device.name)
        return confirmed
