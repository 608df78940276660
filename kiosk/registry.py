"""Finds the stations through the entry-point group `qsec_kiosk.stations` (declared in pyproject.toml)."""
from __future__ import annotations

import logging
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Callable

log = logging.getLogger(__name__)

STATIONS_GROUP = "qsec_kiosk.stations"
SIMULATE_GROUP = "qsec_kiosk.simulate"
COMMANDS_GROUP = "qsec_kiosk.commands"


@lru_cache(maxsize=None)
def discover() -> tuple[dict[str, type], dict[str, str]]:
    """(station classes by id, load errors by id). A station that fails to import is reported, not fatal."""
    found: dict[str, type] = {}
    errors: dict[str, str] = {}
    for ep in entry_points(group=STATIONS_GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken station must not take the kiosk down
            log.warning("station %s could not be loaded: %s", ep.name, exc, exc_info=log.isEnabledFor(logging.DEBUG))
            errors[ep.name] = f"{type(exc).__name__}: {exc}"
            continue
        found[ep.name] = cls
    return found, errors


def station_classes() -> dict[str, type]:
    return discover()[0]


def station_titles() -> dict[str, str]:
    """Station id -> French title (statistics show the id of a station that is not installed)."""
    return {sid: getattr(cls, "title", "") or sid for sid, cls in station_classes().items()}


def commands(group: str) -> dict[str, Callable[[list[str]], int] | None]:
    """Entry points of a command group; values are loaded lazily by `load_command`."""
    return {ep.name: None for ep in entry_points(group=group)}


def load_command(group: str, name: str) -> Callable[[list[str]], int]:
    for ep in entry_points(group=group):
        if ep.name == name:
            return ep.load()
    raise KeyError(name)
