"""`kiosk stats [--day YYYY-MM-DD] [--format table|csv|json] [--config FILE] [--data-dir DIR]`.

Sessions of one local day, sessions per hour, per-station visits and median dwell time; the same
queries as the mediator page (kiosk.store.stats)."""
from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from eventlog.wire import db_path
from kiosk.commandline import config_for_command, iso_day
from kiosk.registry import station_titles
from kiosk.store.reader import StoreReader
from kiosk.store.stats import StatsSettings, compute_stats
from kiosk.store.periods import Period


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk stats", description="Sessions, sessions per hour, per-station visits and median "
                "dwell time of one day (local time of the venue).")
    p.add_argument("--day", type=iso_day, default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--config", default=None, help="venue config file (default: embedded default)")
    p.add_argument("--data-dir", default=None, help="read the event log here instead of the config's data directory")
    return p


def day_summary(stats, titles: dict[str, str] | None = None) -> dict:
    """The figures of one day; `titles` (station id -> title) name the stations for people."""
    titles = titles or {}
    day = stats.period.first
    per_hour = stats.hours_of(day, "sessions")
    return {
        "day": day.isoformat(),
        "sessions": stats.sessions,
        "sessions_per_hour": {f"{h:02d}": n for h, n in enumerate(per_hour) if n},
        "footfall_in": stats.footfall_in,
        "stations": [{"id": s.station, "title": titles.get(s.station, s.station), "visits": s.visits,
                      "median_dwell_s": None if s.dwell_median_s is None else round(s.dwell_median_s, 1),
                      "p75_dwell_s": None if s.dwell_p75_s is None else round(s.dwell_p75_s, 1)}
                     for s in stats.stations],
    }


def render(summary: dict, fmt: str, out=None) -> None:
    out = sys.stdout if out is None else out
    if fmt == "json":
        json.dump(summary, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["metric", "key", "value"])
        w.writerow(["sessions", summary["day"], summary["sessions"]])
        for hour, n in summary["sessions_per_hour"].items():
            w.writerow(["sessions_per_hour", hour, n])
        for s in summary["stations"]:
            w.writerow(["station_visits", s["id"], s["visits"]])
            w.writerow(["station_median_dwell_s", s["id"], "" if s["median_dwell_s"] is None else s["median_dwell_s"]])
        return
    footfall = "" if summary["footfall_in"] is None else f"   entrées (compteur) : {summary['footfall_in']}"
    out.write(f"{summary['day']}   sessions : {summary['sessions']}{footfall}\n\n")
    out.write("heure  sessions\n")
    for hour, n in summary["sessions_per_hour"].items():
        out.write(f"{hour}h    {n:>8}  {'#' * min(n, 60)}\n")
    if not summary["sessions_per_hour"]:
        out.write("(aucune)\n")
    width = max([len("activité"), *(len(s.get("title", s["id"])) for s in summary["stations"])]) + 2
    out.write(f"\n{'activité':<{width}}{'visites':>9}{'durée médiane':>16}\n")
    for s in summary["stations"]:
        med = "—" if s["median_dwell_s"] is None else f"{s['median_dwell_s']:.0f} s"
        out.write(f"{s.get('title', s['id']):<{width}}{s['visits']:>9}{med:>16}\n")


def stats_main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    cfg = config_for_command(args.config)
    if cfg is None:
        return 2
    if args.data_dir is not None:
        cfg = dataclasses.replace(cfg, data_dir=Path(args.data_dir))

    now = datetime.now(timezone.utc)
    day = args.day if args.day is not None else now.astimezone(cfg.tz).date()
    if not db_path(cfg.data_dir).exists():
        print(f"kiosk stats: no event log in {cfg.data_dir} yet (the kiosk creates it on first start)", file=sys.stderr)
        return 1
    settings = StatsSettings.from_config(cfg)
    reader = StoreReader(cfg.data_dir)
    try:
        stats = reader.query(lambda conn: compute_stats(conn, settings, Period(day, day), now))
    finally:
        reader.close()

    render(day_summary(stats, station_titles()), args.format)
    return 0


main = stats_main
