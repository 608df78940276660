"""In-process hub fixtures (the whole ASGI app under a TestClient, on the test database that
pytest-django makes: SQLite, or PostgreSQL with QSEC_HUB_DATABASE); live-process helpers are in
tests/live_hub.py."""
from __future__ import annotations

import dataclasses
import gzip
import json
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx is what the test extra pins
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from hub.db import Db, add_kiosk
from eventlog.stamps import new_uuid

KIOSK = "kiosk-test"


def event(kind: str = "session.start", payload: dict | None = None, *, kiosk_id: str = KIOSK,
          minutes_ago: float = 5, **fields: Any) -> dict[str, Any]:
    when = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    out = {"uuid": new_uuid(int(when.timestamp() * 1000)),
           "ts": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
           "kiosk_id": kiosk_id, "session_id": "s-1", "station": None, "kind": kind,
           "payload": {} if payload is None else payload}
    out.update(fields)
    return out


# A season's log for the planner to weigh (PostgreSQL): on an empty or tiny table every index costs the
# same, and which one wins then depends on the statistics earlier tests left behind. Visitors' events
# by the ten thousand, a health report for twenty of them (every five minutes of opening), two kiosks; rolled back after the EXPLAIN.
SEASON_LOG = """
INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload, content_sha, received_at, source)
SELECT 'season-' || n, to_char(timestamp '2026-09-01' + n * interval '37 seconds', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       CASE WHEN mod(n, 3) = 0 THEN 'k2' ELSE 'k' END, 's-' || (n / 20), NULL,
       CASE WHEN mod(n, 500) = 1 THEN 'kiosk.start' WHEN mod(n, 500) = 2 THEN 'kiosk.stop'
            WHEN mod(n, 20) = 3 THEN 'kiosk.health'
            ELSE (ARRAY['survey.answer', 'session.start', 'station.enter', 'wall.message', 'footfall.minute',
                        'crowd.run'])[1 + mod(n, 6)] END,
       '{}', 'sha', '2026-12-01T00:00:00.000Z', 'http'
FROM generate_series(1, 20000) AS n
"""


def assert_index_probes(plans: dict[str, str], index: str = "") -> None:
    """Each query of `plans` (name -> SQL) is answered through an index (`index` when named), not a scan."""
    from django.db import transaction

    db = Db()
    if db.vendor != "postgresql":
        for name, sql in plans.items():
            plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
            assert f"USING INDEX {index}" in plan and "SCAN events" not in plan, (name, plan)
        return
    with transaction.atomic():
        db.execute(SEASON_LOG)
        db.execute("ANALYZE events")
        db.execute("SET LOCAL enable_seqscan = off")   # ask whether an index can serve, not whether it pays
        plans = {name: " ".join(row[0] for row in db.execute("EXPLAIN " + sql)) for name, sql in plans.items()}
        transaction.set_rollback(True)
    for name, plan in plans.items():
        assert "Index" in plan and index in plan and "Seq Scan" not in plan, (name, plan)


def gz(body: Any) -> bytes:
    return gzip.compress(json.dumps(body).encode())


class Hub:
    """A TestClient on the whole hub (API and site) with two registered kiosks, on an empty database.
    `limits` change the HubConfig the settings hold (files go to tmp_path) for the test's duration."""

    def __init__(self, tmp_path: Path, django_settings, **limits: Any):
        from hub.app import build_app
        from hub.ingest import forget_cached_totals
        from hub.site.queries import forget_cache

        forget_cached_totals()
        forget_cache()
        self.config = dataclasses.replace(django_settings.HUB, files_dir=tmp_path / "files",
                                          uploads_dir=tmp_path / "uploads", **limits)
        django_settings.HUB = self.config
        django_settings.MEDIA_ROOT = str(self.config.uploads_dir)
        self.token = add_kiosk(KIOSK, "Médiathèque")
        self.other_token = add_kiosk("kiosk-other", "Centre social")
        # https, as behind the TLS proxy: the site's cookies are Secure
        self.client = TestClient(build_app(self.config), raise_server_exceptions=False, base_url="https://testserver",
                                 headers={"X-Forwarded-Proto": "https"})
        self.client.__enter__()

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token if token is None else token}"}

    def post(self, events: list[dict], token: str | None = None, **kwargs: Any):
        headers = {**self.auth(token), "Content-Encoding": "gzip", "Content-Type": "application/json"}
        return self.client.post("/api/v1/events", content=gz({"events": events}), headers=headers, **kwargs)

    def rows(self, sql: str = "SELECT count(*) FROM events", params: tuple = ()) -> list[tuple]:
        return Db().execute(sql, params)

    def close(self) -> None:
        self.client.__exit__(None, None, None)


@pytest.fixture
def make_hub(transactional_db, tmp_path, settings):
    """Hubs with chosen limits; each is closed after the test."""
    made: list[Hub] = []

    def make(**limits: Any) -> Hub:
        made.append(Hub(tmp_path, settings, **limits))
        return made[-1]

    yield make
    for hub in made:
        hub.close()


@pytest.fixture
def hub(make_hub):
    # the per-kiosk and per-address limits off: tests of the limits make their own hub
    return make_hub(rate_per_s=0.0, public_rate_per_s=0.0, auth_failure_rate_per_s=0.0)
