"""`hub serve | add-kiosk | list-kiosks | import` (also `python -m hub ...`)."""
from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

from hub.config import ConfigError, HubConfig, load_config


def _config(args: argparse.Namespace) -> HubConfig:
    return load_config(args.config, db_path=args.db.resolve() if args.db is not None else None)


def cmd_serve(args: argparse.Namespace) -> int:
    from hub.app import build_app, serve

    config = load_config(args.config, db_path=args.db.resolve() if args.db is not None else None,
                         host=args.host, port=args.port)
    if not (config.content_dir / "survey.toml").is_file():
        print(f"hub: no content files in {config.content_dir}: public pages will show question and activity ids "
              "instead of their texts (set [hub] content_dir to a kiosk's config/content)", file=sys.stderr)
    serve(build_app(config), config, log_level=args.log_level)
    return 0


def cmd_add_kiosk(args: argparse.Namespace) -> int:
    from hub.db import add_kiosk, open_db

    if not (0 < len(args.name) <= 128 and args.name.isprintable() and args.name.strip() == args.name):
        print("the kiosk name must be its [kiosk] id: printable, 1 to 128 characters", file=sys.stderr)
        return 2
    conn = open_db(_config(args).db_path)
    try:
        token = add_kiosk(conn, args.name, args.venue, rotate=args.rotate)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        conn.close()
    print(f"# token for kiosk {args.name} ({args.venue}); put it in the kiosk's [sync] token; it is shown only once",
          file=sys.stderr)
    print(token)
    return 0


def cmd_list_kiosks(args: argparse.Namespace) -> int:
    from hub.db import list_kiosks, open_db

    conn = open_db(_config(args).db_path)
    try:
        print("kiosk\tvenue\tregistered\tevents\tlast received\tconflicts")
        for row in list_kiosks(conn):
            print(f"{row['name']}\t{row['venue']}\t{row['created_at']}\t{row['events']}\t"
                  f"{row['last_received'] or '-'}\t{row['conflicts']}")
    finally:
        conn.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from eventlog.bundle import BundleError
    from hub.db import open_db
    from hub.importer import import_bundle

    config = _config(args)
    conn = open_db(config.db_path)
    try:
        summary = import_bundle(conn, config.files_dir, args.file)
    except BundleError as exc:
        print(f"bundle refused, nothing imported: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(json.dumps(summary, indent=1))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description="QSEC² hub: gathers every kiosk's events.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, help="hub.toml (default: built-in defaults)")
        p.add_argument("--db", type=Path, help="SQLite database (overrides [hub] db)")

    serve = sub.add_parser("serve", help="run the HTTP API")
    common(serve)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(func=cmd_serve)
    add = sub.add_parser("add-kiosk", help="register a kiosk and print its bearer token")
    common(add)
    add.add_argument("name", help="the kiosk's id ([kiosk] id in its config)")
    add.add_argument("--venue", required=True)
    add.add_argument("--rotate", action="store_true", help="replace the token of an existing kiosk")
    add.set_defaults(func=cmd_add_kiosk)
    lst = sub.add_parser("list-kiosks", help="list registered kiosks")
    common(lst)
    lst.set_defaults(func=cmd_list_kiosks)
    imp = sub.add_parser("import", help="ingest a USB bundle written by `kiosk export`")
    common(imp)
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return args.func(args)
    except (ConfigError, OSError, tomllib.TOMLDecodeError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
