"""The one install step (install/install.sh with a venue file) run into a scratch root, as it would run on a
kiosk but with no package, no systemctl and nothing started: the files it writes, the kiosk started from
them (headless), the unit checked by systemd-analyze, and an update to a newer release with a migration of
the event log, then back (qsec-kiosk-release)."""
from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENUE = ROOT / "config" / "venues" / "college-evry.toml"
NEW_MIGRATION = '''

def m900_install_test_probe(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE install_test_probe (x INTEGER)")


MIGRATIONS.append(("900_install_test_probe", m900_install_test_probe))
'''

pytestmark = pytest.mark.skipif(shutil.which("systemd-sysusers") is None, reason="needs systemd-sysusers (systemd)")


def sh(*args, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=1800)
    assert not check or done.returncode == 0, done.stdout + done.stderr
    return done


def rooted(root: Path, path: str) -> str:
    return str(root) + path if path.startswith("/") else path


def start_headless(root: Path, tmp: Path, frames: int = 90) -> subprocess.CompletedProcess:
    """The kiosk as the installed session script starts it (its exec line, paths taken in the scratch root)."""
    exec_line = [ln for ln in (root / "opt/qsec-kiosk/bin/qsec-kiosk-session").read_text().splitlines()
                 if ln.startswith("exec ")][0]
    argv = [rooted(root, a) for a in shlex.split(exec_line)[1:]]
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env.pop("PYTHONPATH", None)
    return subprocess.run(argv + ["--headless", "--frames", str(frames), "--screenshot", str(tmp / "shot.png")],
                          capture_output=True, text=True, env=env, timeout=600, cwd=tmp)


def kinds(root: Path) -> list[str]:
    conn = sqlite3.connect(root / "var/lib/qsec-kiosk/events.sqlite3")
    try:
        return [k for (k,) in conn.execute("SELECT kind FROM events ORDER BY seq")]
    finally:
        conn.close()


def migrations(root: Path) -> set[str]:
    conn = sqlite3.connect(root / "var/lib/qsec-kiosk/events.sqlite3")
    try:
        return {n for (n,) in conn.execute("SELECT name FROM schema_migrations")}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("root")
    done = sh(ROOT / "install/install.sh", "--root", root, "--no-apt", "--release", "v1.0.0", VENUE)
    return root, done.stdout


def test_the_install_step_writes_the_expected_files(installed):
    root, out = installed
    assert "7/7" in out
    assert re.search(r"^qsec:x:\d+:\d+:QSEC kiosk:/var/lib/qsec-kiosk:/usr/sbin/nologin$",
                     (root / "etc/passwd").read_text(), re.M)
    assert re.search(r"^dialout:x:\d+:qsec$", (root / "etc/group").read_text(), re.M)
    assert (root / "etc/qsec-kiosk/venue.toml").read_bytes() == VENUE.read_bytes()
    assert os.readlink(root / "opt/qsec-kiosk/current") == "releases/v1.0.0"
    release = root / "opt/qsec-kiosk/releases/v1.0.0"
    assert (release / "src/INSTALL.md").is_file() and not (release / "src/tests").exists()
    assert os.access(release / "venv/bin/kiosk", os.X_OK)
    unit = (root / "etc/systemd/system/qsec-kiosk.service").read_text()
    for line in ("Type=notify", "NotifyAccess=all", "WatchdogSec=30", "Restart=always", "User=qsec",
                 "RuntimeDirectory=qsec-kiosk", "RuntimeDirectoryPreserve=yes"):
        assert f"\n{line}\n" in unit
    assert (root / "etc/systemd/system/graphical.target.wants/qsec-kiosk.service").is_symlink()
    assert "GROUP=\"qsec\"" in (root / "etc/udev/rules.d/70-qsec-kiosk.rules").read_text()
    assert os.access(root / "opt/qsec-kiosk/bin/qsec-kiosk-session", os.X_OK)
    assert os.readlink(root / "usr/local/sbin/qsec-kiosk-release") == "/opt/qsec-kiosk/bin/qsec-kiosk-release"


