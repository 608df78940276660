"""What the fakes emulate: a room with visitors, a door counter, an SDS011 and an MH-Z19B."""
from __future__ import annotations

import threading
import time
from collections import deque

import numpy as np

from hardware.fake_pty import FakeSerialDevice
from hardware.protocols import footfall, mhz19, sds011


class FakeRoom:
    """Visitors arrive (Poisson), stay (exponential) and leave; they breathe out CO2 and stir dust.

    Simulated time runs `time_scale` times faster than real time. CO2 is a well-mixed box:
    dC/dt = G * n / V - λ (C - C_out), G = 0.0052 L/s per seated adult (ASHRAE 62.1 basis), V = 250 m³,
    λ = 3 air changes per hour. PM2.5 = background + a small resuspension term per person.
    """

    def __init__(self, *, visitors_per_minute: float = 4.0, mean_stay_min: float = 12.0, time_scale: float = 20.0,
                 volume_m3: float = 250.0, air_changes_per_h: float = 3.0, co2_outdoor_ppm: float = 420.0,
                 pm25_background: float = 6.0, seed: int = 0):
        self.rate_per_s = visitors_per_minute / 60.0
        self.mean_stay_s = mean_stay_min * 60.0
        self.time_scale = time_scale
        self.volume_m3 = volume_m3
        self.air_change_per_s = air_changes_per_h / 3600.0
        self.co2_outdoor = co2_outdoor_ppm
        self.pm25_background = pm25_background
        self.rng = np.random.default_rng(seed)
        self.lock = threading.Lock()
        self.co2_ppm = co2_outdoor_ppm + 80.0
        self.present = 0
        self._leaves: list[float] = []
        self._sim_t = 0.0
        self._last_real: float | None = None
        self._passages: deque[int] = deque()   # +1 in, -1 out, for the door counter to see

    def advance(self, real_now: float | None = None) -> None:
        real_now = time.monotonic() if real_now is None else real_now
        with self.lock:
            if self._last_real is None:
                self._last_real = real_now
            dt = (real_now - self._last_real) * self.time_scale
            self._last_real = real_now
            if dt <= 0:
                return
            t0, t1 = self._sim_t, self._sim_t + dt
            arrivals = int(self.rng.poisson(self.rate_per_s * dt)) if self.rate_per_s > 0 else 0
            for _ in range(arrivals):
                self._walk_in(t1 + float(self.rng.exponential(self.mean_stay_s)))
            due = [t for t in self._leaves if t <= t1]
            for _ in due:
                self._walk_out()
            self._leaves = [t for t in self._leaves if t > t1]
            generation_ppm_per_s = 0.0052e-3 / self.volume_m3 * 1e6   # per person
            rate = generation_ppm_per_s * self.present - self.air_change_per_s * (self.co2_ppm - self.co2_outdoor)
            self.co2_ppm += rate * min(dt, 60.0) if dt > 60.0 else rate * dt
            self._sim_t = t1 if t1 > t0 else t0

    def _walk_in(self, leave_at: float) -> None:
        self.present += 1
        self._leaves.append(leave_at)
        self._passages.append(+1)

    def _walk_out(self) -> None:
        self.present = max(0, self.present - 1)
        self._passages.append(-1)

    def take_passages(self) -> list[int]:
        with self.lock:
            out = list(self._passages)
            self._passages.clear()
            return out

    def pm25(self) -> float:
        return self.pm25_background + 0.4 * self.present + float(self.rng.normal(0, 0.3))


class FakeDoorCounter(FakeSerialDevice):
    """The firmware of hardware/firmware/qsec_footfall as seen from the wire."""

    kind = "footfall"

    def __init__(self, *, heartbeat_s: float = 10.0, reset_on_open: bool = False, boot_noise_s: float = 0.3,
                 device_id: str = "porte1", **kw):
        self.heartbeat_s = heartbeat_s
        self.reset_on_open = reset_on_open
        self.boot_noise_s = boot_noise_s
        self.device_id = device_id
        self.powered = False
        self.boot_id = ""
        self.seq = self.total_in = self.total_out = 0
        self.counted_in = self.counted_out = 0   # truth: every passage a powered device counted
        self.missed = 0                          # passages while unpowered
        self._noise_until = 0.0
        self._next_heartbeat = 0.0
        self._pending: deque[int] = deque()
        self.boots = 0
        super().__init__(**kw)

    def power_on(self) -> None:
        self.powered = True
        self.boots += 1
        self.boot_id = f"{int(self.rng.integers(0, 2**32)):08X}"
        self.seq = self.total_in = self.total_out = 0
        self._noise_until = time.monotonic() + self.boot_noise_s
        self._next_heartbeat = 0.0   # the B line goes out as soon as the noise is over

    def power_off(self) -> None:
        self.powered = False

    def on_port_opened(self) -> None:
        if self.reset_on_open:  # DTR pulse resets an Arduino Uno: counts since the last line are lost
            self.power_on()

    def reboot(self) -> None:
        with self.lock:
            self.power_on()

    def walk(self, passages_in: int = 0, passages_out: int = 0) -> None:
        """People walk through the door now (in addition to the simulated room's visitors)."""
        with self.lock:
            self._pending.extend([+1] * passages_in + [-1] * passages_out)

    def _line(self, kind: str) -> bytes:
        line = footfall.encode_line(self.device_id, self.boot_id, self.seq, self.total_in, self.total_out, kind)
        self.seq += 1
        return line

    def step(self, now: float) -> None:
        if self.room is not None:
            self.room.advance(now)
            self._pending.extend(self.room.take_passages())
        if not self.powered:
            self.missed += len(self._pending)
            self._pending.clear()
            return
        if now < self._noise_until:
            self.write_raw(self.rng.integers(0, 256, 8, dtype=np.uint8).tobytes())
            self._pending_while_booting()
            return
        while self._pending:
            direction = self._pending.popleft()
            if direction > 0:
                self.total_in += 1
                self.counted_in += 1
            else:
                self.total_out += 1
                self.counted_out += 1
            self.send(self._line("E"), text=True)
        if now >= self._next_heartbeat:
            self.send(self._line("B" if self.seq == 0 else "H"), text=True)
            self._next_heartbeat = now + self.heartbeat_s

    def _pending_while_booting(self) -> None:
        # A booting board does not count: passages during boot noise are missed.
        self.missed += len(self._pending)
        self._pending.clear()


