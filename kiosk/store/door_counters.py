"""What the log remembers of each door-counter board, for the door readers to carry on after a restart.

A board's totals restart from zero at each boot; `footfall.state` and `footfall.minute` rows carry the
board's device id, boot id, line number (seq) and totals (hardware/footfall_state.py explains why the
readers need them). These look-ups open the log read-only for one query each: they run once per board
or boot heard, on a reader's thread, never on the frame loop.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventlog.sqlite import connect

_KINDS = "kind IN ('footfall.state', 'footfall.minute')"


@dataclass(frozen=True)
class BoardTotals:
    ts: str              # when they were logged (UTC, the log's form)
    seq: int
    total_in: int
    total_out: int


class DoorCounterLog:
    """Read-only look-ups of door-counter rows in one kiosk's event log (a log not written yet knows
    no board)."""

    def __init__(self, db_path: Path | str):
        self.db_path = Path(db_path)

    def last_totals(self, device: str, boot_id: str) -> BoardTotals | None:
        """The totals with the highest seq of that boot of that board (seq grows with the totals), whatever
        the row order. Rows written before they carried the device id match on the boot id alone."""
        row = self._one(
            f"SELECT ts, payload FROM events WHERE {_KINDS} AND json_extract(payload, '$.boot_id') = ? "
            "AND coalesce(json_extract(payload, '$.device'), ?) = ? "
            "ORDER BY json_extract(payload, '$.seq') DESC, seq DESC LIMIT 1", (boot_id, device, device))
        if row is None:
            return None
        p = json.loads(row[1])
        return BoardTotals(row[0], int(p["seq"]), int(p["total_in"]), int(p["total_out"]))

    def heard(self, device: str) -> bool:
        """Has this board been logged before (any boot)?"""
        return self._one(f"SELECT 1 FROM events WHERE {_KINDS} AND json_extract(payload, '$.device') = ? LIMIT 1",
                         (device,)) is not None

    def _one(self, sql: str, args: tuple) -> Any:
        if not self.db_path.exists():
            return None
        conn = connect(self.db_path, readonly=True)
        try:
            return conn.execute(sql, args).fetchone()
        except sqlite3.OperationalError:   # no events table yet
            return None
        finally:
            conn.close()
