"""The [display], [sound] and [access] sections: how the screen is mounted, how loud the kiosk may be,
and how keys, switches and motion are handled. Parsed and checked with the rest of the configuration."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from typing import Any, Mapping

from kiosk.problems import ConfigProblem


@dataclass(frozen=True)
class DisplaySettings:
    diagonal_in: float = 55.0        # the panel's diagonal, inches (16:9)
    bottom_m: float = 0.80           # height of the panel's lower edge above the floor, metres
    tilt_deg: float = 90.0           # 90: upright (a totem, a wall); less: a lectern leaning back
    reach_low_m: float = 0.90        # visitor controls stay between these heights above the floor
    reach_high_m: float = 1.30


@dataclass(frozen=True)
class SoundSettings:
    enabled: bool = True
    volume: float = 0.6                          # 0..1, the venue's level for sounds
    speech_volume: float = 0.9                   # 0..1, spoken descriptions (headphones or speaker)
    quiet_hours: tuple[tuple[time, time], ...] = ()   # sounds at quiet_volume then (speech stays)
    quiet_volume: float = 0.0


@dataclass(frozen=True)
class AccessSettings:
    reduced_motion: bool = False                 # the venue's choice; a visitor may also ask for it
    speech: bool = True                          # the « Écouter » button and spoken focus
    voice_rate: int = 150                        # espeak-ng words per minute
    # A 3-button switch interface sends three keys: next control, press it, go back.
    switch_next: tuple[str, ...] = ("1",)
    switch_select: tuple[str, ...] = ("2",)
    switch_back: tuple[str, ...] = ("3",)
    voices: Mapping[str, str] = field(default_factory=dict)   # language -> espeak-ng voice, overrides


_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def _keys(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def parse_access(file: str, merged: Mapping[str, Any], problems: list[ConfigProblem]
                 ) -> tuple[DisplaySettings, SoundSettings, AccessSettings]:
    """The three sections from the merged configuration; problems named by file and key path."""
    d, s, a = merged["display"], merged["sound"], merged["access"]
    # each number's own range is kiosk.config.RANGES' (checked with the rest); here what ties two together
    if not d["reach_low_m"] < d["reach_high_m"]:
        problems.append(ConfigProblem(file, "display.reach_high_m", f"{d['reach_high_m']}",
                                      f"more than display.reach_low_m ({d['reach_low_m']})"))
    display = DisplaySettings(float(d["diagonal_in"]), float(d["bottom_m"]), float(d["tilt_deg"]),
                              float(d["reach_low_m"]), float(d["reach_high_m"]))
    spans = []
    for i, text in enumerate(s["quiet_hours"]):
        m = _SPAN.fullmatch(str(text).strip())
        try:
            if not m:
                raise ValueError
            spans.append((time(int(m[1]), int(m[2])), time(int(m[3]), int(m[4]))))
        except ValueError:
            problems.append(ConfigProblem(file, f"sound.quiet_hours[{i}]", repr(text), '"HH:MM-HH:MM"'))
    sound = SoundSettings(bool(s["enabled"]), float(s["volume"]), float(s["speech_volume"]), tuple(spans),
                          float(s["quiet_volume"]))
    access = AccessSettings(bool(a["reduced_motion"]), bool(a["speech"]), int(a["voice_rate"]),
                            _keys(a["switch_next"]), _keys(a["switch_select"]), _keys(a["switch_back"]),
                            dict(a["voices"]))
    return display, sound, access


def in_quiet_hours(sound: SoundSettings, now: time) -> bool:
    """True inside one of the quiet spans (a span may run past midnight: "22:00-07:00")."""
    for start, end in sound.quiet_hours:
        if (start <= now < end) if start < end else (now >= start or now < end):
            return True
    return False
