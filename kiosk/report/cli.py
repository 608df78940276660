"""`kiosk report --from DATE --to DATE --out DIR [--config FILE] [--data-dir DIR]`: the funders' report of a period."""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from eventlog.wire import db_path
from kiosk.commandline import config_for_command, iso_day
from kiosk.report import write_report
from kiosk.screens.statistics import load_station_titles
from kiosk.store.reader import StoreReader
from kiosk.store.periods import Period


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk report", description="Write the funders' report of a period: CSV tables, "
                "definitions.txt and a one-page PNG summary (local dates of the venue, both ends included).")
    p.add_argument("--from", dest="first", type=iso_day, required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="last", type=iso_day, required=True, help="last day, YYYY-MM-DD (included)")
    p.add_argument("--out", type=Path, required=True, help="folder to write into (created)")
    p.add_argument("--config", type=Path, default=None, help="venue config file (default: embedded default)")
    p.add_argument("--data-dir", type=Path, default=None, help="read the event log here instead of the config's data directory")
    p.add_argument("--no-png", action="store_true", help="skip the PNG summary")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.last < args.first:
        print(f"kiosk report: --to {args.last} is before --from {args.first}", file=sys.stderr)
        return 2
    cfg = config_for_command(args.config)
    if cfg is None:
        return 2
    if args.data_dir is not None:
        cfg = dataclasses.replace(cfg, data_dir=args.data_dir)
    if not db_path(cfg.data_dir).exists():
        print(f"kiosk report: no event log in {cfg.data_dir} (has the kiosk run here?)", file=sys.stderr)
        return 1

    reader = StoreReader(cfg.data_dir)
    try:
        files = write_report(reader, cfg, Period(args.first, args.last), args.out, titles=load_station_titles(),
                             with_png=not args.no_png)
    except OSError as exc:
        print(f"kiosk report: cannot write into {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        reader.close()
    print(f"{len(files)} files written to {args.out}:")
    for f in files:
        print(f"  {f.name}")
    return 0
