"""`hub serve --demo`: a believable season on an embedded database, ready to click through.

The season's content and accounts come from hub/site/demo_season.py. The kiosks' data is made the way a
venue's is: a kiosk (the `kiosk` command, when installed) simulates a month at a venue into its own log
(`kiosk demo-data`), then uploads it to this hub through the ingest API (`kiosk sync --once`), drawings
included — the hub imports nothing from the kiosk, it only receives what kiosks send.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LOGINS_FILE = "demo-logins.json"
# (venue slug, kiosk id, days, whether its stop is over) — the stop running today and the one before it
DEMO_KIOSKS = [("centre-social-doucettes-garges", "95-centre-social-doucettes-1", 30, True),
               ("mediatheque-bobigny", "93-mediatheque-bobigny-1", 30, False)]


def prepare(data_dir: Path) -> dict[str, str]:
    """Migrate, make the season if the database is empty; the accounts' logins (kept beside the data,
    readable by this user only, so that a second start prints them again)."""
    from django.core.management import call_command

    from hub.site.demo_season import make_season
    from hub.site.models import Departement

    call_command("migrate", verbosity=0)
    logins_path = data_dir / LOGINS_FILE
    if not Departement.objects.exists():
        logins = make_season()
        fd = os.open(logins_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(logins, fh, indent=1)
    try:
        return json.loads(logins_path.read_text())
    except (OSError, ValueError):
        return {}


def kiosk_command() -> str | None:
    here = Path(sys.executable).with_name("kiosk")
    return str(here) if here.exists() else shutil.which("kiosk")


def load_kiosk_data(base_url: str, data_dir: Path, log=print) -> None:
    """Each demo kiosk simulates its month (once) and uploads it here; a second start only re-syncs
    (the hub answers `duplicate`: nothing counts twice)."""
    import datetime as dt

    from django.utils import timezone

    from hub.db import add_kiosk
    from hub.site.models import Kiosk, Venue

    kiosk = kiosk_command()
    if kiosk is None:
        log("demo: the `kiosk` command is not installed here: no kiosk data (install the project with `make run`)")
        return
    for slug, name, days, over in DEMO_KIOSKS:
        venue = Venue.objects.get(slug=slug)
        folder = data_dir / "kiosks" / name
        folder.mkdir(parents=True, exist_ok=True)
        token_file = folder / "token"
        if not Kiosk.objects.filter(name=name).exists() or not token_file.exists():
            token = add_kiosk(name, f"{venue.name} ({venue.town})", rotate=True, place=venue)
            token_file.write_text(token)
        config = folder / "kiosk.toml"
        config.write_text(f'[kiosk]\nid = "{name}"\nvenue = "{venue.name}"\n[sync]\nhub_url = "{base_url}"\n',
                          encoding="utf-8")
        env = dict(os.environ, QSEC_HUB_TOKEN=token_file.read_text().strip(), SDL_VIDEODRIVER="dummy",
                   SDL_AUDIODRIVER="dummy")
        if not (folder / "simulated").exists():
            args = [kiosk, "demo-data", "--config", str(config), "--data-dir", str(folder / "data"), "--days", str(days)]
            if over:
                end = min(venue.stops.first().ends, timezone.localdate() - dt.timedelta(days=1))
                args += ["--end", end.isoformat()]
            log(f"demo: kiosk {name} simulates {days} days at {venue.name}…")
            subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
            (folder / "simulated").touch()
        log(f"demo: kiosk {name} uploads its log to the hub…")
        subprocess.run([kiosk, "sync", "--once", "--config", str(config), "--data-dir", str(folder / "data")],
                       env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(base_url: str, timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/api/v1/health", timeout=1) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False
