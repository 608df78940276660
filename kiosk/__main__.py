"""`kiosk` command line: run | check-config | stats | hash-pin | simulate ... and the subcommands
that other packages declare in the entry-point group `qsec_kiosk.commands`."""
from __future__ import annotations

import os as _os

_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # before any station imports pygame

import argparse
import dataclasses
import faulthandler
import getpass
import logging
import os
import sys
import time
from pathlib import Path

from kiosk.logs import setup_logging
from kiosk.storage import wait_for_storage
from kiosk.supervision import Notifier
from kiosk.registry import COMMANDS_GROUP, SIMULATE_GROUP, commands, load_command

EXIT_BAD_INPUT = 2


def _config_error(exc) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    return EXIT_BAD_INPUT


def _has_display() -> bool:
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or os.path.exists("/dev/dri/card0") and os.environ.get("SDL_VIDEODRIVER") == "kmsdrm"
    return True


def cmd_run(args) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.headless import load_script

    try:
        config = load_config(args.config, strict_stations=False)
        script = load_script(args.script) if args.script else None
    except ConfigError as exc:
        return _config_error(exc)
    if args.data_dir:
        config = dataclasses.replace(config, data_dir=Path(args.data_dir))
    if args.language:
        if args.language not in config.languages:
            print(f"kiosk run: --language {args.language}: not in [kiosk] languages; expected one of: "
                  + ", ".join(config.languages), file=sys.stderr)
            return EXIT_BAD_INPUT
        config = dataclasses.replace(config, languages=(args.language, *(lang for lang in config.languages
                                                                           if lang != args.language)))
    if args.station and args.station not in config.stations:
        print(f"kiosk run: --station {args.station}: not an enabled station; expected one of: "
              + ", ".join(config.stations), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    elif not _has_display():
        print("kiosk run: no display found. To try it without a screen: "
              "kiosk run --headless --frames 300 --screenshot home.png", file=sys.stderr)
        return EXIT_BAD_INPUT
    notifier = Notifier.from_environment(clock=time.monotonic)
    # systemd's watchdog kills a frozen kiosk with SIGABRT: each thread's stack then goes to the journal
    faulthandler.enable()
    # A full or read-only disk at start: wait and say why (systemd is told the start goes on), never a
    # traceback that the unit's Restart= would turn into a loop.
    wait_for_storage(config.data_dir, say=lambda line: print(line, file=sys.stderr, flush=True),
                     waiting=lambda why, retry_s: notifier.still_starting(f"waiting: {why}", 2 * retry_s + 30))
    try:
        setup_logging(config.data_dir, args.verbose)
    except OSError as exc:
        print(f"kiosk run: cannot write to the data directory {config.data_dir}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for warning in config.warnings:
        logging.getLogger("kiosk").warning(warning)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from kiosk.app import App

    app = App(config, headless=args.headless, windowed=args.windowed or not config.fullscreen,
              start_station=args.station, fake_sensors=args.fake_sensors, seed=args.seed,
              full_redraw=args.full_redraw, notifier=notifier)
    frames = args.frames if args.frames is not None else (300 if args.headless else None)
    try:
        return app.run(frames=frames, script=script, screenshot=Path(args.screenshot) if args.screenshot else None)
    except pygame.error as exc:
        print(f"kiosk run: the display could not be opened ({exc}). To try it without a screen: "
              "kiosk run --headless --frames 300 --screenshot home.png", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 0


def cmd_check_config(args) -> int:
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(args.file)
    except ConfigError as exc:
        return _config_error(exc)
    for warning in config.warnings:
        print(f"warning: {warning}")
    _report_missing_translations(config)
    print(f"{args.file or 'default config'}: OK ({len(config.stations)} stations: {', '.join(config.stations)})")
    return 0


def _report_missing_translations(config) -> None:
    """One line per visitor string a configured language lacks (it shows in French meanwhile)."""
    from kiosk.translations import missing_translations

    for lang in config.languages:
        missing = missing_translations(lang)
        if missing:
            print(f"warning: kiosk.languages: {lang!r} lacks {len(missing)} visitor strings; they show in French:")
            for where, text in missing:
                print(f"  {lang} {where}: {text!r}")


def cmd_hash_pin(args) -> int:
    from kiosk.pin import hash_pin

    pin = args.pin
    if pin is None:
        pin = getpass.getpass("PIN (4 to 12 digits): ")
        if getpass.getpass("Again: ") != pin:
            print("kiosk hash-pin: the two PINs differ", file=sys.stderr)
            return EXIT_BAD_INPUT
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        print("kiosk hash-pin: the PIN must be 4 to 12 digits (the pad has only digits)", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f'pin_hash = "{hash_pin(pin)}"   # put this line in the [mediator] section of the venue file')
    return 0


def cmd_stats(argv: list[str]) -> int:
    from kiosk.store.stats_cli import stats_main

    return stats_main(argv)


def _dispatch_plugin(group: str, name: str, argv: list[str]) -> int:
    try:
        fn = load_command(group, name)
    except (KeyError, ImportError) as exc:
        print(f"kiosk: the command '{name}' is not available ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    return int(fn(argv) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="QSEC² exhibition kiosk")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the kiosk")
    run.add_argument("--config", type=Path, help="venue config file (default: the embedded default)")
    run.add_argument("--station", help="boot straight into this station")
    run.add_argument("--language", help="start in this language of [kiosk] languages (it becomes the default)")
    run.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    run.add_argument("--headless", action="store_true", help="no screen: SDL dummy driver, virtual clock")
    run.add_argument("--frames", type=int, help="stop after N frames (headless default 300)")
    run.add_argument("--screenshot", help="save the last frame as PNG")
    run.add_argument("--script", help="TOML script of taps, drags, keys and screenshots (see README)")
    run.add_argument("--fake-sensors", action="store_true", help="emulated door counter and air sensors")
    run.add_argument("--data-dir", help="override the config's data directory")
    run.add_argument("--seed", type=int, help="seed of the stations' random draws (headless default: 0, "
                     "so the same command gives the same screenshots)")
    run.add_argument("--full-redraw", action="store_true",
                     help="draw every frame at 60 fps whatever changes (a diagnostic when a screen looks stale)")
    run.add_argument("-v", "--verbose", action="store_true")
    run.set_defaults(fn=cmd_run)

    check = sub.add_parser("check-config", help="validate a venue config and its content files")
    check.add_argument("file", nargs="?", type=Path)
    check.set_defaults(fn=cmd_check_config)

    hp = sub.add_parser("hash-pin", help="print the salted hash of a mediator PIN for the venue file")
    hp.add_argument("--pin", help="the PIN (asked for when omitted)")
    hp.set_defaults(fn=cmd_hash_pin)

    stats = sub.add_parser("stats", help="sessions and station use", add_help=False)
    stats.add_argument("rest", nargs=argparse.REMAINDER)
    stats.set_defaults(fn=lambda a: cmd_stats(a.rest))

    sim = sub.add_parser("simulate", help="run a simulation without a screen")
    sim_sub = sim.add_subparsers(dest="model", required=True)
    for name in commands(SIMULATE_GROUP):
        p = sim_sub.add_parser(name, add_help=False, help=f"{name} simulation")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(fn=lambda a, n=name: _dispatch_plugin(SIMULATE_GROUP, n, a.rest))

    for name in commands(COMMANDS_GROUP):
        p = sub.add_parser(name, add_help=False, help=f"{name} (see kiosk {name} --help)")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(fn=lambda a, n=name: _dispatch_plugin(COMMANDS_GROUP, n, a.rest))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # Plugin commands own their whole argument list (argparse's REMAINDER would stop at "--x" options).
    if argv and argv[0] in commands(COMMANDS_GROUP):
        return _dispatch_plugin(COMMANDS_GROUP, argv[0], argv[1:])
    if len(argv) > 1 and argv[0] == "simulate" and argv[1] in commands(SIMULATE_GROUP):
        return _dispatch_plugin(SIMULATE_GROUP, argv[1], argv[2:])
    if argv and argv[0] == "stats":
        return cmd_stats(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
