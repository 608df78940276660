"""SensorService: the runtime's one handle on the serial sensors (hardware/README.md, "Wiring").

    svc = SensorService(devices=parse_sensor_config(section), record=recorder.record, clock=time.time,
                        db_path=data_dir / "events.sqlite3", tz=ZoneInfo("Europe/Paris"))
    svc.start()              # one reader thread per device; returns at once
    for r in svc.drain(): ...  # each frame, non-blocking
    svc.snapshot()           # immutable SensorSnapshot for screens and the CLI
    svc.stop()               # joins the threads, closes the ports
"""
from __future__ import annotations

import queue
import time
from datetime import tzinfo
from pathlib import Path
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from hardware.air_protocols import MHZ19Protocol, SDS011Protocol
from hardware.config import DEFAULT_OPENING_RESET, DeviceConfig, check_sensor_config, parse_sensor_config
from hardware.device_protocol import DeviceProtocol, Outlet, Record, Timing
from hardware.footfall_protocol import FootfallProtocol
from hardware.footfall_state import CounterBook
from hardware.ports import PortClaims, PortLister, system_ports
from hardware.reader import ReaderThread
from hardware.readings import CONNECTED, Reading, SensorSnapshot
from hardware.room import RoomOccupancy

__all__ = ["SensorService", "parse_sensor_config", "check_sensor_config", "Timing"]

PROTOCOLS: dict[str, type[DeviceProtocol]] = {"footfall": FootfallProtocol, "sds011": SDS011Protocol,
                                              "mhz19": MHZ19Protocol}
MAX_DRAIN = 500  # per frame: a flood of readings must not stall a frame
QUEUE_SIZE = 10_000  # about an hour of readings: if nobody drains, the oldest are dropped


def _no_record(kind, payload, **kw) -> None:
    return None


class SensorService:
    def __init__(self, devices: Iterable[DeviceConfig] = (), record: Record | None = None,
                 clock: Callable[[], float] = time.time, *, db_path: Path | str | None = None,
                 tz: tzinfo | str | None = None, list_ports: PortLister = system_ports,
                 timing: Timing | None = None):
        self.devices = list(devices)
        self.clock = clock
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.timing = timing if timing is not None else Timing()
        self._queue: queue.Queue[Reading] = queue.Queue(maxsize=QUEUE_SIZE)
        self._db_path = db_path
        self._list_ports = list_ports
        self._record = record if record is not None else _no_record
        door_resets = [d.opening_reset for d in self.devices if d.kind == "footfall"]
        self.room = RoomOccupancy(door_resets[0] if door_resets else DEFAULT_OPENING_RESET, self.tz)
        self.claims = PortClaims()
        self.book = CounterBook(db_path)    # every door counter's (device, boot) state, for all readers
        self.readers: list[ReaderThread] = self._build_readers()
        self._started = False

    def protocol(self, device: DeviceConfig) -> DeviceProtocol:
        """The protocol of one device, wired to this service's queue, log, clock and room."""
        extra = {"room": self.room, "db_path": self._db_path, "book": self.book} if device.kind == "footfall" else {}
        return PROTOCOLS[device.kind](device, outlet=Outlet(device.name, self._queue, self._record), clock=self.clock,
                                      tz=self.tz, timing=self.timing, **extra)

    def _build_readers(self) -> list[ReaderThread]:
        return [ReaderThread(self.protocol(device), claims=self.claims, list_ports=self._list_ports,
                             timing=self.timing) for device in self.devices]

    def start(self) -> None:
        """Start one reader thread per device; never blocks (state is read back inside the threads).
        After stop(), start() again builds fresh threads (they pick up their state from the log)."""
        if self._started:
            return
        self._started = True
        if any(r.ident is not None for r in self.readers):
            self.readers = self._build_readers()
        for reader in self.readers:
            reader.start()

    def drain(self, limit: int = MAX_DRAIN) -> list[Reading]:
        out: list[Reading] = []
        while len(out) < limit:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return out

    def snapshot(self) -> SensorSnapshot:
        statuses = tuple(r.status() for r in self.readers)
        now = self.clock()

        def latest(key: str):
            for status in statuses:
                if status.state == CONNECTED and status.last_value and key in status.last_value:
                    return status.last_value[key]
            return None

        has_door = any(d.kind == "footfall" for d in self.devices)
        return SensorSnapshot(
            devices=statuses, occupancy=self.room.value(now) if has_door else None,
            co2_ppm=latest("co2_ppm"), pm25=latest("pm25"), pm10=latest("pm10"))

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and join every reader: each closes its port and records its pending minute."""
        for reader in self.readers:
            reader.stop()
        deadline = time.monotonic() + timeout
        for reader in self.readers:
            if reader.is_alive():
                reader.join(max(0.1, deadline - time.monotonic()))
        self._started = False

    @property
    def alive_threads(self) -> int:
        return sum(r.is_alive() for r in self.readers)
