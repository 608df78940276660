"""TOML configuration: defaults from config/default.toml, a venue file overriding only what it names,
validation that names the file, the key path, what was found and what was expected."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from hardware.config import KINDS, check_sensor_config
from kiosk.access.settings import AccessSettings, DisplaySettings, SoundSettings, parse_access
from kiosk.groups.activities import check_activities
from kiosk.i18n import available_languages
from kiosk.paths import DEFAULT_CONFIG, PROJECT_ROOT, user_data_dir
from kiosk.pin import parse_pin_hash
from kiosk.problems import ConfigError, ConfigProblem, read_toml
from kiosk.registry import discover
from kiosk.sync.address import check_hub_url

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# None: the [idle] timeout_s of the kiosk applies.
COMMON_STATION_KEYS: dict[str, Any] = {"idle_timeout_s": None}
RANGES: dict[str, tuple[float, float]] = {
    "idle.timeout_s": (10, 3600),
    "idle.warning_s": (3, 120),
    "idle.group_timeout_s": (30, 14400),
    "mediator.hold_s": (1, 15),
    "mediator.max_attempts": (1, 20),
    "mediator.lockout_s": (10, 86400),
    "sync.batch_size": (1, 1000),
    "sync.interval_s": (5, 86400),
    "sync.timeout_s": (1, 300),
    "stations.*.idle_timeout_s": (10, 3600),
    "display.diagonal_in": (10, 120),     # inches
    "display.bottom_m": (0, 2.5),         # heights above the floor, metres
    "display.tilt_deg": (20, 90),         # 90: upright
    "display.reach_low_m": (0, 2.5),
    "display.reach_high_m": (0, 2.5),
    "sound.volume": (0, 1),
    "sound.speech_volume": (0, 1),
    "sound.quiet_volume": (0, 1),
    "access.voice_rate": (80, 400),       # espeak-ng words a minute
}
CHOICES: dict[str, tuple[str, ...]] = {"kiosk.orientation": ("landscape", "portrait")}


@dataclass(frozen=True)
class KioskConfig:
    kiosk_id: str
    venue: str
    data_dir: Path
    orientation: str
    fullscreen: bool
    languages: tuple[str, ...]
    public_url: str
    timezone: str
    opened_on: date | None
    font: Path | None
    idle_timeout_s: float
    idle_warning_s: float
    group_idle_timeout_s: float
    pin_hash: str
    pin_hold_s: float
    pin_max_attempts: int
    pin_lockout_s: float
    export_dir: Path | None
    hours: Mapping[str, tuple[time, time] | None]
    enforce_hours: bool
    stations: tuple[str, ...]
    station_sections: Mapping[str, Mapping[str, Any]]
    sensors: Mapping[str, Any]
    sync: Mapping[str, Any]
    source: str = "(embedded default)"
    children_language: str | None = None   # the language a nursery or primary school group starts in
    display: DisplaySettings = DisplaySettings()     # the screen as mounted (reach)
    sound: SoundSettings = SoundSettings()
    access: AccessSettings = AccessSettings()        # keys and switches, speech, reduced motion
    warnings: tuple[str, ...] = field(default=())

    @property
    def canvas_size(self) -> tuple[int, int]:
        return (1080, 1920) if self.orientation == "portrait" else (1920, 1080)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def station_config(self, station_id: str) -> Mapping[str, Any]:
        return self.station_sections.get(station_id, MappingProxyType(dict(COMMON_STATION_KEYS)))


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, list):
        return isinstance(value, list) and (not default or all(_same_type(default[0], v) for v in value))
    return isinstance(value, type(default))


def _suggest(key: str, candidates) -> str:
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _suggest_zone(name: str) -> str:
    """A close IANA zone name: "Europe/Pari" -> Europe/Paris; the case alone too ("europe/paris")."""
    if not isinstance(name, str) or not name:
        return ""
    zones = available_timezones()
    by_lower = {z.lower(): z for z in zones}
    if name.lower() in by_lower:
        return f" (did you mean '{by_lower[name.lower()]}'?)"
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
    if close:
        return f" (did you mean '{by_lower[close[0]]}'?)"
    by_city = {z.rsplit("/", 1)[-1].lower().replace("_", " "): z for z in sorted(zones) if "/" in z}
    close = difflib.get_close_matches(name.lower().replace("_", " "), list(by_city), n=1, cutoff=0.8)
    return f" (did you mean '{by_city[close[0]]}'?)" if close else ""


def _merge(defaults: dict, override: dict, file: str, prefix: str, problems: list[ConfigProblem],
           free_tables: set[str]) -> dict:
    merged = dict(defaults)
    for key, value in override.items():
        path = f"{prefix}{key}"
        if path in free_tables:
            merged[key] = value
            continue
        if key not in defaults:
            problems.append(ConfigProblem(file, path, "unknown key" + _suggest(key, defaults), "one of: " + ", ".join(sorted(defaults))))
            continue
        default = defaults[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                problems.append(ConfigProblem(file, path, _type_name(value), "a table [" + path + "]"))
                continue
            merged[key] = _merge(default, value, file, path + ".", problems, free_tables)
        elif not _same_type(default, value):
            problems.append(ConfigProblem(file, path, f"{_type_name(value)} {value!r}", _type_name(default)))
        else:
            merged[key] = value
    return merged


def _check_range(file: str, path: str, rule: str | tuple[float, float], value: Any,
                 problems: list[ConfigProblem]) -> None:
    lo, hi = RANGES[rule] if isinstance(rule, str) else rule
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not lo <= value <= hi:
        problems.append(ConfigProblem(file, path, f"{value}", f"a value from {lo:g} to {hi:g}"))


def _parse_hours(file: str, raw: Mapping[str, Any], problems: list[ConfigProblem]) -> dict[str, tuple[time, time] | None]:
    hours: dict[str, tuple[time, time] | None] = {}
    for day in WEEKDAYS:
        text = str(raw.get(day, "closed")).strip()
        if text.lower() in ("closed", "fermé", "ferme"):
            hours[day] = None
            continue
        m = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", text)
        try:
            if not m:
                raise ValueError
            start = time(int(m[1]), int(m[2]))
            end = time(int(m[3]), int(m[4]))
            if end <= start:
                raise ValueError
            hours[day] = (start, end)
        except ValueError:
            problems.append(ConfigProblem(file, f"hours.{day}", repr(text), '"HH:MM-HH:MM" (opening before closing) or "closed"'))
            hours[day] = None
    return hours


def _check_station_sections(file: str, raw: Mapping[str, Any], classes: Mapping[str, type],
                            problems: list[ConfigProblem], venue_tables=()) -> dict[str, dict[str, Any]]:
    """Each installed station's section, defaults filled in; `venue_tables` are the [stations.X]
    tables the venue file itself names (a table there for a station not installed is a mistake)."""
    sections: dict[str, dict[str, Any]] = {}
    for sid, cls in classes.items():
        defaults = {**COMMON_STATION_KEYS, **getattr(cls, "config_defaults", {})}
        given = raw.get(sid, {})
        section = dict(defaults)
        for key, value in given.items():
            path = f"stations.{sid}.{key}"
            if key not in defaults:
                problems.append(ConfigProblem(file, path, "unknown key" + _suggest(key, defaults), "one of: " + ", ".join(sorted(defaults))))
            elif not _same_type(defaults[key], value) and defaults[key] is not None:
                problems.append(ConfigProblem(file, path, f"{_type_name(value)} {value!r}", _type_name(defaults[key])))
            else:
                if key == "idle_timeout_s" and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    problems.append(ConfigProblem(file, path, f"{_type_name(value)} {value!r}", "a number of seconds"))
                    continue
                section[key] = value
                if key == "idle_timeout_s":
                    _check_range(file, path, "stations.*.idle_timeout_s", value, problems)
                elif key in getattr(cls, "config_ranges", {}):
                    _check_range(file, path, cls.config_ranges[key], value, problems)
        sections[sid] = section
    for sid in venue_tables:
        if sid != "enabled" and sid not in classes:
            problems.append(ConfigProblem(file, f"stations.{sid}", "unknown station" + _suggest(sid, classes), "one of: " + ", ".join(sorted(classes))))
    return sections


def load_config(path: Path | str | None = None, *, classes: Mapping[str, type] | None = None,
                check_content: bool = True, strict_stations: bool = True) -> KioskConfig:
    """The validated configuration: defaults, overridden by the venue file at `path` if given.

    With strict_stations=False (kiosk run) a station whose code fails to load is left out with a
    warning instead of refusing the whole configuration: the other stations still serve visitors.
    """
    if classes is None:
        classes, load_errors = discover()
    else:
        load_errors = {}
    defaults = read_toml(DEFAULT_CONFIG)
    file = str(path) if path else str(DEFAULT_CONFIG)
    venue = read_toml(Path(path)) if path else {}
    problems: list[ConfigProblem] = []
    free = {"stations." + sid for sid in set(classes) | set(venue.get("stations", {}) if isinstance(venue.get("stations"), dict) else ())} | {"sensors.devices", "access.voices"}
    free.discard("stations.enabled")
    merged = _merge(defaults, venue, file, "", problems, free)

    k, idle, med, sync = merged["kiosk"], merged["idle"], merged["mediator"], merged["sync"]
    for rule in RANGES:
        if "*" in rule:
            continue
        section, key = rule.split(".")
        if key in venue.get(section, {}):
            _check_range(file, rule, rule, merged[section][key], problems)
    for rule, allowed in CHOICES.items():
        section, key = rule.split(".")
        if merged[section][key] not in allowed:
            problems.append(ConfigProblem(file, rule, repr(merged[section][key]) + _suggest(str(merged[section][key]), allowed), " or ".join(allowed)))
    known_langs = available_languages()
    for i, lang in enumerate(k["languages"]):
        if lang not in known_langs:
            problems.append(ConfigProblem(file, f"kiosk.languages[{i}]", repr(lang) + _suggest(lang, known_langs), "a language with a catalog in media/locale: " + ", ".join(known_langs)))
    if not k["languages"]:
        problems.append(ConfigProblem(file, "kiosk.languages", "an empty list", "at least one language, e.g. [\"fr\", \"en\"]"))
    if k["children_language"] and k["children_language"] not in k["languages"]:
        problems.append(ConfigProblem(file, "kiosk.children_language", repr(k["children_language"]),
                                      "empty, or one of kiosk.languages: " + ", ".join(map(str, k["languages"]))))
    try:
        ZoneInfo(k["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(ConfigProblem(file, "kiosk.timezone", repr(k["timezone"]) + _suggest_zone(k["timezone"]),
                                      'an IANA time zone such as "Europe/Paris"'))
    opened_on = None
    if k["opened_on"]:
        try:
            opened_on = date.fromisoformat(k["opened_on"])
        except ValueError:
            problems.append(ConfigProblem(file, "kiosk.opened_on", repr(k["opened_on"]), "a date YYYY-MM-DD or \"\""))
    if not re.match(r"https?://[^\s/]+", k["public_url"]):
        problems.append(ConfigProblem(file, "kiosk.public_url", repr(k["public_url"]), "an address starting with https://"))
    warnings: list[str] = []
    wrong, doubt = check_hub_url(sync["hub_url"])
    if wrong:
        problems.append(ConfigProblem(file, "sync.hub_url", wrong, "an https:// address (http:// only for a hub on "
                                                                   "this machine), e.g. \"https://hub.qsec2.fr\""))
    if doubt:
        warnings.append(f"{file}: sync.hub_url: {doubt}")
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", k["id"]):
        problems.append(ConfigProblem(file, "kiosk.id", repr(k["id"]), "1-64 letters, digits, '.', '_' or '-'"))
    font = None
    if k["font"]:
        font = _resolve(path, k["font"])
        if not _readable_font(font):
            problems.append(ConfigProblem(file, "kiosk.font", f"{k['font']!r} cannot be read as a font", "a .ttf or .otf file"))
    try:
        parse_pin_hash(med["pin_hash"])
    except ValueError as exc:
        shown = med["pin_hash"] if len(med["pin_hash"]) <= 24 else med["pin_hash"][:20] + "…"
        problems.append(ConfigProblem(file, "mediator.pin_hash", f"{shown!r}, {exc}",
                                      "the line `kiosk hash-pin` prints (pin_hash = \"pbkdf2_sha256$…\")"))
    hours = _parse_hours(file, merged["hours"], problems)
    display, sound, access = parse_access(file, merged, problems)

    enabled = merged["stations"]["enabled"]
    if not strict_stations:
        for sid in [s for s in enabled if s in load_errors]:
            warnings.append(f"{file}: stations.enabled: station {sid!r} left out, it failed to load ({load_errors[sid]})")
        enabled = [s for s in enabled if s not in load_errors]
    for i, sid in enumerate(enabled):
        if sid in load_errors:
            problems.append(ConfigProblem(file, f"stations.enabled[{i}]", f"station {sid!r} failed to load ({load_errors[sid]})", "a working station"))
        elif sid not in classes:
            problems.append(ConfigProblem(file, f"stations.enabled[{i}]", f"unknown station id {sid!r}" + _suggest(sid, classes), "one of: " + ", ".join(sorted(classes))))
    if len(set(enabled)) != len(enabled):
        problems.append(ConfigProblem(file, "stations.enabled", "a station listed twice", "each station once"))
    if not merged["stations"]["enabled"]:
        problems.append(ConfigProblem(file, "stations.enabled", "an empty list (visitors would have nothing to do)",
                                      "at least one station, from: " + ", ".join(sorted(classes))))
    # Station tables of default.toml document the stations' own defaults (a test keeps them equal);
    # only the venue's tables override and are checked here.
    venue_stations = venue.get("stations", {}) if isinstance(venue.get("stations"), dict) else {}
    station_raw = {key: value for key, value in venue_stations.items() if key != "enabled"}
    sections = _check_station_sections(file, station_raw, classes, problems, venue_tables=list(station_raw))
    if check_content:
        for sid in enabled:
            cls = classes.get(sid)
            if cls is not None:
                try:
                    for p in cls.check_content(sections[sid], f"stations.{sid}"):
                        if not isinstance(p, ConfigProblem):
                            p = ConfigProblem(file, f"stations.{sid}", str(p), "valid content")
                        elif p.file in ("", "config"):  # a problem in the venue's own keys: name its file
                            p = ConfigProblem(file, p.key, p.found, p.expected)
                        problems.append(p)
                except Exception as exc:  # a checker must never crash check-config
                    problems.append(ConfigProblem(file, f"stations.{sid}", f"content check failed: {exc}", "valid content"))
    problems.extend(_check_sensors(file, merged["sensors"]))
    if check_content:
        # Activities are shared content: checked against every installed station, not this venue's.
        problems.extend(check_activities({**discover()[0], **classes}))

    if problems:
        raise ConfigError(problems)
    kinds = {d.get("kind") for d in merged["sensors"].get("devices", []) if isinstance(d, Mapping)}
    for sid in enabled:
        needs = getattr(classes.get(sid), "needs_sensors", ())
        if needs and not kinds & set(needs):
            warnings.append(f"{file}: stations.enabled: {sid!r} is hidden from visitors: no {' or '.join(needs)} "
                            "sensor in [sensors] devices (it would show an empty chart)")
    if med["pin_hash"] == defaults["mediator"]["pin_hash"]:
        warnings.append(f"{file}: mediator.pin_hash: the default PIN (1234) is in use; make one with `kiosk hash-pin`")
    data_dir = _resolve(path, k["data_dir"]) if k["data_dir"] else user_data_dir()
    return KioskConfig(
        kiosk_id=k["id"], venue=k["venue"], data_dir=data_dir, orientation=k["orientation"],
        fullscreen=k["fullscreen"], languages=tuple(k["languages"]), public_url=k["public_url"].rstrip("/"),
        timezone=k["timezone"], opened_on=opened_on, font=font, children_language=k["children_language"] or None,
        idle_timeout_s=float(idle["timeout_s"]), idle_warning_s=float(idle["warning_s"]),
        group_idle_timeout_s=float(idle["group_timeout_s"]), pin_hash=med["pin_hash"],
        pin_hold_s=float(med["hold_s"]), pin_max_attempts=int(med["max_attempts"]),
        pin_lockout_s=float(med["lockout_s"]),
        export_dir=_resolve(path, med["export_dir"]) if med["export_dir"] else None,
        hours=MappingProxyType(hours), enforce_hours=merged["hours"]["enforce"], stations=tuple(enabled),
        station_sections=MappingProxyType({sid: MappingProxyType(s) for sid, s in sections.items()}),
        sensors=MappingProxyType(dict(merged["sensors"])), sync=MappingProxyType(dict(sync)),
        source=file, warnings=tuple(warnings), display=display, sound=sound, access=access,
    )


def _check_sensors(file: str, section: Mapping[str, Any]) -> list[ConfigProblem]:
    devices = section.get("devices", [])
    if not devices:
        return []
    problems = []
    for line in check_sensor_config(dict(section), "sensors"):
        # hardware/ writes "<key path>: <what is wrong>"; the key path goes in its own column.
        m = _SENSOR_LINE.match(line)
        key, found = (m[1], m[2]) if m else ("sensors", line)
        kind = re.fullmatch(r"sensors\.devices\[(\d+)\].*\.kind", key)
        if kind:
            found += _suggest_kind(devices, int(kind[1]))
        problems.append(ConfigProblem(file, key, found, "a valid sensor definition (see hardware/README.md)"))
    return problems


_SENSOR_LINE = re.compile(r"(sensors(?:\.devices\[\d+\](?: \([^)]*\))?)?(?:\.\w+)?): (.*)", re.DOTALL)


def _suggest_kind(devices, i: int) -> str:
    kind = devices[i].get("kind") if i < len(devices) and isinstance(devices[i], Mapping) else None
    return _suggest(kind, KINDS) if isinstance(kind, str) else ""


def _resolve(config_path: Path | str | None, value: str) -> Path:
    """Relative paths in a venue file are relative to the project root, then to the file."""
    p = Path(value).expanduser()
    if p.is_absolute():
        return p
    if (PROJECT_ROOT / p).exists() or config_path is None:
        return PROJECT_ROOT / p
    return Path(config_path).resolve().parent / p


def _readable_font(path: Path) -> bool:
    try:
        head = path.read_bytes()[:4]
    except OSError:
        return False
    return head in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF")
