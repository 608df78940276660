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


def _fraction(file: str, path: str, value: Any, problems: list[ConfigProblem]) -> float:
    if not 0 <= float(value) <= 1:
        problems.append(ConfigProblem(file, path, f"{value}", "a value from 0 to 1"))
        return min(1.0, max(0.0, float(value)))
    return float(value)


def _keys(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def parse_access(file: str, merged: Mapping[str, Any], problems: list[ConfigProblem]
                 ) -> tuple[DisplaySettings, SoundSettings, AccessSettings]:
    """The three sections from the merged configuration; problems named by file and key path."""
    d, s, a = merged["display"], merged["sound"], merged["access"]
    if not 10 <= d["diagonal_in"] <= 120:
        problems.append(ConfigProblem(file, "display.diagonal_in", f"{d['diagonal_in']}", "a diagonal from 10 to 120 inches"))
    if not 0 <= d["bottom_m"] <= 2.5:
        problems.append(ConfigProblem(file, "display.bottom_m", f"{d['bottom_m']}", "a height from 0 to 2.5 m"))
    if not 20 <= d["tilt_deg"] <= 90:
        problems.append(ConfigProblem(file, "display.tilt_deg", f"{d['tilt_deg']}", "an angle from 20 to 90 degrees (90: upright)"))
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
    sound = SoundSettings(bool(s["enabled"]), _fraction(file, "sound.volume", s["volume"], problems),
                          _fraction(file, "sound.speech_volume", s["speech_volume"], problems), tuple(spans),
                          _fraction(file, "sound.quiet_volume", s["quiet_volume"], problems))
    if not 80 <= a["voice_rate"] <= 400:
        problems.append(ConfigProblem(file, "access.voice_rate", f"{a['voice_rate']}", "80 to 400 words a minute"))
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
