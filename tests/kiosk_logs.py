"""Realistic kiosk event logs written straight into a kiosk's data directory, for tests and benchmarks.

    fill_kiosk_log(data_dir, "k1", 5000, seed=1, drawings=20)
    assert kiosk_counts_by_kind(data_dir)["session.start"] > 0
"""
from __future__ import annotations

import hashlib
import json
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from eventlog.sqlite import connect
from eventlog.stamps import new_uuid
from eventlog.wire import attachment_path, db_path
from kiosk.store.migrations import migrate

STATIONS = ("crowd", "traffic", "survey", "wall", "agenda", "air")
QUESTIONS = {"q_transport": ["bus", "metro", "velo", "marche", "voiture"], "q_duree": ["15", "30", "60", "90"],
             "q_foule": ["oui", "non", "parfois"]}


def fake_png(rng: np.random.Generator, size: int = 3000) -> bytes:
    """A small valid PNG (greyscale noise) so attachments are real images of a realistic size."""
    side = int(np.sqrt(size))
    raw = b"".join(b"\x00" + rng.integers(0, 256, side, dtype=np.uint8).tobytes() for _ in range(side))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + tag + data
                + zlib.crc32(tag + data).to_bytes(4, "big"))

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _visit(rng: np.random.Generator, drawings: list[str]) -> list[tuple[str, str | None, dict]]:
    """One visitor session as (kind, station, payload) rows."""
    rows: list[tuple[str, str | None, dict]] = [("session.start", None, {})]
    seen = []
    for station in rng.choice(STATIONS, size=int(rng.integers(1, 4)), replace=False):
        station = str(station)
        seconds = float(np.round(rng.uniform(10, 240), 1))
        rows.append(("station.enter", station, {}))
        if station == "survey":
            for question, choices in QUESTIONS.items():
                rows.append(("survey.answer", station, {"question": question,
                                                        "choices": [str(rng.choice(choices))]}))
            rows.append(("survey.complete", station, {"answered": len(QUESTIONS)}))
        elif station == "crowd":
            rows.append(("crowd.attempt", station, {"scenario": "couloir", "evacuation_time_s": float(np.round(rng.uniform(20, 90), 2))}))
        elif station == "traffic":
            rows.append(("traffic.attempt", station, {"scenario": "carrefour"}))
        elif station == "wall":
            payload: dict[str, Any] = {"question": "ville_ideale", "text": "Plus de pistes cyclables é"}
            if drawings and rng.random() < 0.8:  # most wall messages come with a drawing
                payload["drawing_sha256"] = drawings.pop()
            rows.append(("wall.message", station, payload))
        rows.append(("station.exit", station, {"seconds": seconds}))
        seen.append({"id": station, "seconds": seconds})
    rows.append(("session.end", None, {"reason": "timeout", "duration_s": sum(s["seconds"] for s in seen),
                                       "stations": seen}))
    return rows


def fill_kiosk_log(data_dir: Path | str, kiosk_id: str, n_events: int, *, seed: int = 0, drawings: int = 0,
                   start: datetime | None = None) -> list[str]:
    """Append about n_events realistic events (whole sessions plus footfall minutes) straight into the
    kiosk's log, spread over the days after `start`; write `drawings` PNG attachments. Returns uuids."""
    rng = np.random.default_rng(seed)
    data_dir = Path(data_dir)
    conn = connect(db_path(data_dir))
    migrate(conn)
    when = start or datetime.now(timezone.utc) - timedelta(days=30)
    sha_list = []
    for _ in range(drawings):
        png = fake_png(rng)
        sha = hashlib.sha256(png).hexdigest()
        path = attachment_path(data_dir, sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        sha_list.append(sha)
    step = timedelta(seconds=30 * 24 * 3600 / max(1, n_events))
    rows, uuids = [], []
    while len(rows) < n_events:
        session = new_uuid()
        visit = _visit(rng, sha_list) + [("footfall.minute", None, {"sensor": "porte", "minute": when.strftime("%Y-%m-%dT%H:%M"),
                                                                  "in": int(rng.integers(0, 9)), "out": int(rng.integers(0, 9))})]
        for kind, station, payload in visit[: n_events - len(rows)]:
            when += step
            ms = int(when.timestamp() * 1000)
            uuid = new_uuid(ms)
            ts = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
            sid = None if kind == "footfall.minute" else session
            rows.append((uuid, ts, kiosk_id, sid, station, kind,
                         json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)))
            uuids.append(uuid)
        if len(rows) >= 20000:
            _insert(conn, rows)
            n_events -= len(rows)
            rows = []
    _insert(conn, rows)
    conn.close()
    return uuids


def _insert(conn, rows: list[tuple]) -> None:
    with conn:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def kiosk_uuids(data_dir: Path | str) -> list[str]:
    conn = connect(db_path(data_dir), readonly=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT uuid FROM events"))
    finally:
        conn.close()


def kiosk_counts_by_kind(data_dir: Path | str) -> dict[str, int]:
    conn = connect(db_path(data_dir), readonly=True)
    try:
        return dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    finally:
        conn.close()