class FakeDustSensor(FakeSerialDevice):
    kind = "sds011"

    def __init__(self, *, working_period_min: int = 0, device_id: int = 0xA1B2, **kw):
        self.working_period_min = working_period_min
        self.device_id = device_id
        self.commands: list[int] = []
        self._buffer = bytearray()
        self._next_report = 0.0
        super().__init__(**kw)

    def power_on(self) -> None:
        self._buffer.clear()
        self._next_report = time.monotonic() + 1.0

    def _report_period_s(self) -> float:
        period = 60.0 * self.working_period_min if self.working_period_min else 1.0
        return period / (self.room.time_scale if self.room is not None and self.working_period_min else 1.0)

    def _frame(self) -> bytes:
        pm25 = self.room.pm25() if self.room is not None else 8.0
        pm25 = min(max(pm25, 0.0), 999.9)
        return sds011.encode_data(pm25, min(999.9, pm25 * 1.6), self.device_id)

    def on_host_bytes(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= sds011.COMMAND_LEN:
            start = self._buffer.find(bytes([sds011.HEAD, sds011.COMMAND]))
            if start < 0:
                del self._buffer[:-1]
                return
            del self._buffer[:start]
            if len(self._buffer) < sds011.COMMAND_LEN:
                return
            parsed = sds011.parse_command(bytes(self._buffer[: sds011.COMMAND_LEN]))
            if parsed is None:
                del self._buffer[:1]
                continue
            del self._buffer[: sds011.COMMAND_LEN]
            cmd, data12 = parsed
            self.commands.append(cmd)
            if cmd == sds011.CMD_QUERY:
                self.send(self._frame())
            else:
                if cmd == sds011.CMD_WORKING_PERIOD and data12[0] == 1:
                    self.working_period_min = data12[1]
                    self._next_report = time.monotonic() + min(0.5, self._report_period_s())
                self.write_raw(sds011.encode_reply(cmd, data12[:3], self.device_id))

    def step(self, now: float) -> None:
        if self.room is not None:
            self.room.advance(now)
        if self.port_open and now >= self._next_report:
            self.send(self._frame())
            self._next_report = now + self._report_period_s()


class FakeCO2Sensor(FakeSerialDevice):
    kind = "mhz19"

    def __init__(self, *, warm_up_s: float = 20.0, **kw):
        self.warm_up_s = warm_up_s
        self.abc: bool | None = None
        self.requests = 0
        self._buffer = bytearray()
        self._powered_at = 0.0
        super().__init__(**kw)

    def power_on(self) -> None:
        self._buffer.clear()
        self._powered_at = time.monotonic()

    def ppm(self) -> int:
        if time.monotonic() - self._powered_at < self.warm_up_s:
            return 500  # a cold MH-Z19B answers with a fixed placeholder until warmed up
        if self.room is None:
            return 600
        self.room.advance()
        return int(round(self.room.co2_ppm + self.rng.normal(0, 5)))

    def on_host_bytes(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= mhz19.FRAME_LEN:
            start = self._buffer.find(bytes([mhz19.START, mhz19.SENSOR_NUMBER]))
            if start < 0:
                del self._buffer[:-1]
                return
            del self._buffer[:start]
            if len(self._buffer) < mhz19.FRAME_LEN:
                return
            cmd = mhz19.parse_command(bytes(self._buffer[: mhz19.FRAME_LEN]))
            if cmd is None:
                del self._buffer[:1]
                continue
            frame = bytes(self._buffer[: mhz19.FRAME_LEN])
            del self._buffer[: mhz19.FRAME_LEN]
            if cmd == mhz19.CMD_READ:
                self.requests += 1
                self.send(mhz19.encode_response(max(0, self.ppm())))
            elif cmd == mhz19.CMD_ABC:
                self.abc = frame[3] == 0xA0
