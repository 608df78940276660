"""`kiosk sync [--once]` and `kiosk export --out FILE` (entry points in group qsec_kiosk.commands)."""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from eventlog.bundle import bundle_name
from kiosk.sync.client import AuthError, SyncError


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="venue configuration file (default: built-in defaults)")
    parser.add_argument("--data-dir", type=Path, help="the kiosk's data directory (overrides kiosk.data_dir)")


def _arguments(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[argparse.Namespace, Any, Path] | int:
    """(args, kiosk config, data dir), or the exit code once argparse or the config said what is wrong."""
    from kiosk.commandline import config_for_command

    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage; 0 for --help
        return int(exc.code) if isinstance(exc.code, int) else 2
    config = config_for_command(args.config)
    if config is None:
        return 2
    return args, config, (args.data_dir if args.data_dir is not None else config.data_dir)


def sync_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk sync", description="Upload the event log to the hub.")
    _common(parser)
    parser.add_argument("--once", action="store_true", help="one pass (upload the backlog, fetch totals), then exit")
    parser.add_argument("--hub-url", help="overrides sync.hub_url")
    parser.add_argument("--status", action="store_true", help="print the upload status as JSON and exit")
    parsed = _arguments(parser, argv)
    if isinstance(parsed, int):
        return parsed
    args, config, data_dir = parsed
    from eventlog.wire import db_path
    from kiosk.sync.status import sync_status
    from kiosk.sync.uploader import uploader_from_config

    if args.status:
        print(json.dumps(sync_status(db_path(data_dir)), indent=1))
        return 0
    if args.hub_url is not None:
        from kiosk.sync.address import check_hub_url

        wrong, _ = check_hub_url(args.hub_url)
        if wrong:
            print(f"kiosk sync: --hub-url {wrong}; use https://", file=sys.stderr)
            return 2
    uploader = uploader_from_config(config, data_dir=data_dir, hub_url=args.hub_url)
    if uploader is None:
        print("no hub configured: set sync.hub_url and sync.token (or QSEC_HUB_TOKEN), "
              "or use `kiosk export` for a USB bundle", file=sys.stderr)
        return 2
    try:
        if args.once:
            return _once(uploader)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        signal.signal(signal.SIGTERM, lambda *_: uploader.stop(timeout=0))
        try:
            uploader.run()
        except KeyboardInterrupt:
            pass
        status = sync_status(db_path(data_dir))
        if status["alert"]:
            print(f"upload stopped: {status['alert']}", file=sys.stderr)
            return 1
        return 0
    finally:
        uploader.close()


def _once(uploader) -> int:
    try:
        result = uploader.sync_once()
    except AuthError as exc:
        uploader.record_failure(exc)
        print(f"upload stopped: {exc}", file=sys.stderr)
        return 1
    except SyncError as exc:
        uploader.record_failure(exc)
        print(f"upload failed, will be retried: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v}" for k, v in result.verdicts.items())
    print(f"{result.events} events in {result.batches} batches ({counts}); "
          f"{result.files_sent} drawings sent, {result.files_missing} missing; totals fetched")
    return 0


def export_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk export",
                                     description="Write the whole event log and drawings to one bundle file "
                                                 "(for a USB stick); `hub import FILE` reads it.")
    _common(parser)
    parser.add_argument("--out", type=Path,
                        help="bundle file to write (default: mediator.export_dir/qsec-<kiosk>-<date>.zip)")
    parsed = _arguments(parser, argv)
    if isinstance(parsed, int):
        return parsed
    args, config, data_dir = parsed
    out = args.out
    if out is None:
        if config.export_dir is None:
            print("give --out FILE (or set mediator.export_dir)", file=sys.stderr)
            return 2
        out = Path(config.export_dir) / bundle_name(config.kiosk_id)
    from eventlog.wire import db_path
    from kiosk.sync.export import NoToken, export_signed, record_export

    if not db_path(data_dir).exists():
        print(f"no event log in {data_dir}", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"no such directory: {out.parent} (is the USB stick mounted?)", file=sys.stderr)
        return 2
    try:
        result = export_signed(config, data_dir, out)
    except NoToken as exc:
        print(f"kiosk export: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"could not write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    record_export(data_dir, config.kiosk_id, result)
    print(f"{result.events} events and {result.attachments} drawings written to {result.path} "
          f"({result.bytes / 1e6:.1f} MB){'; ' + str(result.missing_attachments) + ' drawings missing' if result.missing_attachments else ''}")
    return 0
