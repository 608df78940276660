"""Today's air and crowd in the room, minute by minute (plain Python + numpy, no pygame).

Two series on one time axis of local minutes since midnight:
  co2[m]        median CO2 (ppm) of that minute, averaged over the CO2 sensors; NaN when unknown
  occupancy[m]  people in the room at the end of minute m: cumulative (in - out) over every door
                counter, clamped at zero at each step (a missed entry must not give -1 person)
They come from the event log (sensor.air, footfall.minute) and are topped up live by the sensor
readings the runtime hands to the station. Bands: CO2 800 / 1200 ppm (the usual indoor guidance:
below 800 the air is renewed well, above 1200 the room needs airing); PM2.5 15 / 37.5 µg/m³
(WHO 2021 24-hour guideline and its interim target 3).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date

import numpy as np

MINUTES = 24 * 60
MIN_SPAN = 30           # minutes: the narrowest time axis of the chart (the room settles in ~20 min)
CO2_BANDS = (800.0, 1200.0)
PM25_BANDS = (15.0, 37.5)
GOOD, MEDIUM, HIGH = "good", "medium", "high"


def band(value: float | None, limits: tuple[float, float]) -> str | None:
    if value is None:
        return None
    return GOOD if value < limits[0] else MEDIUM if value < limits[1] else HIGH


def minute_index(iso_minute: str) -> int | None:
    """'2026-11-25T14:07' -> 847; None when malformed."""
    try:
        hh, mm = iso_minute[11:13], iso_minute[14:16]
        value = int(hh) * 60 + int(mm)
    except (ValueError, IndexError, TypeError):
        return None
    return value if 0 <= value < MINUTES else None


def query_day(conn: sqlite3.Connection, day: date) -> dict[str, list[tuple[str, dict]]]:
    """The day's sensor.air and footfall.minute payloads (by local minute), in log order."""
    prefix = day.isoformat() + "T"
    rows = conn.execute(
        "SELECT kind, payload FROM events WHERE kind IN ('sensor.air', 'footfall.minute') "
        "AND json_extract(payload, '$.minute') >= ? AND json_extract(payload, '$.minute') < ? ORDER BY seq",
        (prefix, prefix + "~")).fetchall()
    out: dict[str, list[tuple[str, dict]]] = {"sensor.air": [], "footfall.minute": []}
    for kind, payload in rows:
        try:
            p = json.loads(payload)
        except (TypeError, ValueError):
            continue
        out[kind].append((p.get("minute", ""), p))
    return out


@dataclass
class AirDay:
    """Minute series of one local day. `now_minute` bounds what counts as 'so far'."""

    day: date
    co2: np.ndarray = field(default_factory=lambda: np.full(MINUTES, np.nan))
    passages: np.ndarray = field(default_factory=lambda: np.zeros((MINUTES, 2), dtype=np.int64))  # in, out
    has_door: bool = False
    # Live, not yet in the log: the latest CO2 sample per sensor for the current minute.
    _live_co2: dict[str, tuple[int, float]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, day: date, rows: dict[str, list[tuple[str, dict]]]) -> "AirDay":
        model = cls(day)
        sums = np.zeros(MINUTES)
        counts = np.zeros(MINUTES)
        for minute, p in rows.get("sensor.air", []):
            m = minute_index(minute)
            value = p.get("co2_ppm")
            if m is None or not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            sums[m] += value
            counts[m] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            model.co2 = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        for minute, p in rows.get("footfall.minute", []):
            m = minute_index(minute)
            if m is None:
                continue
            model.has_door = True
            model.passages[m, 0] += int(p.get("in", 0))
            model.passages[m, 1] += int(p.get("out", 0))
        return model

    # -- live updates ------------------------------------------------------------------------------
    def add_co2(self, sensor: str, minute: int, ppm: float) -> None:
        self._live_co2[sensor] = (minute, float(ppm))
        values = [v for m, v in self._live_co2.values() if m == minute]
        self.co2[minute] = float(np.mean(values))

    def add_passages(self, minute: int, passages_in: int, passages_out: int) -> None:
        self.has_door = True
        self.passages[minute, 0] += passages_in
        self.passages[minute, 1] += passages_out

    # -- queries -----------------------------------------------------------------------------------
    def occupancy(self) -> np.ndarray:
        """People present at the end of each minute (clamped at zero step by step)."""
        net = self.passages[:, 0] - self.passages[:, 1]
        if not net.any():
            return np.zeros(MINUTES, dtype=np.int64)
        # Clamped running sum: x_k = max(0, x_{k-1} + d_k) = S_k - min(0, min_{j<=k} S_j).
        total = np.cumsum(net)
        return total - np.minimum(0, np.minimum.accumulate(total))

    def span(self, now_minute: int) -> tuple[int, int]:
        """Minutes to plot, [start, end): from the day's first data to now, at least MIN_SPAN wide.

        The axis ends with the current minute: nothing after "now" is drawn (the clamped running sum
        carries the last occupancy to midnight, which is not a measurement). It starts with the data
        actually present, not the opening hour (hours of empty chart before the sensors' first
        minute say nothing); a day younger than MIN_SPAN shows as a few minutes at the right end.
        """
        now_minute = min(max(0, now_minute), MINUTES - 1)
        end = now_minute + 1
        known = np.flatnonzero(~np.isnan(self.co2[:end]) | (self.passages[:end].sum(axis=1) > 0))
        start = int(known[0]) if known.size else now_minute
        return max(0, min(start, end - MIN_SPAN)), end

    def correlation(self, start: int, end: int) -> float | None:
        """Pearson r between CO2 and occupancy over the known minutes of [start, end); None if too few."""
        co2 = self.co2[start:end]
        occ = self.occupancy()[start:end].astype(float)
        mask = ~np.isnan(co2)
        if mask.sum() < 10 or np.std(co2[mask]) == 0 or np.std(occ[mask]) == 0:
            return None
        return float(np.corrcoef(co2[mask], occ[mask])[0, 1])

    def summary(self, start: int, end: int) -> dict[str, float | int | None]:
        co2 = self.co2[start:end]
        occ = self.occupancy()[start:end]
        known = co2[~np.isnan(co2)]
        return {
            "co2_max": float(known.max()) if known.size else None,
            "co2_min": float(known.min()) if known.size else None,
            "occupancy_max": int(occ.max()) if occ.size and self.has_door else None,
            "entries": int(self.passages[start:end, 0].sum()) if self.has_door else None,
        }
