"""SIGKILL at random moments in a real child process: the file stays sound, nothing committed is lost,
and an event waits at most flush_interval (half a second) before its commit."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eventlog.wire import db_path

# The child records as fast as a busy kiosk would (and faster), in bursts, and prints each event's
# number with how many events the recorder had committed when record() returned: events are committed
# in order, so every number below that count was on disk.
CHILD = r"""
import sys, time
from kiosk.store.recorder import Recorder
rec = Recorder(sys.argv[1], "kill-test")
run = sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    burst = 1 if i % 50 else 200          # now and then a burst bigger than one batch... or two
    for _ in range(burst):
        rec.record("traffic.tap", {"scenario": run, "i": i, "pad": "x" * (i % 300)})
        sys.stdout.write(f"{i} {rec.written}\n")
        sys.stdout.flush()
        i += 1
    time.sleep(0.002)
"""


def _run_and_kill(data_dir: Path, run: str, committed_before_kill: int) -> list[tuple[int, int]]:
    """Kill the child once it has seen `committed_before_kill` events committed; (i, written) lines."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), run], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        lines = []
        for line in child.stdout:
            lines.append(line)
            if int(line.split()[1]) >= committed_before_kill:
                break
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.read().splitlines()  # what it printed before the kill landed
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    queued = []
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():  # the last line may be cut by the kill
            queued.append((int(parts[0]), int(parts[1])))
    return queued


@pytest.mark.slow
def test_sigkill_mid_write_keeps_every_committed_event_and_a_sound_file(tmp_path):
    rng = random.Random(20261125)
    for run in range(5):
        queued = _run_and_kill(tmp_path, f"run{run}", rng.randrange(300, 3000))
        committed = max(written for _, written in queued)
        assert committed >= 300, "the child did not get to record"
        conn = sqlite3.connect(db_path(tmp_path))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {json.loads(p)["i"] for (p,) in conn.execute(
            "SELECT payload FROM events WHERE json_extract(payload, '$.scenario') = ?", (f"run{run}",))}
        conn.close()
        missing = [i for i in range(committed) if i not in stored]
        assert not missing, f"run {run}: {len(missing)} committed events lost"
        # Nothing invented, and what was lost is only the tail: the events queued after the last commit.
        assert stored == set(range(len(stored)))
        assert len(stored) <= max(i for i, _ in queued) + 2   # at most the event being recorded at the kill


class _WriterClock:
    """The recorder's view of time, moved by hand; counts the writer thread's looks at it."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.looks = 0
        self.sleep = time.sleep

    def monotonic(self) -> float:
        if threading.current_thread().name == "recorder":
            self.looks += 1
        return self.t


def _until(predicate) -> bool:
    for _ in range(3000):   # bounds a failing run only; each round is one writer wake-up at most
        if predicate():
            return True
        threading.Event().wait(0.01)
    return predicate()


def test_the_oldest_pending_event_is_committed_once_flush_interval_has_passed(tmp_path, monkeypatch):
    # What bounds the loss on a kill: an event waits at most flush_interval (on the recorder's clock)
    # before its commit. The clock is moved by hand, so this holds on any machine, however loaded.
    from kiosk.store import recorder

    clock = _WriterClock()
    monkeypatch.setattr(recorder, "time", clock)
    rec = recorder.Recorder(tmp_path, "k", flush_interval=0.5)
    try:
        looks = clock.looks
        for n in range(3):
            rec.record("traffic.tap", {"n": n})
        # The writer took the events, found them not due, and went back to waiting: nothing committed.
        assert _until(lambda: clock.looks >= looks + 3)
        assert rec.written == 0
        clock.t = 1000.49
        looks = clock.looks
        assert _until(lambda: clock.looks >= looks + 2)   # it looked again, 0.49 s on
        assert rec.written == 0
        clock.t = 1000.5
        assert _until(lambda: rec.written == 3)
    finally:
        rec.close()
