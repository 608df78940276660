"""`kiosk report --from DATE --to DATE --out DIR [--config FILE]`: the funders' report of a period."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from kiosk.store.db import db_path
from kiosk.store.periods import Period


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with one line, never a traceback
        self.print_usage(sys.stderr)
        print(f"kiosk report: {message}", file=sys.stderr)
        raise SystemExit(2)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kiosk report", description="Write the funders' report of a period: CSV tables, "
                "definitions.txt and a one-page PNG summary (local dates of the venue, both ends included).")
    p.add_argument("--from", dest="first", type=_day, required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="last", type=_day, required=True, help="last day, YYYY-MM-DD (included)")
    p.add_argument("--out", type=Path, required=True, help="folder to write into (created)")
    p.add_argument("--config", type=Path, default=None, help="venue config file (default: embedded default)")
    p.add_argument("--no-png", action="store_true", help="skip the PNG summary")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # station imports must not print on stdout
    if args.last < args.first:
        print(f"kiosk report: --to {args.last} is before --from {args.first}", file=sys.stderr)
        return 2
    from kiosk.config import ConfigError, load_config

    try:
        cfg = load_config(args.config, strict_stations=False, check_content=False)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if not db_path(cfg.data_dir).exists():
        print(f"kiosk report: no event log in {cfg.data_dir} (has the kiosk run here?)", file=sys.stderr)
        return 1
    from kiosk.report import write_report
    from kiosk.screens.statistics import load_station_titles
    from kiosk.store.reader import StoreReader

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
