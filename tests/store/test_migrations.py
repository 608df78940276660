"""Every earlier schema version, with rows in it, migrates to the current one without losing a row."""
from __future__ import annotations

import sqlite3

import pytest

from eventlog.sqlite import applied_migrations as applied
from eventlog.sqlite import atomic, connect
from eventlog.stamps import new_uuid, parse_ts
from kiosk.store.migrations import MIGRATIONS, SCHEMA_VERSION, migrate


def _insert(conn: sqlite3.Connection, n: int) -> None:
    with atomic(conn):
        for i in range(n):
            conn.execute(
                "INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) VALUES (?,?,?,?,?,?,?)",
                (new_uuid(), f"2026-11-25T10:00:{i:02d}.000Z", "k1", None, "crowd", "station.enter", "{}"),
            )


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_every_earlier_version_migrates_with_its_rows(tmp_path, version):
    conn = connect(tmp_path / "db.sqlite3")
    ran = migrate(conn, upto=version)
    assert ran == [name for name, _ in MIGRATIONS[:version]]
    rows = 5 if version >= 1 else 0
    if rows:
        _insert(conn, rows)
    conn.close()

    conn = connect(tmp_path / "db.sqlite3")
    ran = migrate(conn)
    assert ran == [name for name, _ in MIGRATIONS[version:]]
    assert applied(conn) == [name for name, _ in MIGRATIONS]
    # the hub's runner is the same one: both record when, as the log writes times
    assert all(parse_ts(ts) for (ts,) in conn.execute("SELECT applied_at FROM schema_migrations"))
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == rows
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The final schema works: the indexes exist, sync_state takes a row, the log refuses updates.
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"events_kind_placed", "events_session", "sync_state", "events_no_update"} <= names
    _insert(conn, 1)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET kind = 'x'")
    assert migrate(conn) == []  # idempotent
    conn.close()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    conn = connect(tmp_path / "db.sqlite3")
    migrate(conn, upto=2)

    def broken(c):
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr("kiosk.store.migrations.MIGRATIONS", MIGRATIONS[:2] + [("003_broken", broken)])
    with pytest.raises(RuntimeError):
        migrate(conn)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
    assert applied(conn) == [name for name, _ in MIGRATIONS[:2]]


def test_a_newer_database_is_refused(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    migrate(conn)
    conn.execute("INSERT INTO schema_migrations VALUES ('999_future', 'x')")
    with pytest.raises(RuntimeError, match="newer"):
        migrate(conn)
