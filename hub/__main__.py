"""`hub serve | add-kiosk | list-kiosks | revoke-kiosk | storage | import | manage` (also `python -m hub ...`).

Every command reads hub.toml (--config) and the one settings file hub/site/settings.py, which finds it
through the environment set here, so that worker processes read the same configuration.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import tomllib
from dataclasses import replace
from pathlib import Path

from hub.config import ConfigError

DEMO_DIR = Path("hub-data/demo")


def _setup(args: argparse.Namespace, *, data_dir: Path | None = None, public_url: str | None = None):
    """Point the settings at this command's configuration, start Django, migrate; the HubConfig."""
    from hub.app import start_django

    data_dir = data_dir or (args.data_dir.resolve() if args.data_dir else None)
    return start_django(args.config, db_path=args.db, data_dir=data_dir, public_url=public_url)


def cmd_serve(args: argparse.Namespace) -> int:
    from hub.app import build_app, serve

    if args.demo:
        data_dir = (args.data_dir or DEMO_DIR).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        base_url = f"http://127.0.0.1:{args.port or 8750}"
        config = replace(_setup(args, data_dir=data_dir, public_url=base_url), host="127.0.0.1",
                         port=args.port or 8750)
        from hub import demo

        logins = demo.prepare(data_dir)
        print(f"QSEC² demo season in {data_dir}", flush=True)
        for user, password in logins.items():
            print(f"  login {user:<14} password {password}", flush=True)
        print(f"Back office: {base_url}/gestion/", flush=True)

        def load() -> None:
            if demo.wait_until_up(base_url):
                try:
                    demo.load_kiosk_data(base_url, data_dir)
                    print(f"demo: kiosk data synced. Site: {base_url}/", flush=True)
                except Exception as exc:   # the site is up anyway; say why the kiosks' data is missing
                    print(f"demo: kiosk data could not be loaded: {exc}", file=sys.stderr, flush=True)

        threading.Thread(target=load, name="demo-kiosks", daemon=True).start()
        print(f"Serving the site on {base_url}/ (Ctrl+C stops it)", flush=True)
        serve(build_app(config), config, log_level=args.log_level)
        return 0
    config = _setup(args)
    config = replace(config, host=args.host or config.host, port=args.port or config.port)
    if not (config.content_dir / "survey.toml").is_file():
        print(f"hub: no content files in {config.content_dir}: public pages will show question and activity ids "
              "instead of their texts (set [hub] content_dir to a kiosk's config/content)", file=sys.stderr)
    if not config.database and config.db_path.stat().st_mode & 0o077:
        print(f"hub: {config.db_path} can be read by other users of this machine "
              f"(mode {config.db_path.stat().st_mode & 0o777:o}): chmod 600 it", file=sys.stderr)
    if args.workers > 1 and not config.database:
        print("hub serve: several workers need PostgreSQL ([hub] database); SQLite runs with one", file=sys.stderr)
        return 2
    serve(build_app(config), config, log_level=args.log_level, workers=args.workers)
    return 0


def cmd_add_kiosk(args: argparse.Namespace) -> int:
    from hub.db import check_kiosk_name

    problem = check_kiosk_name(args.name)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _setup(args)
    from hub.db import add_kiosk
    from hub.site.models import Venue

    place = None
    if args.place:
        place = Venue.objects.filter(slug=args.place).first()
        if place is None:
            print(f"no venue with the address {args.place!r} (see the back office, Lieux)", file=sys.stderr)
            return 2
    try:
        token = add_kiosk(args.name, args.venue, rotate=args.rotate, place=place)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"# token for kiosk {args.name} ({args.venue}); put it in the kiosk's [sync] token; it is shown only once",
          file=sys.stderr)
    print(token)
    return 0


def cmd_list_kiosks(args: argparse.Namespace) -> int:
    _setup(args)
    from hub.db import Db, list_kiosks

    print("kiosk\tvenue\tregistered\tevents\tlast received\tconflicts\trevoked")
    for row in list_kiosks(Db()):
        print(f"{row['name']}\t{row['venue']}\t{row['created_at']}\t{row['events']}\t"
              f"{row['last_received'] or '-'}\t{row['conflicts']}\t{row['revoked_at'] or '-'}")
    return 0


def cmd_revoke_kiosk(args: argparse.Namespace) -> int:
    config = _setup(args)
    from hub.revocation import revoke_kiosk

    since = None
    if args.set_aside_since:
        since = _moment(args.set_aside_since, config.timezone)
        if since is None:
            print(f"hub revoke-kiosk: --set-aside-since {args.set_aside_since!r} is no date "
                  "(e.g. 2026-11-20 or 2026-11-20T08:30)", file=sys.stderr)
            return 2
    try:
        done = revoke_kiosk(args.name, set_aside_since=since)
    except ValueError as exc:
        print(f"hub revoke-kiosk: {exc}", file=sys.stderr)
        return 2
    print(f"kiosk {args.name} revoked ({done['revoked_at']}): its token and bundles are refused from now on "
          "(uploads at once, reading totals within a minute)")
    if since:
        print(f"{done['set_aside']} events received since {since} set aside (table conflicts); their drawings "
              "are removed after the orphan grace period")
    return 0


