"""What the reader threads hand to the frame loop, and the immutable status snapshot.

Readings travel in a queue.Queue from the reader threads to SensorService.drain(); the runtime wraps
each one in InputEvent(kind="sensor", data=reading) for the active station.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

CONNECTED, OFFLINE, WARMING_UP = "connected", "offline", "warming_up"


@dataclass(frozen=True)
class FootfallReading:
    """Passages seen by one door counter since its previous reading, and the room after them."""

    sensor: str
    t: float                 # clock() seconds
    passages_in: int
    passages_out: int
    occupancy: int           # room occupancy over every door counter, never below zero


@dataclass(frozen=True)
class AirReading:
    """One valid measurement (never during the CO2 warm-up). Fields a device does not measure are None."""

    sensor: str
    t: float
    co2_ppm: int | None = None
    pm25: float | None = None
    pm10: float | None = None


@dataclass(frozen=True)
class StatusReading:
    sensor: str
    t: float
    state: str               # connected | offline | warming_up


Reading = FootfallReading | AirReading | StatusReading


@dataclass(frozen=True)
class DeviceStatus:
    name: str
    kind: str
    connected: bool
    since: float | None            # clock() time of the last change of state (None: never seen)
    last_value: Mapping[str, Any] | None   # e.g. {"co2_ppm": 812} or {"in": 340, "out": 298}
    rejected: int                  # frames rejected (checksum, tail, malformed, out of range, overlong,
                                   #   footfall: totals down within a boot, implausible)
    warming_up: bool
    state: str = OFFLINE
    port: str | None = None        # the device path in use or last used
    garbage_bytes: int = 0
    duplicates: int = 0            # footfall lines seen twice or out of order
    reboots: int = 0               # footfall: new boots of a board heard before
    foreign: int = 0               # footfall: lines of another board than the reader's (not counted)
    implausible: int = 0           # footfall: lines against the protocol or a door's physics (in rejected)
    reconnects: int = 0            # confirmed connections after the first
    last_error: str = ""


@dataclass(frozen=True)
class SensorSnapshot:
    devices: tuple[DeviceStatus, ...] = ()
    occupancy: int | None = None   # None when no door counter is configured
    co2_ppm: int | None = None     # latest trustworthy value: None when offline or warming up
    pm25: float | None = None
    pm10: float | None = None

    def device(self, name: str) -> DeviceStatus | None:
        return next((d for d in self.devices if d.name == name), None)

    def of_kind(self, kind: str) -> tuple[DeviceStatus, ...]:
        return tuple(d for d in self.devices if d.kind == kind)
