"""Measurements: loop detectors, the space-time speed field, wave speed and jam outflow.

Flows are in veh/h (per lane when said), speeds in km/h unless a name says m/s.
"""
from __future__ import annotations

from collections import deque

import numpy as np

STOPPED_MS = 1.0 / 3.6        # a vehicle slower than 1 km/h counts as stopped


class LoopDetectors:
    """Virtual induction loops at fixed positions, one per lane, aggregated per interval.

    Each closed interval yields one sample per detector and lane: (t_end, position, flow veh/h in that
    lane, mean speed km/h, min speed km/h, jam_on_road). Per lane, so that a jammed right lane next to a
    flowing left lane shows as a congested point in the fundamental diagram, not as an average.
    """

    def __init__(self, positions, lanes: int, interval_s: float = 30.0, keep: int = 4000):
        self.positions = np.asarray(positions, dtype=float)
        self.lanes = lanes
        self.interval_s = interval_s
        self.samples: deque[tuple[float, float, float, float, float, bool]] = deque(maxlen=keep)
        self._reset_interval(0.0)

    def _reset_interval(self, t: float) -> None:
        shape = (self.positions.size, self.lanes)
        self._t0 = t
        self._count = np.zeros(shape)
        self._speed_sum = np.zeros(shape)
        self._speed_min = np.full(shape, np.inf)
        self._jam = False

    def observe(self, x_old, advance, v, t: float, ring_length: float | None, jam_now: bool, lane=None) -> None:
        """Count vehicles whose front crossed a detector since the last call (vectorised)."""
        if self.positions.size == 0:
            return
        ahead = np.subtract.outer(self.positions, x_old)
        if ring_length is not None:
            ahead %= ring_length
            crossed = ahead < advance
        else:
            crossed = (ahead >= 0.0) & (ahead < advance)
        if crossed.any():
            lane = np.zeros(v.size, dtype=np.int64) if lane is None else lane
            one_hot = np.zeros((v.size, self.lanes))
            one_hot[np.arange(v.size), lane] = 1.0
            self._count += crossed @ one_hot
            self._speed_sum += crossed @ (one_hot * v[:, None])
            for k in range(self.lanes):        # a loop over lanes (at most 4), not over vehicles
                speeds = np.where(crossed & (lane == k), v, np.inf).min(axis=1)
                np.minimum(self._speed_min[:, k], speeds, out=self._speed_min[:, k])
        self._jam |= jam_now
        if t - self._t0 >= self.interval_s:
            self._close(t)

    def _close(self, t: float) -> None:
        span = t - self._t0
        for d, pos in enumerate(self.positions):
            for k in range(self.lanes):
                n = self._count[d, k]
                flow = n / span * 3600.0
                mean_kmh = self._speed_sum[d, k] / n * 3.6 if n else 0.0
                min_kmh = self._speed_min[d, k] * 3.6 if n else 0.0
                self.samples.append((t, float(pos), float(flow), float(mean_kmh), float(min_kmh), self._jam))
        self._reset_interval(t)

    def recent(self, since: float = -np.inf) -> np.ndarray:
        rows = [s for s in self.samples if s[0] >= since]
        return np.array(rows, dtype=float).reshape(-1, 6)


def jam_outflow(samples: np.ndarray, free_fraction: float = 0.7) -> float | None:
    """Outflow of jams, veh/h/lane: the flow in detector intervals downstream of a jam.

    Intervals recorded while a jam existed and whose slowest vehicle already drove at least
    `free_fraction` of the fastest interval mean (the free-flow zone after the jam head) carry the
    outflow (Treiber & Kesting 2013, ch. 18). None when there was no jam or too few samples.
    """
    if samples.size == 0:
        return None
    jam = samples[:, 5] > 0.5
    rows = samples[jam & (samples[:, 2] > 0)]
    if rows.shape[0] < 3:
        return None
    top = np.percentile(rows[:, 3], 90)
    free = rows[rows[:, 4] >= free_fraction * top]
    if free.shape[0] < 3:
        return None
    return float(free[:, 2].mean())


class SpeedField:
    """Speed along the road (m/s), sampled every `sample_s` on `cells` points: the space-time diagram."""

    def __init__(self, length: float, ring: bool, cells: int = 200, sample_s: float = 1.0, keep_s: float = 600.0):
        self.length = length
        self.ring = ring
        self.cells = cells
        self.dx = length / cells
        self.grid = (np.arange(cells) + 0.5) * self.dx
        self.sample_s = sample_s
        self.rows: deque[np.ndarray] = deque(maxlen=int(keep_s / sample_s))
        self.times: deque[float] = deque(maxlen=int(keep_s / sample_s))
        self._next_t = 0.0

    def reset(self) -> None:
        self.rows.clear()
        self.times.clear()
        self._next_t = 0.0

    def due(self, t: float) -> bool:
        return t + 1e-9 >= self._next_t

    def sample(self, t: float, x: np.ndarray, v: np.ndarray) -> None:
        self._next_t = t + self.sample_s
        if x.size == 0:
            row = np.full(self.cells, np.nan)
        elif self.ring:                      # np.interp sorts the points itself when given a period
            row = np.interp(self.grid, x, v, period=self.length)
        else:
            order = np.argsort(x)
            row = np.interp(self.grid, x[order], v[order])
        self.rows.append(row.astype(np.float32))
        self.times.append(t)

    def array(self, last_s: float | None = None) -> np.ndarray:
        rows = list(self.rows)
        if last_s is not None:
            rows = rows[-int(last_s / self.sample_s):]
        return np.array(rows, dtype=float).reshape(-1, self.cells)


def wave_speed_kmh(field: np.ndarray, dx: float, sample_s: float, ring: bool,
                   max_speed_kmh: float = 60.0, lag_s: float | None = None) -> float | None:
    """Propagation speed of the speed pattern, km/h (negative = backwards against the traffic).

    Cross-correlates the speed anomaly field V(x, t) with V(x, t + lag) over space (by FFT,
    circular on a ring) and averages over t; the best shift over the lag is the wave speed. None
    when the field holds no jam (nothing slower than a third of the fastest speed).
    """
    if field.shape[0] < 8 or not np.isfinite(field).all():
        return None
    if field.min() > field.max() / 3.0 or field.min() > 20 / 3.6:
        return None
    cells = field.shape[1]
    length = cells * dx
    max_ms = max_speed_kmh / 3.6
    if lag_s is None:
        lag_s = min(20.0, 0.3 * length / max_ms) if ring else 10.0
    lag = max(1, int(round(lag_s / sample_s)))
    if field.shape[0] <= lag + 2:
        return None
    anomaly = field - field.mean(axis=1, keepdims=True)
    n = cells if ring else 2 * cells
    spec_a = np.fft.rfft(anomaly[:-lag], n=n, axis=1)
    spec_b = np.fft.rfft(anomaly[lag:], n=n, axis=1)
    corr = np.fft.irfft((np.conj(spec_a) * spec_b).sum(axis=0), n=n)   # corr[k]: shift by +k cells
    shifts = np.arange(n)
    shifts = np.where(shifts > n // 2, shifts - n, shifts)
    allowed = np.abs(shifts) * dx <= max_ms * lag * sample_s
    corr = np.where(allowed, corr, -np.inf)
    k = int(np.argmax(corr))
    best = float(shifts[k])
    left, right = corr[(k - 1) % n], corr[(k + 1) % n]
    if np.isfinite(left) and np.isfinite(right):
        curvature = left - 2 * corr[k] + right
        if curvature < 0:
            best += 0.5 * (left - right) / curvature
    return best * dx / (lag * sample_s) * 3.6
