"""The data directory over a long stay: free space watched with a reserve, a ballast file that gives the
event log room when something else filled the disk, and a start that waits (and says why) when the
disk is full or read-only instead of dying in a loop under systemd.

The reserve: below RESERVE_BYTES free, the kiosk stops writing what can wait or be refused (drawings,
the log file's lines) and keeps every byte for the event log; the mediator sees an alarm and the
health line turns red. The ballast: BALLAST_BYTES of zeros written at start-up while there is room;
when a commit of the event log fails for want of space, the ballast is deleted and the commit retried,
so events the visitors made are not lost because the journal or a download filled the disk."""
from __future__ import annotations

import errno
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)

RESERVE_BYTES = 200 * 1024 * 1024
BALLAST_BYTES = 64 * 1024 * 1024
BALLAST_NAME = "reserve.ballast"
START_MIN_FREE_BYTES = 8 * 1024 * 1024    # less than this and SQLite cannot even open its WAL
WATCH_EVERY_S = 15.0
START_RETRY_S = 30.0


@dataclass(frozen=True)
class DiskState:
    free_bytes: int
    total_bytes: int
    writable: bool = True

    @property
    def free_share(self) -> float:
        return self.free_bytes / self.total_bytes if self.total_bytes else 0.0

    @property
    def low(self) -> bool:
        return self.free_bytes < RESERVE_BYTES

    def alarm(self) -> str | None:
        """What the mediator must know, in plain words (None: nothing)."""
        if not self.writable:
            return "read-only"
        return "low" if self.low else None


@dataclass(frozen=True)
class StorageStatus:
    """What the mediator's alarm and the health report say about the data disk: the watch's last look and
    the recorder's events waiting in memory. `alarm`: "read-only", "full" (events the disk refused wait in
    memory), "low" (under the reserve: drawings refused, the log still written) or None."""
    alarm: str | None = None
    held: int = 0
    held_errors: int = 0
    free_bytes: int | None = None
    free_share: float | None = None


def storage_status(watch: "StorageWatch | None", recorder: Any) -> StorageStatus:
    """Combine the watch's state and the recorder's (anything with `held`, `held_errors`, `failure`)."""
    state = watch.state if watch is not None else None
    held = int(getattr(recorder, "held", 0) or 0)
    failure = getattr(recorder, "failure", None) if held else None
    if failure == "read-only" or (state is not None and not state.writable):
        alarm = "read-only"
    elif held:
        alarm = "full"
    elif state is not None and state.low:
        alarm = "low"
    else:
        alarm = None
    return StorageStatus(alarm, held, int(getattr(recorder, "held_errors", 0) or 0) if held else 0,
                         None if state is None else state.free_bytes, None if state is None else state.free_share)


def disk_state(path: Path) -> DiskState:
    usage = shutil.disk_usage(path)
    return DiskState(free_bytes=usage.free, total_bytes=usage.total, writable=os.access(path, os.W_OK)
                     and not _mounted_read_only(path))


def _mounted_read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def room_for(path: Path, size: int) -> bool:
    """May something that can wait (a drawing, a report) take `size` bytes without eating the reserve?"""
    try:
        return shutil.disk_usage(path).free - size >= RESERVE_BYTES
    except OSError:
        return False


class Ballast:
    """A file of zeros kept in the data directory, given up the first time the event log needs room."""

    def __init__(self, data_dir: Path, size: int = BALLAST_BYTES):
        self.path = Path(data_dir) / BALLAST_NAME
        self.size = size

    def ensure(self) -> bool:
        """Write the ballast if it is missing and the disk can spare it with the reserve intact."""
        if self.path.exists() and self.path.stat().st_size >= self.size:
            return True
        if not room_for(self.path.parent, self.size):
            return False
        tmp = self.path.with_suffix(".tmp")
        try:
            with open(tmp, "wb") as fh:
                chunk = bytes(1024 * 1024)
                for _ in range(self.size // len(chunk)):
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            return True
        except OSError:
            tmp.unlink(missing_ok=True)
            return False

    def release(self) -> bool:
        """Free its space (True if there was a ballast to free)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        log.warning("disk full: the reserve ballast (%d MB) was freed for the event log", self.size // 2**20)
        return True


class StorageWatch:
    """Looks at the data directory's disk every WATCH_EVERY_S on its own thread; the frame loop and the
    health report read `state`, never the disk. `on_change(state)` runs on the watch's thread."""

    def __init__(self, data_dir: Path, *, every_s: float = WATCH_EVERY_S, ballast: Ballast | None = None,
                 on_change: Callable[[DiskState], None] | None = None):
        self.data_dir = Path(data_dir)
        self.every_s = every_s
        self.ballast = ballast
        self.on_change = on_change
        self.state: DiskState | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="storage-watch", daemon=True)

    def start(self) -> "StorageWatch":
        self.check()
        self._thread.start()
        return self

    def check(self) -> DiskState | None:
        try:
            state = disk_state(self.data_dir)
        except OSError as exc:
            log.warning("free space of %s unknown: %s", self.data_dir, exc)
            return self.state
        before, self.state = self.state, state
        if before is None or before.alarm() != state.alarm():
            if state.alarm():
                log.warning("data directory %s: %s (%d MB free)", self.data_dir, state.alarm(),
                            state.free_bytes // 2**20)
            if self.on_change is not None:
                self.on_change(state)
        return state

    def _run(self) -> None:
        if self.ballast is not None:     # written here, never on the frame loop (64 MB take a while)
            self.ballast.ensure()
        while not self._stop.wait(self.every_s):
            self.check()
            if self.ballast is not None and self.state is not None and not self.state.low:
                self.ballast.ensure()    # given up for the log once; back when the disk has room again

    def free_bytes(self) -> int | None:
        """Free space of the data directory's disk at the last look (None: not looked yet); for reports."""
        return None if self.state is None else self.state.free_bytes

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)


def storage_problem(data_dir: Path) -> str | None:
    """Why the kiosk cannot start on this data directory now (None: it can): a full disk, a read-only
    one, a directory it may not write. Checked with a real write, as SQLite will need one."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(data_dir).free
    except OSError as exc:
        return f"the data directory {data_dir} cannot be created or read ({exc.strerror})"
    if free < START_MIN_FREE_BYTES:
        Ballast(data_dir).release()
        free = shutil.disk_usage(data_dir).free
        if free < START_MIN_FREE_BYTES:
            return f"the disk of {data_dir} is full ({free // 1024} kB free)"
    probe = data_dir / ".write-probe"
    try:
        with open(probe, "wb") as fh:
            fh.write(bytes(64 * 1024))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        if exc.errno == errno.EROFS:
            return f"the disk of {data_dir} is read-only"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"the disk of {data_dir} is full"
        return f"the data directory {data_dir} cannot be written ({exc.strerror})"
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
    return None


def wait_for_storage(data_dir: Path, *, say: Callable[[str], None], waiting: Callable[[str, float], None],
                     sleep: Callable[[float], None] = time.sleep, retry_s: float = START_RETRY_S) -> None:
    """Return once the data directory can be written; meanwhile say why not (once per new reason) and
    call `waiting(reason, retry_s)` before each pause (the entry point tells systemd it is still starting)."""
    said = None
    while (problem := storage_problem(data_dir)) is not None:
        if problem != said:
            say(f"kiosk run: waiting: {problem}; trying again every {retry_s:.0f} s "
                f"(free some space or fix the disk, the kiosk then starts by itself)")
            said = problem
        waiting(problem, retry_s)
        sleep(retry_s)
