"""Door counter state: the last believed line of each (device, boot), shared by the door readers.

A board's totals restart from zero at each boot, so passages are the growth of the totals of one
(device id, boot id), and that is the only pair a line may ever be diffed against. The CounterBook
keeps the last believed (seq, in, out) of every pair heard, for all the door readers of a service:
a board that comes back on another port or to another reader (two counters on `auto` swapped by a
replug) continues from its own totals. After a kiosk restart a pair's state is read back from the
event log (footfall.state / footfall.minute rows carry device, boot_id, seq, total_in, total_out).

A FootfallTracker is one reader's view: it checks that a line belongs to its stream (the configured
device_id; within one connection, the board first heard on it), that it is plausible, then diffs it
against the book. Plausible (hardware/README.md, "Plausibility"):
- protocol: the board sends one line per passage, so in + out grow by at most the seq difference
  since the last believed line of that boot (a boot starts at seq 0 with no passage). Never believed.
- physics (Limits): since that line, at most PASSAGES_PER_S passages per second, and at most that many
  lines plus one heartbeat per period, + SLACK; a boot never heard before is believed on its second
  line (unless it is its boot line: seq 0, no passage yet).
A line beyond the physics is held, never counted on its own: if the next line of that boot continues
from it, the jump was real (the kiosk's clock stood still, a kiosk restart...) and is counted then;
otherwise it was garbage, dropped. A garbage line never moves the state, so the next good line
continues from the last good one.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hardware.protocols.footfall import FootfallFrame
from kiosk.store.door_counters import DoorCounterLog

log = logging.getLogger(__name__)
Key = tuple[str, str]   # (device id, boot id)

COUNTED, DUPLICATE, REGRESSION, FOREIGN = "counted", "duplicate", "regression", "foreign"
HELD, IMPLAUSIBLE = "held", "implausible"

# A doorway passes about 1.3 people per second per metre of width at most (fire-safety capacity of a
# crowd pushing through), bottleneck experiments up to about 2; this counter serialises them: it counts
# one walker once the door is clear of them (A, both, B, clear), which takes a walker about a third of
# a second at a brisk pace. 5 passages per second, in and out together, is beyond any real door.
PASSAGES_PER_S = 5.0
SLACK = 10   # lines lost in a row, clock ticks, USB buffering: this many passages/lines are always plausible


@dataclass(frozen=True)
class CounterState:
    """The last believed line of one (device, boot)."""

    seq: int
    total_in: int
    total_out: int
    t: float | None = None   # clock() time it was believed (from the log: the event's ts)


@dataclass(frozen=True)
class Limits:
    """How much a counter may move between two lines of the same boot `dt` seconds apart."""

    passages_per_s: float = PASSAGES_PER_S
    heartbeat_s: float = 10.0   # the firmware's: at most one heartbeat line per period on top of passages
    slack: int = SLACK

    def exceeded(self, ref: CounterState, frame: FootfallFrame, t: float | None) -> str | None:
        """Why frame cannot follow ref in the time between them, or None."""
        if ref.t is None or t is None:   # no time to measure with: only the protocol rule holds
            return None
        dt = max(0.0, t - ref.t)         # a clock stepped back measures 0: the slack, then confirmation
        passages = frame.total_in - ref.total_in + frame.total_out - ref.total_out
        if passages > self.passages_per_s * dt + self.slack:
            return f"{passages} passages in {dt:.1f} s"
        lines = frame.seq - ref.seq
        if lines > (self.passages_per_s + 1.0 / self.heartbeat_s) * dt + self.slack:
            return f"{lines} lines in {dt:.1f} s"
        return None


def _impossible(base: CounterState, frame: FootfallFrame) -> str | None:
    """The protocol rule: one line per passage."""
    passages = frame.total_in - base.total_in + frame.total_out - base.total_out
    lines = frame.seq - base.seq
    return f"{passages} passages in {lines} lines" if passages > lines else None


def _epoch(ts: str) -> float | None:
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError):
        return None


class CounterBook:
    """(device, boot) -> CounterState for every door reader of a service; thread-safe."""

    def __init__(self, db_path: Path | str | None = None):
        self.log = DoorCounterLog(db_path) if db_path is not None else None
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
        heard = self.log is not None and self.log.heard(device)
        with self._lock:
            return self._devices.setdefault(device, heard)

    def _load(self, key: Key) -> CounterState | None:
        found = self.log.last_totals(*key) if self.log is not None else None
        if found is None:
            return None
        return CounterState(found.seq, found.total_in, found.total_out, _epoch(found.ts))


class FootfallTracker:
    """Totals -> passages for one reader; the state itself lives in the (shared) CounterBook."""

    def __init__(self, book: CounterBook | None = None, *, device_id: str | None = None,
                 limits: Limits | None = None):
        self.book = book if book is not None else CounterBook()
        self.device_id = device_id            # configured: only this board counts here
        self.limits = limits if limits is not None else Limits()
        self.key: Key | None = None           # (device, boot) of the last line believed
        self.believed: CounterState | None = None   # and that line's state
        self.fresh = False                    # that line opened a (device, boot) never heard before
        self.outcome = ""                     # what became of the last line: COUNTED, DUPLICATE, ...
        self.reason = ""                      # why the last line was not believed
        self.duplicates = 0
        self.regressions = 0                  # same boot, newer seq, smaller totals: impossible
        self.foreign = 0                      # lines of another board than this stream's
        self.reboots = 0                      # new boots of a board heard before
        self.implausible = 0                  # lines never believed: against the protocol or the physics
        self.jumps = 0                        # held lines confirmed by the next one, and counted
        self._session_device: str | None = None
        self._held: tuple[FootfallFrame, CounterState, str] | None = None   # line, its state, the doubt

    def new_session(self) -> None:
        """A new connection: any board may be behind the port now (a replug, an `auto` port)."""
        self._session_device = None
        self._drop_held()

    def update(self, frame: FootfallFrame, t: float | None = None) -> tuple[int, int] | None:
        """Passages (in, out) this line reveals, or None when it reveals none to believe."""
        expected = self.device_id if self.device_id is not None else self._session_device
        if expected is not None and frame.device != expected:
            # Never diffed, never counted: another door's board on this port, or a damaged id.
            self.foreign += 1
            return self._refuse(FOREIGN, f"line from board {frame.device!r}, expected {expected!r}")
        key = (frame.device, frame.boot_id)
        ref = self.book.state(key)
        if (ref is not None and frame.seq <= ref.seq) or (self._held is not None and frame == self._held[0]):
            self.duplicates += 1
            return self._refuse(DUPLICATE, "")
        if ref is not None and (frame.total_in < ref.total_in or frame.total_out < ref.total_out):
            self.regressions += 1
            return self._refuse(REGRESSION, "totals went down within one boot")
        fresh = ref is None
        base = ref if ref is not None else CounterState(0, 0, 0)
        impossible = _impossible(base, frame)
        if impossible is not None:
            self.implausible += 1
            return self._refuse(IMPLAUSIBLE, impossible)
        if fresh:
            doubt = None if frame.seq == 0 else "a boot never heard before: believed on its second line"
        else:
            doubt = self.limits.exceeded(ref, frame, t)
        new = CounterState(frame.seq, frame.total_in, frame.total_out, t)
        if doubt is None:
            self._drop_held()           # a held line that the good ones do not continue was garbage
        elif self._continues_held(frame, t):
            self._held = None
            if not fresh:
                self.jumps += 1
                log.warning("footfall %s: a jump (%s) confirmed by the next line, counted", frame.device, doubt)
        else:
            self._drop_held()
            self._held = (frame, new, doubt)
            return self._refuse(HELD, doubt)
        known = fresh and self.book.known_device(frame.device)
        if not self.book.advance(key, ref, new):
            # Another reader moved this boot's state meanwhile (one board on two ports cannot happen):
            # counting nothing is safe, the next line carries the totals.
            return self._refuse(DUPLICATE, "state moved by another reader")
        if fresh and known:
            self.reboots += 1
        self.key, self.believed, self.fresh, self.outcome, self.reason = key, new, fresh, COUNTED, ""
        self._session_device = frame.device
        return frame.total_in - base.total_in, frame.total_out - base.total_out

    def _continues_held(self, frame: FootfallFrame, t: float | None) -> bool:
        """Does frame follow the held line as the next line of that boot would?"""
        if self._held is None:
            return False
        held, state, _ = self._held
        return ((held.device, held.boot_id) == (frame.device, frame.boot_id) and frame.seq > held.seq
                and frame.total_in >= held.total_in and frame.total_out >= held.total_out
                and _impossible(state, frame) is None and self.limits.exceeded(state, frame, t) is None)

    def _drop_held(self) -> None:
        if self._held is not None:
            self.implausible += 1
            log.warning("footfall %s: line not believed (%s): %s", self._held[0].device, self._held[2],
                        self._held[0])
            self._held = None

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
