"""hub.toml -> a frozen HubConfig. Defaults live here; relative paths resolve against the config file.

[hub]     db, files_dir, content_dir, host, port, timezone
[limits]  max_events, max_body_bytes, max_file_bytes, rate_per_s, rate_burst, totals_cache_s
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


SOURCE_CONTENT = Path(__file__).resolve().parents[1] / "config" / "content"   # in a clone of the repository


@dataclass(frozen=True)
class HubConfig:
    db_path: Path = Path("hub-data/hub.sqlite3")
    files_dir: Path = Path("hub-data/files")
    content_dir: Path = SOURCE_CONTENT   # the texts behind the ids events carry (config/content/ of a kiosk)
    host: str = "127.0.0.1"   # behind a TLS reverse proxy: listen on loopback only
    port: int = 8750
    max_events: int = 1000
    max_body_bytes: int = 5 * 1024 * 1024      # for the body as sent and again once decompressed
    max_file_bytes: int = 4 * 1024 * 1024
    rate_per_s: float = 20.0                   # requests per second and kiosk, sustained ...
    rate_burst: int = 60                       # ... with this many at once
    totals_cache_s: float = 30.0
    timezone: str = ""        # the venues' IANA zone for dates on public pages ("" = UTC)


_SECTIONS = {
    "hub": {"db": "db_path", "files_dir": "files_dir", "content_dir": "content_dir", "host": "host", "port": "port",
            "timezone": "timezone"},
    "limits": {f.name: f.name for f in fields(HubConfig)
               if f.name in ("max_events", "max_body_bytes", "max_file_bytes", "rate_per_s", "rate_burst",
                             "totals_cache_s")},
}


class ConfigError(ValueError):
    pass


def _typed(key: str, value: Any, template: Any) -> Any:
    if isinstance(template, Path):
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be a path string")
        return Path(value)
    if isinstance(template, bool) or isinstance(value, bool):
        raise ConfigError(f"{key} must be a number or text, not true/false")
    if isinstance(template, float) and isinstance(value, int):
        value = float(value)
    if not isinstance(value, type(template)):
        raise ConfigError(f"{key} must be {type(template).__name__}")
    if isinstance(value, (int, float)) and value < 0:
        raise ConfigError(f"{key} must not be negative")
    return value


def load_config(path: Path | str | None = None, **overrides: Any) -> HubConfig:
    """Read hub.toml (or only defaults); keyword overrides (from the command line) win when not None."""
    config = HubConfig()
    base = Path.cwd()
    if path is not None:
        path = Path(path)
        base = path.resolve().parent
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        unknown = set(data) - set(_SECTIONS)
        if unknown:
            raise ConfigError(f"unknown sections {sorted(unknown)}")
        changes: dict[str, Any] = {}
        for section, keys in _SECTIONS.items():
            for key, value in data.get(section, {}).items():
                if key not in keys:
                    raise ConfigError(f"unknown key {section}.{key}")
                attr = keys[key]
                changes[attr] = _typed(f"{section}.{key}", value, getattr(config, attr))
        config = replace(config, **changes)
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if config.timezone:
        try:
            ZoneInfo(config.timezone)
        except (KeyError, ValueError):   # ZoneInfoNotFoundError is a KeyError
            raise ConfigError(f'hub.timezone {config.timezone!r} is no IANA time zone (e.g. "Europe/Paris")') from None
    return replace(config, **{name: path if path.is_absolute() else base / path for name, path in
                              (("db_path", config.db_path), ("files_dir", config.files_dir),
                               ("content_dir", config.content_dir))})
