"""Air sensors: SDS011 (PM2.5/PM10) and MH-Z19B (CO2), one sample stream each, per-minute medians.

Values go to the frame loop as AirReading as they arrive and to the log once a minute as the median
of that minute's samples (sensor.air), so one noisy frame cannot make a spike in the season's data.
"""
from __future__ import annotations

import statistics
from typing import Any

from hardware.device_protocol import DeviceProtocol, local_minute
from hardware.protocols import mhz19, sds011
from hardware.readings import CONNECTED, WARMING_UP, AirReading


class MinuteMedians:
    """Samples of the current local minute; flush() returns the medians to record."""

    def __init__(self) -> None:
        self.minute: str | None = None
        self.samples: dict[str, list[float]] = {}

    def roll(self, minute: str) -> dict[str, Any] | None:
        done = None
        if minute != self.minute:
            done = self.flush()
            self.minute = minute
        return done

    def add(self, values: dict[str, float]) -> None:
        for key, value in values.items():
            self.samples.setdefault(key, []).append(value)

    def flush(self) -> dict[str, Any] | None:
        if not self.samples or self.minute is None:
            self.samples = {}
            return None
        medians = {key: statistics.median(vals) for key, vals in self.samples.items()}
        if "co2_ppm" in medians:
            medians["co2_ppm"] = round(medians["co2_ppm"])
        else:
            medians = {key: round(v, 1) for key, v in medians.items()}
        self.samples = {}
        return {"minute": self.minute, **medians}


class AirProtocol(DeviceProtocol):
    """Samples to the frame loop as they come, their per-minute medians to the log."""

    def __init__(self, device, **kw):
        super().__init__(device, **kw)
        self.medians = MinuteMedians()

    def sample(self, values: dict[str, float]) -> None:
        t = self.clock()
        self._roll(t)
        self.medians.add(values)
        self.value = values
        self.outlet.reading(AirReading(self.device.name, t, **values))

    def tick(self, port, now: float) -> None:
        self._roll(self.clock())

    def finish(self) -> None:
        self._record_medians(self.medians.flush())

    def _roll(self, t: float) -> None:
        self._record_medians(self.medians.roll(local_minute(t, self.tz)))

    def _record_medians(self, medians: dict[str, Any] | None) -> None:
        if medians:
            self.outlet.event("sensor.air", {"sensor": self.device.name, **medians}, self.clock())

    def counters(self) -> dict[str, int]:
        return {"rejected": self.parser.stats.rejected, "garbage_bytes": self.parser.stats.garbage_bytes}


class SDS011Protocol(AirProtocol):
    def __init__(self, device, **kw):
        super().__init__(device, **kw)
        self.parser = sds011.SDS011Parser()
        self.confirm_s = self.timing.air_confirm_s
        # In working-period mode one frame comes per period; allow a missed one before reopening.
        period_s = 60.0 * device.working_period_min
        self.silence_s = 2 * period_s + 30.0 if period_s else 10.0

    def connection_made(self, port) -> None:
        self.parser.reset()
        # Working-period mode: the fan and laser sleep between readings, so the laser (about 8000 h
        # of life) lasts a three-month venue. The sensor acknowledges with a C5 reply: our confirmation.
        port.write(sds011.working_period_command(self.device.working_period_min))

    def data_received(self, data: bytes) -> int:
        items = self.parser.feed(data)
        for item in items:
            if isinstance(item, sds011.DustFrame):
                self.sample({"pm25": item.pm25, "pm10": item.pm10})
        return len(items)


class MHZ19Protocol(AirProtocol):
    def __init__(self, device, **kw):
        super().__init__(device, **kw)
        self.parser = mhz19.MHZ19Parser()
        self.confirm_s = self.timing.air_confirm_s
        self.silence_s = 3 * device.poll_s + self.timing.air_confirm_s
        self._warm_until = 0.0
        self._next_poll: float | None = None

    def connection_made(self, port) -> None:
        self.parser.reset()
        # The adapter powers the sensor: an open after a plug-in is a power-on, hence a warm-up.
        self._warm_until = self.clock() + self.device.warm_up_s
        port.write(mhz19.abc_command(self.device.self_calibration))
        port.write(mhz19.read_command())
        self._next_poll = None      # the next one poll_s after the first tick

    def live_state(self) -> str:
        return WARMING_UP if self.clock() < self._warm_until else CONNECTED

    def data_received(self, data: bytes) -> int:
        frames = self.parser.feed(data)
        for frame in frames:
            if self.clock() >= self._warm_until:   # no value is shown or recorded while warming up
                self.sample({"co2_ppm": frame.ppm})
        return len(frames)

    def tick(self, port, now: float) -> None:
        super().tick(port, now)
        if port is None:
            return
        if self._next_poll is None:
            self._next_poll = now + self.device.poll_s
        elif now >= self._next_poll:
            port.write(mhz19.read_command())
            self._next_poll = now + self.device.poll_s
