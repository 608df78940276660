"""Byte-exact fakes of the three devices on pseudo-terminals, for tests, demos and `--fake-sensors`.

Each fake owns the master side of a pty and a stable symlink to the slave (like udev's
/dev/serial/by-id links), so the readers go through real pyserial. Faults: damaged lines or frames
(drop, garbage, bit flip, partial, duplicate; never two damaged in a row, so a heartbeat or the next
frame always recovers), unplug (the pty disappears: the device is unpowered), replug (a new pty
behind the same link: power-on), reboot, and an Arduino-style reset with boot noise when the port opens.

    rig = FakeRig.start(kinds=("footfall", "sds011", "mhz19"))
    section = rig.config_section()      # same shape as the venue config's [sensors]
    rig.door.walk(3, 1); rig.door.unplug(); rig.door.replug(); rig.stop()
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hardware.fake_devices import FakeCO2Sensor, FakeDoorCounter, FakeDustSensor, FakeRoom
from hardware.fake_pty import FakeSerialDevice, LineFaults

__all__ = ["FakeRig", "FakeRoom", "FakeDoorCounter", "FakeDustSensor", "FakeCO2Sensor", "FakeSerialDevice",
           "LineFaults"]


@dataclass
class FakeRig:
    room: FakeRoom
    devices: dict[str, FakeSerialDevice]
    link_dir: Path
    _tmp: Any = None

    @classmethod
    def start(cls, kinds: tuple[str, ...] = ("footfall", "sds011", "mhz19"), *, seed: int = 0,
              visitors_per_minute: float = 4.0, mean_stay_min: float = 12.0, time_scale: float = 20.0,
              heartbeat_s: float = 10.0, fault_rate: float = 0.0, reset_on_open: bool = False,
              boot_noise_s: float = 0.3, warm_up_s: float = 20.0, working_period_min: int = 0,
              link_dir: Path | str | None = None) -> "FakeRig":
        """Start fakes of the given kinds. Defaults suit a demo: a busy room, time 20x faster for the
        CO2 dynamics, a short warm-up; tests pass visitors_per_minute=0 and walk() by hand."""
        tmp = None
        if link_dir is None:
            tmp = tempfile.TemporaryDirectory(prefix="qsec-fake-sensors-")
            link_dir = tmp.name
        link_dir = Path(link_dir)
        rng = np.random.default_rng(seed)
        room = FakeRoom(visitors_per_minute=visitors_per_minute, mean_stay_min=mean_stay_min,
                        time_scale=time_scale, seed=int(rng.integers(2**31)))
        names = {"footfall": "porte", "sds011": "particules", "mhz19": "co2"}
        devices: dict[str, FakeSerialDevice] = {}
        for kind in kinds:
            common = dict(name=names[kind], link_dir=link_dir, seed=int(rng.integers(2**31)),
                          faults=LineFaults(rate=fault_rate), room=room)
            if kind == "footfall":
                dev = FakeDoorCounter(heartbeat_s=heartbeat_s, reset_on_open=reset_on_open,
                                      boot_noise_s=boot_noise_s, **common)
            elif kind == "sds011":
                dev = FakeDustSensor(working_period_min=working_period_min, **common)
            elif kind == "mhz19":
                dev = FakeCO2Sensor(warm_up_s=warm_up_s, **common)
            else:
                raise ValueError(f"unknown fake kind {kind!r}")
            devices[kind] = dev
        rig = cls(room=room, devices=devices, link_dir=link_dir, _tmp=tmp)
        rig.warm_up_s, rig.working_period_min = warm_up_s, working_period_min
        for dev in devices.values():
            dev.start()
        return rig

    @property
    def door(self) -> FakeDoorCounter:
        return self.devices["footfall"]  # type: ignore[return-value]

    def config_section(self) -> dict[str, Any]:
        devices = []
        for kind, dev in self.devices.items():
            entry: dict[str, Any] = {"name": dev.name, "kind": kind, "port": str(dev.link)}
            if kind == "sds011":
                entry["working_period_min"] = self.working_period_min
            if kind == "mhz19":
                entry["warm_up_s"] = self.warm_up_s
            devices.append(entry)
        return {"devices": devices, "co2_self_calibration": False}

    def stop(self) -> None:
        for dev in self.devices.values():
            dev.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
