"""Local-time periods and their UTC bounds: every statistic counts local days and hours of the venue.

The log stores UTC; a local day is [local midnight, next local midnight), 23 or 25 hours long on the
days the clocks change (Europe/Paris: 2026-10-25 has 25 hours, 2027-03-28 has 23).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from eventlog.stamps import utc_iso

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Period:
    """Local dates, both ends included."""

    first: date
    last: date
    kind: str = "custom"  # today | week | stay | custom

    def days(self) -> Iterator[date]:
        d = self.first
        while d <= self.last:
            yield d
            d += timedelta(days=1)

    @property
    def n_days(self) -> int:
        return (self.last - self.first).days + 1


def local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def utc_bounds(period: Period, tz: ZoneInfo) -> tuple[str, str]:
    """[start, end) as stored timestamps, for `ts >= ? AND ts < ?`."""
    start = local_midnight_utc(period.first, tz)
    end = local_midnight_utc(period.last + timedelta(days=1), tz)
    return utc_iso(start), utc_iso(end)


def today(now: datetime, tz: ZoneInfo) -> Period:
    d = now.astimezone(tz).date()
    return Period(d, d, "today")


def this_week(now: datetime, tz: ZoneInfo) -> Period:
    """Monday of this week to today."""
    d = now.astimezone(tz).date()
    return Period(d - timedelta(days=d.weekday()), d, "week")


def whole_stay(now: datetime, tz: ZoneInfo, opened_on: date | None, first_event: date | None) -> Period:
    """From the opening at this venue (config), else from the first event in the log, to today."""
    d = now.astimezone(tz).date()
    start = opened_on if opened_on is not None else (first_event if first_event is not None else d)
    return Period(min(start, d), d, "stay")


def local_slot(utc_key: str, tz: ZoneInfo) -> tuple[date, int]:
    """'2026-10-25T01:15' (UTC, minute precision) -> (local date, local hour)."""
    moment = datetime.fromisoformat(utc_key[:16]).replace(tzinfo=timezone.utc).astimezone(tz)
    return moment.date(), moment.hour
