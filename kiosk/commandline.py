"""What every `kiosk` subcommand shares: the config loaded with one clear line per problem, day arguments."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from kiosk.config import ConfigError, load_config


def iso_day(text: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def config_for_command(path: Path | str | None):
    """The venue config for a command-line tool, or None after printing each problem on stderr.

    Stations load with the config; content is not checked (that is `kiosk check-config`'s job)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # station imports must not print on stdout

    try:
        return load_config(path, check_content=False, strict_stations=False)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None
