"""Finding a device's port: a stable path as configured, or `auto` by USB vendor/product id.

Several readers may look for the same adapter (the SDS011's CH340 is also on Arduino clones), so
ports being tried or used are claimed in a shared PortClaims; a reader confirms a candidate by its
first valid frame and releases it otherwise.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Iterable

from hardware.config import USB_IDS, DeviceConfig


@dataclass(frozen=True)
class PortInfo:
    """The part of serial.tools.list_ports' ListPortInfo that discovery uses."""

    device: str
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    description: str = ""


PortLister = Callable[[], Iterable[PortInfo]]


def system_ports() -> list[PortInfo]:
    from serial.tools import list_ports  # imported late: it walks sysfs

    return [PortInfo(p.device, p.vid, p.pid, p.serial_number, p.description or "") for p in list_ports.comports()]


class PortClaims:
    """Which reader holds which port path; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: dict[str, str] = {}

    def claim(self, path: str, owner: str) -> bool:
        with self._lock:
            if self._owner.get(path, owner) != owner:
                return False
            self._owner[path] = owner
            return True

    def release(self, path: str | None, owner: str) -> None:
        with self._lock:
            if path is not None and self._owner.get(path) == owner:
                del self._owner[path]

    def held(self) -> dict[str, str]:
        with self._lock:
            return dict(self._owner)


def candidates(device: DeviceConfig, ports: Iterable[PortInfo]) -> list[str]:
    """Port paths that may be this device, best first (adapters with a known id, stable order)."""
    wanted = device.usb_ids or USB_IDS.get(device.kind, ())
    found = []
    for port in ports:
        if port.vid is None or (port.vid, port.pid) not in wanted:
            continue
        if device.serial_number is not None and port.serial_number != device.serial_number:
            continue
        found.append((wanted.index((port.vid, port.pid)), port.device))
    return [path for _, path in sorted(found)]
