"""Door counter state: the last believed line of each (device, boot), shared by the door readers.

A board's totals restart from zero at each boot, so passages are the growth of the totals of one
(device id, boot id), and that is the only pair a line may ever be diffed against. The CounterBook
keeps the last believed (seq, in, out) of every pair heard, for all the door readers of a service:
a board that comes back on another port or to another reader (two counters on `auto` swapped by a
replug) continues from its own totals. After a kiosk restart a pair's state is read back from the
event log (footfall.state / footfall.minute rows carry device, boot_id, seq, total_in, total_out).

A FootfallTracker is one reader's view: it checks that a line belongs to its stream (the configured
device_id; within one connection, the board first heard on it), then diffs it against the book.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hardware.protocols.footfall import FootfallFrame

Key = tuple[str, str]   # (device id, boot id)
_KINDS = "kind IN ('footfall.state', 'footfall.minute')"

COUNTED, DUPLICATE, REGRESSION, FOREIGN = "counted", "duplicate", "regression", "foreign"


@dataclass(frozen=True)
class CounterState:
    """The last believed line of one (device, boot)."""

    seq: int
    total_in: int
    total_out: int
    t: float | None = None   # clock() time it was believed (from the log: the event's ts)


def _epoch(ts: str) -> float | None:
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError):
        return None


class CounterBook:
    """(device, boot) -> CounterState for every door reader of a service; thread-safe."""

    def __init__(self, db_path: Path | str | None = None):
        self.db_path = db_path
        self._lock = threading.Lock()
        self._states: dict[Key, CounterState] = {}
        self._absent: set[Key] = set()          # looked up in the log and not found
        self._devices: dict[str, bool] = {}     # device id -> heard before (memory or log)

    def state(self, key: Key) -> CounterState | None:
        with self._lock:
            if key in self._states or key in self._absent:
                return self._states.get(key)
        found = self._load(key)   # outside the lock: the log may take a moment
        with self._lock:
            if key not in self._states:
                if found is None:
                    self._absent.add(key)
                else:
                    self._states[key] = found
            return self._states.get(key)

    def advance(self, key: Key, expected: CounterState | None, new: CounterState) -> bool:
        """Store new if the state is still expected (what the caller diffed against)."""
        with self._lock:
            if self._states.get(key) != expected:
                return False
            self._states[key] = new
            self._absent.discard(key)
            self._devices[key[0]] = True
            return True

    def known_device(self, device: str) -> bool:
        """Has this board been heard before (any boot), here or in the log?"""
        with self._lock:
            if device in self._devices:
                return self._devices[device]
        row = self._query(f"SELECT 1 FROM events WHERE {_KINDS} AND json_extract(payload, '$.device') = ? LIMIT 1",
                          (device,))
        with self._lock:
            return self._devices.setdefault(device, row is not None)

    def _load(self, key: Key) -> CounterState | None:
        # The highest seq of that boot wins (seq grows with the totals), whatever the row order.
        # Rows written before states carried the device id match on the boot id alone.
        row = self._query(
            f"SELECT ts, payload FROM events WHERE {_KINDS} AND json_extract(payload, '$.boot_id') = ? "
            "AND coalesce(json_extract(payload, '$.device'), ?) = ? "
            "ORDER BY json_extract(payload, '$.seq') DESC, seq DESC LIMIT 1", (key[1], key[0], key[0]))
        if row is None:
            return None
        p = json.loads(row[1])
        return CounterState(int(p["seq"]), int(p["total_in"]), int(p["total_out"]), _epoch(row[0]))

    def _query(self, sql: str, args: tuple) -> tuple | None:
        if self.db_path is None or not Path(self.db_path).exists():
            return None
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5.0)
        try:
            return conn.execute(sql, args).fetchone()
        except sqlite3.OperationalError:   # no events table yet
            return None
        finally:
            conn.close()


class FootfallTracker:
    """Totals -> passages for one reader; the state itself lives in the (shared) CounterBook."""

    def __init__(self, book: CounterBook | None = None, *, device_id: str | None = None):
        self.book = book if book is not None else CounterBook()
        self.device_id = device_id            # configured: only this board counts here
        self.key: Key | None = None           # (device, boot) of the last line believed
        self.believed: CounterState | None = None   # and that line's state
        self.fresh = False                    # that line opened a (device, boot) never heard before
        self.outcome = ""                     # what became of the last line: COUNTED, DUPLICATE, ...
        self.reason = ""                      # why the last line was not believed
        self.duplicates = 0
        self.regressions = 0                  # same boot, newer seq, smaller totals: impossible
        self.foreign = 0                      # lines of another board than this stream's
        self.reboots = 0                      # new boots of a board heard before
        self._session_device: str | None = None

    def new_session(self) -> None:
        """A new connection: any board may be behind the port now (a replug, an `auto` port)."""
        self._session_device = None

    def update(self, frame: FootfallFrame, t: float | None = None) -> tuple[int, int] | None:
        """Passages (in, out) this line reveals, or None when it reveals none to believe."""
        expected = self.device_id if self.device_id is not None else self._session_device
        if expected is not None and frame.device != expected:
            # Never diffed, never counted: another door's board on this port, or a damaged id.
            self.foreign += 1
            return self._refuse(FOREIGN, f"line from board {frame.device!r}, expected {expected!r}")
        key = (frame.device, frame.boot_id)
        while True:
            ref = self.book.state(key)
            if ref is not None and frame.seq <= ref.seq:
                self.duplicates += 1
                return self._refuse(DUPLICATE, "")
            if ref is not None and (frame.total_in < ref.total_in or frame.total_out < ref.total_out):
                self.regressions += 1
                return self._refuse(REGRESSION, "totals went down within one boot")
            fresh = ref is None
            known = fresh and self.book.known_device(frame.device)
            base = ref if ref is not None else CounterState(0, 0, 0)
            new = CounterState(frame.seq, frame.total_in, frame.total_out, t)
            if self.book.advance(key, ref, new):
                break   # else another reader moved this state meanwhile: diff again
        if fresh and known:
            self.reboots += 1
        self.key, self.believed, self.fresh, self.outcome, self.reason = key, new, fresh, COUNTED, ""
        self._session_device = frame.device
        return frame.total_in - base.total_in, frame.total_out - base.total_out

    def _refuse(self, outcome: str, reason: str) -> None:
        self.outcome, self.reason = outcome, reason
        return None

    def state(self) -> dict[str, Any]:
        """The state of the last believed line, as footfall events carry it."""
        if self.key is None or self.believed is None:
            return {}
        s = self.believed
        return {"device": self.key[0], "boot_id": self.key[1], "seq": s.seq, "total_in": s.total_in,
                "total_out": s.total_out}
