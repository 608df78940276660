"""A full or read-only disk over a long stay, on a real small filesystem (a tmpfs with a size, skipped where
mounting is not allowed) and by fault injection: the event log keeps what it could not write and writes it once
there is room (the ballast gives it room at once), one traceback rather than a flood, a bounded WAL and none
after a clean stop, no half-written drawing, a start that waits and says why, and what a stop on a refused disk
still held kept in a spill file for the next start, once."""
from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pygame
import pytest

from eventlog.kinds import count_restarts
from eventlog.wire import db_path
from kiosk import storage
from kiosk.app import App
from kiosk.config import load_config
from kiosk.storage import Ballast, StorageWatch, storage_problem, wait_for_storage
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import WAL_LIMIT_BYTES, Recorder
from kiosk.store.spill import SpillFile
from stations.wall.drawing_view import write_attachment
from tests.store.refused_disk import READ_ONLY, RefusedLog, soon


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB filesystem of its own (tmpfs), mounted for the test."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs is not allowed here: " + done.stderr.decode().strip())
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk up to `leave` bytes free; the filler file is returned (delete it to free the space)."""
    filler = disk / "filler"
    with open(filler, "ab") as fh:
        try:
            while os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize > leave + 4096:
                fh.write(bytes(4096))
                fh.flush()
        except OSError:
            pass
    return filler


def count(data: Path) -> int:
    conn = sqlite3.connect(db_path(data))
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def test_events_wait_in_memory_on_a_full_disk_and_are_written_when_room_comes_back(small_disk, caplog):
    recorder = Recorder(small_disk, "k1", flush_interval=0.05)
    recorder.record("kiosk.start")
    assert recorder.flush()
    filler = fill(small_disk)
    with caplog.at_level(logging.ERROR, logger="kiosk.store.recorder"):
        for i in range(300):
            recorder.record("survey.answer", {"i": i, "pad": "x" * 200})
        assert not recorder.flush(timeout=2.0)        # nothing can be written: nothing is dropped either
        # the 300 and the error event that says so (the mediator's count), held with them
        assert soon(lambda: recorder.backlog == 301 and recorder.held_errors == 1) and recorder.failing_since is not None
        filler.unlink()
        assert recorder.flush(timeout=10.0)
    recorder.close()
    assert count(small_disk) == 302
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1                         # the first failure only; the log handlers count the rest


def test_the_ballast_gives_the_event_log_room_at_once(small_disk):
    recorder = Recorder(small_disk, "k1", flush_interval=0.05)
    recorder.ballast = Ballast(small_disk, size=1024 * 1024)
    storage_room = storage.room_for
    storage.room_for = lambda path, size: True             # the reserve is bigger than this small disk
    try:
        assert recorder.ballast.ensure()
    finally:
        storage.room_for = storage_room
    fill(small_disk)
    for i in range(200):
        recorder.record("survey.answer", {"i": i, "pad": "x" * 200})
    assert recorder.flush(timeout=10.0)                  # the ballast was freed for them
    assert not recorder.ballast.path.exists()
    recorder.close()
    assert count(small_disk) == 200


def test_the_wal_stays_bounded_and_a_clean_stop_leaves_none(tmp_path):
    recorder = Recorder(tmp_path, "k1", flush_interval=0.01)
    reader = StoreReader(tmp_path)
    for batch in range(30):
        for i in range(200):
            recorder.record("survey.answer", {"i": i, "pad": "y" * 500})
        assert recorder.flush()
    wal = Path(f"{db_path(tmp_path)}-wal")
    assert wal.stat().st_size <= WAL_LIMIT_BYTES + 512 * 1024     # not SQLite's 4 MB default
    reader.close()
    recorder.close()
    assert not wal.exists()
    assert count(tmp_path) == 6000


def test_a_drawing_that_does_not_fit_leaves_no_half_written_file(small_disk, monkeypatch):
    fill(small_disk, leave=20_000)
    monkeypatch.setattr("stations.wall.drawing_view.room_for", lambda path, size: True)  # past the reserve check
    with pytest.raises(OSError):
        write_attachment(os.urandom(200_000), small_disk)
    assert not list((small_disk / "attachments").glob("*"))    # no .png.tmp, no zero-byte .png
    # and the reserve keeps drawings off the log's last megabytes in the first place
    monkeypatch.setattr("stations.wall.drawing_view.room_for", storage.room_for)
    with pytest.raises(OSError, match="reserve"):
        write_attachment(os.urandom(1000), small_disk)


def test_a_start_on_a_full_disk_waits_says_why_once_and_goes_on_when_there_is_room(small_disk):
    filler = fill(small_disk)
    data = small_disk / "kiosk"
    said, waits = [], []

    def pause(seconds: float) -> None:
        if len(waits) == 3:
            filler.unlink()                               # the technician frees some space

    wait_for_storage(data, say=said.append, waiting=lambda why, s: waits.append(why), sleep=pause)
    assert len(waits) == 3 and len(said) == 1
    assert "the disk of" in said[0] and "full" in said[0] and "starts by itself" in said[0]
    assert storage_problem(data) is None


def test_a_read_only_disk_is_named_as_such(small_disk):
    (small_disk / "kiosk").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert storage_problem(small_disk / "kiosk") == f"the disk of {small_disk / 'kiosk'} is read-only"
    watch = StorageWatch(small_disk / "kiosk")
    assert watch.check().alarm() == "read-only"


def test_the_watch_reports_low_space_off_the_frame_loop(small_disk):
    seen = []
    watch = StorageWatch(small_disk, on_change=seen.append)
    state = watch.check()
    assert state.low and state.alarm() == "low"          # 16 MB is under the reserve
    assert watch.free_bytes() == state.free_bytes and 0 < state.free_share <= 1
    assert [s.alarm() for s in seen] == ["low"]
    watch.check()
    assert len(seen) == 1                                  # said on a change only


def test_events_held_when_the_kiosk_stops_on_a_full_disk_are_written_at_the_next_start_once(small_disk):
    recorder = Recorder(small_disk, "k1", flush_interval=0.05)
    recorder.record("kiosk.start")
    assert recorder.flush()
    assert recorder.spills[0].path.stat().st_size >= recorder.spills[0].size    # its room taken ahead
    filler = fill(small_disk)
    uuids = [recorder.record("survey.answer", {"i": i, "pad": "x" * 200}) for i in range(300)]
    uuids.append(recorder.record("wall.message", {"question": "q1", "text": "Pourquoi les bouchons ?"}))
    uuids.append(recorder.record("kiosk.stop", {"reason": "SIGTERM"}))
    assert not recorder.flush(timeout=1.0)
    assert soon(lambda: recorder.held == 303) and recorder.failure == "full"   # with the error event saying so
    recorder.close()
    assert (recorder.spilled, recorder.lost) == (303, 0)      # into the blocks the spill file already owned
    assert count(small_disk) == 1

    filler.unlink()                                           # the technician frees some space
    again = Recorder(small_disk, "k1")
    assert again.restored == 303
    again.close()
    conn = sqlite3.connect(db_path(small_disk))
    try:
        stored = [row[0] for row in conn.execute(
            "SELECT uuid FROM events WHERE kind NOT IN ('kiosk.start', 'error') ORDER BY seq")]
    finally:
        conn.close()
    assert stored == uuids                                    # all of them, in their order
    third = Recorder(small_disk, "k1")                        # the spill was cleared: nothing comes back twice
    assert third.restored == 0
    third.close()
    assert count(small_disk) == 304


def test_a_spill_read_twice_inserts_nothing_twice(tmp_path):
    """A start that dies between writing the spilled events and clearing the spill file."""
    recorder = Recorder(tmp_path, "k1")
    rows = [{"uuid": str(uuid.uuid4()), "ts": "2026-12-06T10:00:00.000Z", "kiosk_id": "k1", "session_id": None,
             "station": "survey", "kind": "survey.answer", "payload": "{}"} for _ in range(5)]
    recorder.spills[0].write(rows)
    recorder.close()
    first = Recorder(tmp_path, "k1")
    assert first.restored == 5
    first.close()
    first.spills[0].write(rows)                               # as if it had never been cleared
    second = Recorder(tmp_path, "k1")
    assert second.restored == 0
    second.close()
    assert count(tmp_path) == 5


def test_a_spill_cut_mid_write_keeps_its_whole_lines(tmp_path):
    spill = SpillFile(tmp_path / "s.spill", size=4096)
    assert spill.allocate()
    assert spill.write([{"uuid": "a"}, {"uuid": "b"}]) == 2
    assert spill.write([{"uuid": "b"}, {"uuid": "c"}]) == 2    # after those not read back yet, once each
    assert [e["uuid"] for e in spill.read()] == ["a", "b", "c"]
    whole = spill.path.read_bytes()
    lines = whole[:whole.index(b"\0")].split(b"\n")
    with open(spill.path, "r+b") as fh:                       # a write cut in a line: its start on an old end
        fh.write(lines[0] + b"\n" + lines[2][:-3])
    # the stitched line ("c"'s check, "b"'s end) is dropped; the whole lines around it are kept
    assert [e["uuid"] for e in spill.read()] == ["a", "c"]
    spill.clear()
    assert spill.read() == []
    assert spill.write([{"uuid": str(i)} for i in range(1000)]) < 1000   # no more than the file holds


def test_held_events_on_a_read_only_disk_go_to_the_runtime_directory(small_disk, tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    data = tmp_path / "kiosk"
    recorder = Recorder(data, "k1", flush_interval=0.05, spill_fallback=runtime)
    recorder.record("kiosk.start")
    assert recorder.flush()
    # the data disk turns read-only (a filesystem error): the log refuses writes and so does its spill file
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    recorder.spills[0] = SpillFile(small_disk / "held-events.spill")
    recorder._conn = RefusedLog(recorder._conn, READ_ONLY)
    recorder.record("survey.answer", {"i": 1})
    recorder.record("kiosk.stop", {"reason": "SIGTERM"})
    assert not recorder.flush(timeout=1.0)
    assert soon(lambda: recorder.held == 3) and recorder.failure == "read-only"
    recorder.close()
    assert (recorder.spilled, recorder.lost) == (3, 0)
    assert not recorder.spills[0].path.exists()
    again = Recorder(data, "k1", spill_fallback=runtime)       # the next start, the disk repaired
    assert again.restored == 3
    again.close()
    assert count(data) == 4


def test_a_kiosk_stopped_on_a_full_disk_keeps_what_visitors_did_for_its_next_start(tmp_path):
    """The whole kiosk: SIGTERM (systemctl stop) while the log refuses writes; kiosk.stop and the visitors'
    events go to the spill and reach the log at the next start, so that start is not counted as a crash."""
    config = dataclasses.replace(load_config(None), data_dir=tmp_path / "data")
    app = App(config, headless=True)
    app.recorder.record("kiosk.start", {"version": "test"})
    assert app.recorder.flush()
    pygame.init()
    app.start()
    real = app.recorder._conn
    app.recorder._conn = RefusedLog(real)
    for i in range(12):
        app.recorder.record("survey.answer", {"question": "came_by", "choices": ["bike"]}, station="survey")
    app.stop_reason = "SIGTERM"
    app.shutdown(record_stop=True)
    assert app.recorder.lost == 0 and app.recorder.spilled >= 14       # 12, the error saying so, kiosk.stop
    assert count(config.data_dir) == 1

    again = Recorder(config.data_dir, "k1")
    assert again.restored == app.recorder.spilled
    again.close()
    conn = sqlite3.connect(db_path(config.data_dir))
    try:
        kinds = [k for (k,) in conn.execute("SELECT kind FROM events ORDER BY seq")]
        starts = conn.execute("SELECT ts, kind FROM events WHERE kind IN ('kiosk.start', 'kiosk.stop') ORDER BY seq")
        assert count_restarts(starts.fetchall(), "2000", "9999")[1] == 0       # a clean stop, not a crash
    finally:
        conn.close()
    assert kinds.count("survey.answer") == 12 and kinds.count("kiosk.stop") == 1 and kinds.count("error") == 1


def test_events_held_on_a_refused_disk_survive_a_kill_and_come_back_once(tmp_path):
    """A power cut or the watchdog's SIGKILL while the log refuses writes: the held events were spilled
    meanwhile; the next start writes them, and the old process's late commit adds nothing twice."""
    recorder = Recorder(tmp_path, "k1", flush_interval=0.05)
    real = recorder._conn
    recorder._conn = RefusedLog(real)
    uuids = {recorder.record("survey.answer", {"i": i}) for i in range(25)}
    spill = recorder.spills[0]
    assert soon(lambda: uuids <= {row["uuid"] for row in spill.read()})      # kept on disk, not only in memory
    # killed here: no stop, no final spill; the next process starts on the same data directory
    after_the_kill = Recorder(tmp_path, "k1")
    assert after_the_kill.restored >= 25          # the 25 (and the error saying so, if a later spill took it)
    after_the_kill.close()
    recorder._conn = real                                                    # (the killed one, tidied up)
    recorder.close()
    assert count(tmp_path) == 26
