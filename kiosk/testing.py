"""Helpers for tests and benchmarks: a real StationContext without a screen.

    ctx = make_context("crowd", tmp_path=tmp_path)          # real Recorder + StoreReader in tmp_path
    station = StationCls(ctx); station.reset(); station.enter()
    ...; ctx.recorder.flush(); rows = ctx.reader.query(lambda c: c.execute("SELECT * FROM events").fetchall())
    close_context(ctx)
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Mapping

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import numpy as np  # noqa: E402
import pygame  # noqa: E402

from kiosk.assets import Assets  # noqa: E402
from kiosk.config import COMMON_STATION_KEYS, KioskConfig, load_config  # noqa: E402
from kiosk.i18n import Translator  # noqa: E402
from kiosk.session import VisitorSession, VisitRecorder  # noqa: E402
from kiosk.station import StationContext  # noqa: E402
from kiosk.store.reader import StoreReader  # noqa: E402
from kiosk.store.recorder import Recorder  # noqa: E402


def default_config(**overrides: Any) -> KioskConfig:
    """The embedded default configuration (stations that fail to load are left out)."""
    cfg = load_config(None, strict_stations=False, check_content=False)
    return dataclasses.replace(cfg, **overrides) if overrides else cfg


def make_context(station_id: str, config: Mapping[str, Any] | None = None, *, tmp_path: Path,
                 kiosk: KioskConfig | None = None, lang: str = "fr", seed: int = 42,
                 station_cls: type | None = None, reproducible: bool = False) -> StationContext:
    """A StationContext on a fresh data directory. `config` overrides the station's section. The station
    records as it does in the kiosk, through a VisitRecorder (no visitor session unless a test starts one:
    `ctx.recorder.visit.start()`). `reproducible` as in a headless run: frames that do not depend on the
    machine's pace."""
    pygame.init()
    kiosk = kiosk or default_config(data_dir=Path(tmp_path))
    section: dict[str, Any] = dict(COMMON_STATION_KEYS)
    if station_cls is not None:
        section.update(getattr(station_cls, "config_defaults", {}))
    section.update(kiosk.station_config(station_id))
    section.update(config or {})
    data_dir = Path(tmp_path)
    recorder = Recorder(data_dir, kiosk.kiosk_id, flush_interval=0.05)
    i18n = Translator(list(kiosk.languages), default=lang)
    return StationContext(
        station_id=station_id, config=section, kiosk=kiosk, assets=Assets(kiosk.font, locale=i18n), i18n=i18n,
        recorder=VisitRecorder(recorder, VisitorSession(recorder)), reader=StoreReader(data_dir),
        rng=np.random.default_rng(seed),
        canvas_size=kiosk.canvas_size, data_dir=data_dir, reproducible=reproducible,
    )


def close_context(ctx: StationContext) -> None:
    recorder = ctx.recorder.recorder if isinstance(ctx.recorder, VisitRecorder) else ctx.recorder
    recorder.close()
    ctx.reader.close()


def canvas(ctx: StationContext) -> pygame.Surface:
    return pygame.Surface(ctx.canvas_size)
