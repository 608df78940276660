"""Headless screenshots of the mediator statistics page on a simulated month (documentation, review).

    python -m kiosk.report.screenshots OUT_DIR [--days 30] [--seed 7] [--lang fr] [--portrait]

Writes OUT_DIR/statistics-<period>-<tab>.png for every period and tab, statistics-stay-export.png (the
message after an export) and the report (CSV, definitions, synthese.png) in OUT_DIR/rapport/qsec-rapport-…,
from a month simulated by kiosk.demo_data into a temporary directory (never into a real log).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from kiosk.demo_data import simulate_month  # noqa: E402
from kiosk.report import write_files  # noqa: E402
from kiosk.screens.statistics import PERIODS, TABS, StatisticsPage  # noqa: E402
from kiosk.testing import close_context, default_config, make_context  # noqa: E402

END = datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)   # a Wednesday afternoon: "today" has data


def render(out_dir: Path, data_dir: Path, *, lang: str = "fr", portrait: bool = False) -> list[Path]:
    cfg = dataclasses.replace(default_config(data_dir=data_dir), venue="Médiathèque Persépolis, Saint-Ouen",
                              orientation="portrait" if portrait else "landscape",
                              sensors={"devices": [{"name": "porte", "kind": "footfall", "port": "auto"}]})
    ctx = make_context("mediator.statistics", tmp_path=data_dir, kiosk=cfg, lang=lang)
    page = StatisticsPage(ctx, now=lambda: END)
    page.enter()
    surface = pygame.Surface(ctx.canvas_size)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for period, _label in PERIODS:
            page.choose_period(period)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (
                    page._future is None and page.stats is not None and page.stats.period.kind == period):
                page.update(0.016)
                time.sleep(0.01)
            for tab, _l, _i in TABS:
                page.choose_tab(tab)
                page.draw(surface)
                path = out_dir / f"statistics-{period}-{tab}.png"
                pygame.image.save(surface, str(path))
                written.append(path)
            if period == "stay":
                folder = out_dir / "rapport" / f"qsec-rapport-{cfg.kiosk_id}-{page.stats.period.first}-{page.stats.period.last}"
                written += [p for p in write_files(page.stats, cfg, folder, titles=page.station_titles)
                            if p.suffix == ".png"]
                page.show_written(folder)   # what the export button says once it has written the report
                page.choose_tab("footfall")
                page.draw(surface)
                path = out_dir / "statistics-stay-export.png"
                pygame.image.save(surface, str(path))
                written.append(path)
    finally:
        close_context(ctx)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.report.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--portrait", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        simulate_month(tmp, end=END, days=args.days, seed=args.seed)
        files = render(args.out, Path(tmp), lang=args.lang, portrait=args.portrait)
    print(f"{len(files)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
