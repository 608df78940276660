"""In-process hub fixtures (Starlette TestClient); live-process helpers are in tests/live_hub.py."""
from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import warnings

import pytest

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx is what the test extra pins
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from eventlog.stamps import new_uuid
from hub.app import build_app
from hub.config import HubConfig
from hub.db import add_kiosk, open_db

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


def gz(body: Any) -> bytes:
    return gzip.compress(json.dumps(body).encode())


class Hub:
    """A TestClient on a fresh hub with one registered kiosk."""

    def __init__(self, tmp_path: Path, **limits: Any):
        self.config = dataclasses.replace(HubConfig(db_path=tmp_path / "hub.sqlite3", files_dir=tmp_path / "files"),
                                          **limits)
        conn = open_db(self.config.db_path)
        self.token = add_kiosk(conn, KIOSK, "Médiathèque")
        self.other_token = add_kiosk(conn, "kiosk-other", "Centre social")
        conn.close()
        self.client = TestClient(build_app(self.config), raise_server_exceptions=False)
        self.client.__enter__()

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token if token is None else token}"}

    def post(self, events: list[dict], token: str | None = None, **kwargs: Any):
        headers = {**self.auth(token), "Content-Encoding": "gzip", "Content-Type": "application/json"}
        return self.client.post("/api/v1/events", content=gz({"events": events}), headers=headers, **kwargs)

    def rows(self, sql: str = "SELECT count(*) FROM events") -> Any:
        conn = open_db(self.config.db_path)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def close(self) -> None:
        self.client.__exit__(None, None, None)


@pytest.fixture
def hub(tmp_path):
    h = Hub(tmp_path, rate_per_s=0.0)
    yield h
    h.close()