def test_the_kiosk_starts_from_the_installed_files(installed, tmp_path):
    root, _ = installed
    run = start_headless(root, tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "shot.png").stat().st_size > 10_000
    assert kinds(root)[0] == "kiosk.start" and kinds(root)[-1] == "kiosk.stop"
    assert not (root / "var/lib/qsec-kiosk/events.sqlite3-wal").exists()       # a clean stop folds the WAL


@pytest.mark.skipif(shutil.which("systemd-analyze") is None or not os.access("/usr/bin/xinit", os.X_OK),
                    reason="needs systemd-analyze and xinit (make test installs xinit when run as root)")
def test_the_installed_unit_passes_systemd_analyze_verify(installed):
    root, _ = installed
    done = sh("systemd-analyze", "verify", root / "etc/systemd/system/qsec-kiosk.service", check=False)
    assert done.returncode == 0 and "qsec-kiosk.service" not in done.stderr, done.stderr


def test_an_update_migrates_the_log_forward_and_a_rollback_brings_the_release_back(installed, tmp_path):
    root, _ = installed
    if not (root / "var/lib/qsec-kiosk/events.sqlite3").exists():
        assert start_headless(root, tmp_path).returncode == 0
    venue = root / "etc/qsec-kiosk/venue.toml"
    venue_hash = hashlib.sha256(venue.read_bytes()).hexdigest()
    before = kinds(root)
    # release v1.1.0: this tree with one more migration of the event log
    newer = tmp_path / "v1.1.0"
    newer.mkdir()
    with tarfile.open(tmp_path / "src.tar", "w") as tar:
        for name in ("install", "kiosk", "eventlog", "stations", "hardware", "hub", "config", "media",
                     "pyproject.toml", "README.md", "INSTALL.md"):
            tar.add(ROOT / name, arcname=name, filter=lambda t: None if "__pycache__" in t.name else t)
    with tarfile.open(tmp_path / "src.tar") as tar:
        tar.extractall(newer, filter="data")
    with open(newer / "kiosk/store/migrations.py", "a") as fh:
        fh.write(NEW_MIGRATION)

    # the update: the same step, from the new release, with the installed venue file
    sh(newer / "install/install.sh", "--root", root, "--no-apt", "--release", "v1.1.0", venue)
    assert os.readlink(root / "opt/qsec-kiosk/current") == "releases/v1.1.0"
    assert os.readlink(root / "opt/qsec-kiosk/previous") == "releases/v1.0.0"
    assert start_headless(root, tmp_path).returncode == 0
    assert "900_install_test_probe" in migrations(root)
    after = kinds(root)
    assert after[:len(before)] == before and after[len(before):][0] == "kiosk.start"
    assert hashlib.sha256(venue.read_bytes()).hexdigest() == venue_hash
    listed = sh(root / "opt/qsec-kiosk/bin/qsec-kiosk-release", "--root", root, "list").stdout
    assert listed.split("\n")[:2] == ["- v1.0.0", "* v1.1.0"]

    # back: v1.0.0 cannot read a log migrated by v1.1.0, so it stays and says what to do
    release = root / "opt/qsec-kiosk/bin/qsec-kiosk-release"
    refused = sh(release, "--root", root, "rollback", check=False)
    assert refused.returncode == 1 and "cannot read the event log" in refused.stderr
    assert os.readlink(root / "opt/qsec-kiosk/current") == "releases/v1.1.0"
    backup = [ln.split("--restore-backup ")[1] for ln in refused.stderr.splitlines() if "--restore-backup" in ln]
    before_update = [b for b in backup if b.endswith("-before-v1.1.0.sqlite3")]
    assert before_update, refused.stderr
    back = sh(release, "--root", root, "rollback", "--restore-backup", before_update[0])
    assert "is back" in back.stdout
    assert os.readlink(root / "opt/qsec-kiosk/current") == "releases/v1.0.0"
    assert "900_install_test_probe" not in migrations(root) and kinds(root) == before
    set_aside = list((root / "var/lib/qsec-kiosk/backups").glob("events-set-aside-*-from-v1.1.0.sqlite3"))
    assert len(set_aside) == 1                                  # the newer log is kept, nothing deleted
    assert start_headless(root, tmp_path).returncode == 0
    assert hashlib.sha256(venue.read_bytes()).hexdigest() == venue_hash
