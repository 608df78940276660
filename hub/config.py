"""hub.toml -> a frozen HubConfig. Defaults live here; relative paths resolve against the config file.

[hub]     db, files_dir, content_dir, host, port, timezone, database, public_url, uploads_dir, secret_key_file,
          trusted_proxies
[limits]  max_events, max_body_bytes, max_file_bytes, rate_per_s, rate_burst, totals_cache_s, max_upload_bytes,
          public_rate_per_s, public_burst, auth_failure_burst, auth_failure_rate_per_s, kiosk_max_drawings,
          kiosk_max_drawing_bytes, kiosk_max_event_bytes, orphan_grace_s
"""
from __future__ import annotations

import ipaddress
import os
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
    database: str = ""        # "" = the SQLite file db_path; or postgresql://user:password@host:port/name
    public_url: str = "https://qsec2.fr"        # the site's address, in QR codes and iCalendar feeds
    uploads_dir: Path = Path("hub-data/uploads")     # partners' resources (PDF, images, documents)
    secret_key_file: Path = Path("hub-data/secret_key")   # made (mode 600) on first start when missing
    max_upload_bytes: int = 20 * 1024 * 1024  # one resource file
    # Behind the TLS proxy: X-Forwarded-For is believed only from these addresses or networks.
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    public_rate_per_s: float = 20.0            # requests per second per client address without a token ...
    public_burst: int = 200                    # ... this many at once (a class on one venue router)
    auth_failure_burst: int = 5                # failed tokens or logins per address before 429 ...
    auth_failure_rate_per_s: float = 0.05      # ... then one more try every 20 s
    kiosk_max_drawings: int = 350              # stored per kiosk: a season's wall drawings ...
    kiosk_max_drawing_bytes: int = 350 * 256 * 1024   # ... and their bytes (a drawing is 20-200 KB)
    orphan_grace_s: float = 7 * 86400.0        # a drawing no event names is deleted after this
    # stored size of a kiosk's events (hub/ingest.py ROW_BYTES): a season, ~1 million events, is ~330 MB
    kiosk_max_event_bytes: int = 1024 * 1024 * 1024


_SECTIONS = {
    "hub": {"db": "db_path", "files_dir": "files_dir", "content_dir": "content_dir", "host": "host", "port": "port",
            "timezone": "timezone",
            "database": "database", "public_url": "public_url", "uploads_dir": "uploads_dir",
            "secret_key_file": "secret_key_file", "trusted_proxies": "trusted_proxies"},
    "limits": {f.name: f.name for f in fields(HubConfig)
               if f.name in ("max_events", "max_body_bytes", "max_file_bytes", "rate_per_s", "rate_burst",
                             "totals_cache_s", "max_upload_bytes", "public_rate_per_s", "public_burst",
                             "auth_failure_burst", "auth_failure_rate_per_s", "kiosk_max_drawings",
                             "kiosk_max_drawing_bytes", "kiosk_max_event_bytes", "orphan_grace_s")},
}


class ConfigError(ValueError):
    pass


def _typed(key: str, value: Any, template: Any) -> Any:
    if isinstance(template, tuple):   # trusted_proxies: addresses or networks
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f'{key} must be a list of addresses, e.g. ["127.0.0.1"]')
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ConfigError(f"{key}: {item!r} is no IP address or network") from None
        return tuple(value)
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


DATA_FILES = {"db_path": "hub.sqlite3", "files_dir": "files", "uploads_dir": "uploads", "secret_key_file": "secret_key"}
ENV_CONFIG, ENV_DB, ENV_DATA_DIR, ENV_DATABASE = "QSEC_HUB_CONFIG", "QSEC_HUB_DB", "QSEC_HUB_DATA_DIR", "QSEC_HUB_DATABASE"
ENV_PUBLIC_URL = "QSEC_HUB_PUBLIC_URL"


def load_config(path: Path | str | None = None, *, data_dir: Path | str | None = None, **overrides: Any) -> HubConfig:
    """Read hub.toml (or only defaults); keyword overrides (from the command line) win when not None.
    data_dir puts the database, files, uploads and secret key together in that folder."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        overrides = {**{name: Path(data_dir).resolve() / file for name, file in DATA_FILES.items()}, **overrides}
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
    if config.database and not config.database.startswith(("postgresql://", "postgres://")):
        raise ConfigError(f"hub.database {config.database!r}: a postgresql:// address, or \"\" for SQLite")
    paths = {name: getattr(config, name)
             for name in ("db_path", "files_dir", "content_dir", "uploads_dir", "secret_key_file")}
    return replace(config, **{name: path if path.is_absolute() else base / path for name, path in paths.items()})


def export_to_environment(config_path: Path | str | None, *, db: Path | None = None, data_dir: Path | None = None,
                          database: str | None = None, public_url: str | None = None) -> None:
    """What the web site's settings read (also in worker processes): see config_from_environment."""
    for name, value in ((ENV_CONFIG, config_path), (ENV_DB, db), (ENV_DATA_DIR, data_dir), (ENV_DATABASE, database),
                        (ENV_PUBLIC_URL, public_url)):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = str(Path(value).resolve()) if isinstance(value, Path) else str(value)


def config_from_environment() -> HubConfig:
    env = os.environ
    return load_config(env.get(ENV_CONFIG) or None, data_dir=env.get(ENV_DATA_DIR) or None,
                       db_path=Path(env[ENV_DB]) if env.get(ENV_DB) else None, database=env.get(ENV_DATABASE),
                       public_url=env.get(ENV_PUBLIC_URL) or None)