def _moment(text: str, zone: str) -> str | None:
    """A date or date-time typed by an operator, in the hub's time zone unless it says its own, as UTC text."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from eventlog.stamps import utc_iso

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone) if zone else timezone.utc)
    return utc_iso(moment)


def cmd_storage(args: argparse.Namespace) -> int:
    config = _setup(args)
    from hub.db import Db
    from hub.storage import prune, report

    if args.prune:
        done = prune(Db(), config.files_dir, config.orphan_grace_s)
        print(f"# pruned {done['files']} orphan files ({done['bytes'] / 1e6:.1f} MB) "
              f"older than {config.orphan_grace_s / 86400:g} days")
    print("kiosk\tdrawings\tMB\tquota\torphans\torphan MB\tdue for removal\tevents MB\tevents quota")
    for row in report(Db(), config.files_dir, config):
        quota = (f"{row['max_drawings']} drawings, {row['max_bytes'] / 1e6:.1f} MB"
                 + (" FULL" if row["full"] else "")) if row["kiosk"] else "-"
        events_quota = (f"{row['max_event_bytes'] / 1e6:.1f} MB, {row['event_bytes'] / max(1, row['max_event_bytes']):.0%} used"
                        if row["kiosk"] else "-")
        print(f"{row['kiosk'] or '(files without a row)'}\t{row['drawings']}\t{row['bytes'] / 1e6:.1f}\t{quota}\t"
              f"{row['orphans']}\t{row['orphan_bytes'] / 1e6:.1f}\t{row['orphans_due']}\t"
              f"{row['event_bytes'] / 1e6:.1f}\t{events_quota}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    config = _setup(args)
    from hub.db import Db
    from hub.importer import import_bundle
    from eventlog.bundle import BundleError

    try:
        summary = import_bundle(Db(), config.files_dir, args.file,
                                quota=(config.kiosk_max_drawings, config.kiosk_max_drawing_bytes))
    except BundleError as exc:
        print(f"hub import: bundle refused, nothing imported: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=1))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Django's own commands on the hub's settings: createsuperuser, changepassword, migrate…"""
    _setup(args)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hub manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description="QSEC² hub: the website and the kiosks' data service.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, help="hub.toml (default: built-in defaults)")
        p.add_argument("--db", type=Path, help="SQLite database (overrides [hub] db)")
        p.add_argument("--data-dir", type=Path, help="database, files, uploads and secret key in this folder "
                                                     f"(with serve --demo, default {DEMO_DIR})")

    serve = sub.add_parser("serve", help="run the site and the API")
    common(serve)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only)")
    serve.add_argument("--demo", action="store_true",
                       help="a demonstration season on an embedded database, on 127.0.0.1; prints the logins")
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(func=cmd_serve)
    add = sub.add_parser("add-kiosk", help="register a kiosk and print its bearer token")
    common(add)
    add.add_argument("name", help="the kiosk's id ([kiosk] id in its config)")
    add.add_argument("--venue", required=True, help="a label, e.g. « Médiathèque de Meaux »")
    add.add_argument("--place", help="the venue page's address (slug) its contributions go to")
    add.add_argument("--rotate", action="store_true", help="replace the token of an existing kiosk")
    add.set_defaults(func=cmd_add_kiosk)
    lst = sub.add_parser("list-kiosks", help="list registered kiosks")
    common(lst)
    lst.set_defaults(func=cmd_list_kiosks)
    revoke = sub.add_parser("revoke-kiosk", help="refuse a kiosk's token and bundles from now on (stolen, lost)")
    common(revoke)
    revoke.add_argument("name")
    revoke.add_argument("--set-aside-since", metavar="DATE",
                        help="also set aside its events received since then (e.g. 2026-11-20T08:30, hub's time zone)")
    revoke.set_defaults(func=cmd_revoke_kiosk)
    storage = sub.add_parser("storage", help="each kiosk's drawings and events against their quotas, and orphan files")
    common(storage)
    storage.add_argument("--prune", action="store_true", help="remove the orphans past the grace period now")
    storage.set_defaults(func=cmd_storage)
    imp = sub.add_parser("import", help="ingest a USB bundle written by `kiosk export`")
    common(imp)
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_import)
    manage = sub.add_parser("manage", help="Django's commands (createsuperuser, changepassword, …)")
    common(manage)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
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
