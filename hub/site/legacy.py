"""Adopting a hub database made before the website (its own migration runner, tables events, kiosks,
conflicts, files, imports, schema_migrations): 0001 sets the old tables aside under legacy_* names, the
new tables are created as Django describes them, and 0002 copies every row back, then drops the old.
Nothing is lost: rows keep their seq, uuid, payload and timestamps exactly."""
from __future__ import annotations

LEGACY_TABLES = ("events", "kiosks", "conflicts", "files", "imports")
COPY = {
    "kiosks": "name, venue, token_hash, created_at",
    "events": "seq, uuid, ts, kiosk_id, session_id, station, kind, payload, content_sha, received_at, source, "
              "short_code",
    "conflicts": "id, uuid, content_sha, event, received_at, source",
    "files": "sha256, bytes, received_at, kiosk_id",
    "imports": "id, bundle_sha, kiosk_id, imported_at, counts",
}


def _tables(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cursor.fetchall()}


def set_aside(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        if "schema_migrations" not in tables or "events" not in tables:
            return
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                       "AND tbl_name IN ('events', 'kiosks', 'conflicts', 'files', 'imports')")
        for (index,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{index}"')
        for table in LEGACY_TABLES:
            if table in tables:
                cursor.execute(f'ALTER TABLE "{table}" RENAME TO "legacy_{table}"')


def copy_back(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        for table, columns in COPY.items():
            if f"legacy_{table}" in tables:
                if table == "events":   # databases older than short codes: the column is filled below
                    cursor.execute("PRAGMA table_info(legacy_events)")
                    if "short_code" not in {row[1] for row in cursor.fetchall()}:
                        cursor.execute("ALTER TABLE legacy_events ADD COLUMN short_code TEXT")
                cursor.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "legacy_{table}"')
                cursor.execute(f'DROP TABLE "legacy_{table}"')
        if "schema_migrations" in tables:
            cursor.execute("DROP TABLE schema_migrations")
        from hub.db import CODED_KINDS, payload_short_code

        connection.connection.create_function("hub_short_code", 3, payload_short_code, deterministic=True)
        marks = ",".join(["%s"] * len(CODED_KINDS))
        cursor.execute(f"UPDATE events SET short_code = hub_short_code(kind, uuid, payload) "
                       f"WHERE short_code IS NULL AND kind IN ({marks})", CODED_KINDS)
