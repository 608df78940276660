"""What the statistics need to know of the venue's configuration: time zone, opening hours, the
opening day, the door counters and whether an upload is configured."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any, Mapping
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class StatsSettings:
    tz: ZoneInfo
    hours: Mapping[str, tuple[time, time] | None]
    opened_on: date | None = None
    counters: tuple[str, ...] = ()       # door counters declared in [sensors] (kind = "footfall")
    upload_configured: bool = False      # [sync] hub_url is set

    @classmethod
    def from_config(cls, cfg: Any) -> "StatsSettings":
        devices = [d for d in cfg.sensors.get("devices", []) if isinstance(d, Mapping)]
        counters = tuple(str(d.get("name", "")) for d in devices if d.get("kind") == "footfall")
        return cls(tz=cfg.tz, hours=cfg.hours, opened_on=cfg.opened_on, counters=counters,
                   upload_configured=bool(cfg.sync.get("hub_url", "")))
