"""A real hub process on loopback for tests and benchmarks, optionally behind the fault injection of
tests/hub_faults.py.

    with LiveHub(tmp_path, faults={"error_rate": 0.3}) as hub:
        token = hub.add_kiosk("k1")
        fill_kiosk_log(data_dir, "k1", 5000, seed=1, drawings=20)
        Uploader(data_dir, hub_url=hub.url, token=token).sync_once()
        assert hub.uuids() == kiosk_uuids(data_dir)

With `postgres=True` in a `make test-postgres` run (QSEC_HUB_DATABASE set), the hub keeps its data in a
database of its own on that PostgreSQL server (dropped when the test process ends); otherwise in SQLite.
"""
from __future__ import annotations

import atexit
import gzip
import itertools
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_DATABASE = "QSEC_HUB_DATABASE"        # set by `make test-postgres`
_databases = itertools.count()


def _postgres_database() -> str | None:
    """A new empty database on the test run's PostgreSQL server (None on SQLite runs), dropped at exit."""
    url = os.environ.get(TEST_DATABASE, "")
    if not url.startswith(("postgresql://", "postgres://")):
        return None
    import psycopg

    name = f"qsec_live_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    atexit.register(_drop_database, url, name)
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


def _drop_database(url: str, name: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except psycopg.Error:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveHub:
    """`python -m hub serve` in a subprocess on 127.0.0.1, with its own config and database; with
    `faults`, the same app and server behind tests/hub_faults.py's FaultInjection instead."""

    def __init__(self, root: Path, *, faults: dict[str, Any] | None = None, limits: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None, postgres: bool = False):
        self.database = _postgres_database() if postgres else None
        if self.database:
            settings = {**(settings or {}), "database": self.database}
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.db_path = self.root / "hub.sqlite3"
        self.files_dir = self.root / "files"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config_path = self.root / "hub.toml"
        self.faults = dict(faults or {})
        self.write_config(limits=limits, settings=settings)
        self.proc: subprocess.Popen | None = None
        self.log_path = self.root / "hub.log"

    def write_config(self, *, limits: dict[str, Any] | None = None, settings: dict[str, Any] | None = None) -> None:
        """hub.toml: this hub's files and port, `settings` more [hub] keys, `limits` its [limits]."""
        lines = ["[hub]", f'db = "{self.db_path}"', f'files_dir = "{self.files_dir}"', 'host = "127.0.0.1"',
                 f"port = {self.port}", f'public_url = "{self.url}"', f'secret_key_file = "{self.root / "secret_key"}"',
                 f'uploads_dir = "{self.root / "uploads"}"']
        lines += [f"{k} = {json.dumps(v)}" for k, v in (settings or {}).items()]
        lines += ["[limits]"] + [f"{k} = {v!r}" for k, v in (limits or {}).items()]
        self.config_path.write_text("\n".join(lines) + "\n")

    def env(self) -> dict[str, str]:
        """The test process's own hub settings (its test database) must not leak into the live hub."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("QSEC_HUB_") and k != "DJANGO_SETTINGS_MODULE"}
        return dict(env, PYTHONPATH=str(PROJECT_ROOT))

    def cli(self, command: str, *args: str) -> str:
        """`python -m hub COMMAND --config <this hub's> ARGS`; its standard output."""
        done = subprocess.run([sys.executable, "-m", "hub", command, "--config", str(self.config_path), *args],
                              capture_output=True, text=True, env=self.env(), cwd=self.root, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"hub {command} exited with {done.returncode}: {done.stderr[-2000:]}")
        return done.stdout

    def start(self, timeout: float = 60.0) -> "LiveHub":
        env = self.env()
        with open(self.log_path, "ab") as log:
            command = ["-m", "hub", "serve"] if not self.faults else ["-m", "tests.hub_faults", "--faults",
                                                                       json.dumps(self.faults)]
            self.proc = subprocess.Popen([sys.executable, *command, "--config", str(self.config_path)],
                                         stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("hub did not come up")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a power cut of the process."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def __enter__(self) -> "LiveHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def add_kiosk(self, name: str, venue: str = "Médiathèque d'essai") -> str:
        return self.cli("add-kiosk", name, "--venue", venue).strip()

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of `sql` (placeholders `?`) on this hub's database, SQLite or PostgreSQL; a statement
        that returns no rows (a write, committed) gives []."""
        if self.database:
            import psycopg

            with psycopg.connect(self.database, autocommit=True) as conn:
                cursor = conn.execute(sql.replace("%", "%%").replace("?", "%s"), params)
                return [tuple(r) for r in cursor.fetchall()] if cursor.description else []
        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            with conn:
                return [tuple(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()

    def intact(self) -> bool:
        """SQLite's integrity check after a kill; PostgreSQL's WAL recovery is the server's own."""
        return self.database is not None or self.query("PRAGMA integrity_check") == [("ok",)]

    def make_season(self) -> None:
        """The demo season's content (venues, tour, events…) in this hub's database."""
        self.cli("manage", "shell", "-c", "from hub.site.demo_season import make_season; make_season()")

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
                token: str | None = None) -> tuple[int, Any, bytes]:
        """(status, headers, body) of one request to this hub; error statuses are answers like any other."""
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=dict(headers or {}))
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def post_events(self, token: str, events: list[dict[str, Any]]) -> tuple[int, Any]:
        """POST a batch as a kiosk does (gzip JSON); (status, answer as JSON)."""
        status, _, body = self.request("POST", "/api/v1/events", body=gzip.compress(json.dumps({"events": events}).encode()),
                                       headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
                                       token=token)
        return status, json.loads(body)

    def uuids(self) -> list[str]:
        return sorted(r[0] for r in self.query("SELECT uuid FROM events"))

    def counts_by_kind(self) -> dict[str, int]:
        return dict(self.query("SELECT kind, count(*) FROM events GROUP BY kind"))
