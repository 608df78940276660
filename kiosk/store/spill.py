"""Events the kiosk could not write before it stopped (a full or read-only disk), kept for the next start.

The spill file is allocated ahead, while the disk has room (posix_fallocate: blocks reserved, nothing
written), so that on a full disk the held events are written *into* space the file already owns: no new
block is needed. Its content is lines, one event each (a CRC-32, then the event as JSON: a write cut short
never stitches a new line's start to an old line's end into a false event), ended by a NUL byte; the rest of
the file is zeros. A new spill keeps the events of one not yet read back. Read back at the next start and
inserted into the log by uuid (INSERT OR IGNORE): a start that dies between the insert and the clearing
inserts nothing twice. A read-only disk refuses even that: the spill
then goes to a fallback directory (systemd's runtime directory, RAM: it survives a restart of the kiosk,
not a reboot), read back the same way.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import zlib
from pathlib import Path
from typing import Any, Iterable, Mapping

log = logging.getLogger(__name__)

SPILL_NAME = "held-events.spill"
SPILL_BYTES = 4 * 1024 * 1024      # about 10,000 events of a visitor (300-400 bytes each)
ALLOCATE_KEEP_FREE = 8 * 1024 * 1024    # never allocate it into the last megabytes SQLite needs to open


def runtime_spill_dir() -> Path | None:
    """systemd's RuntimeDirectory= ($RUNTIME_DIRECTORY), where a read-only data disk's events go."""
    value = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    return Path(value) if value else None


class SpillFile:
    def __init__(self, path: Path, size: int = SPILL_BYTES):
        self.path = Path(path)
        self.size = size

    def allocate(self) -> bool:
        """Reserve the file's blocks if it is missing or short and the disk can spare them."""
        try:
            if self.path.exists() and self.path.stat().st_size >= self.size:
                return True
            if shutil.disk_usage(self.path.parent).free - self.size < ALLOCATE_KEEP_FREE:
                return False
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o640)
            try:
                try:
                    os.posix_fallocate(fd, 0, self.size)
                except OSError:        # a filesystem without fallocate: write the zeros
                    os.lseek(fd, 0, os.SEEK_END)
                    missing = self.size - os.fstat(fd).st_size
                    while missing > 0:
                        missing -= os.write(fd, bytes(min(missing, 1024 * 1024)))
                os.fsync(fd)
            finally:
                os.close(fd)
            return True
        except OSError as exc:
            log.warning("the spill file %s could not be allocated: %s", self.path, exc)
            return False

    def write(self, events: Iterable[Mapping[str, Any]]) -> int:
        """Write as many of `events` as the file holds after those it already keeps (oldest first, its
        allocated size at most when it exists); return how many. Raises OSError when it cannot be written."""
        limit = max(self.size, self.path.stat().st_size) if self.path.exists() else self.size
        kept = self.read()
        known = {event.get("uuid") for event in kept}
        body = bytearray()
        count = 0
        for event in kept:
            body += _line(event)
        for event in events:
            if event.get("uuid") in known:
                count += 1
                continue
            line = _line(event)
            if len(body) + len(line) + 1 > limit:
                break
            body += line
            count += 1
        body += b"\0"
        # r+b: into the blocks the file owns (no truncation, no new allocation); created if missing
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            view = memoryview(bytes(body))
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        return count

    def read(self) -> list[dict[str, Any]]:
        """The events written last (an incomplete last line, from a cut during the write, is dropped)."""
        try:
            with open(self.path, "rb") as fh:
                data = fh.read(max(self.size, os.fstat(fh.fileno()).st_size))
        except FileNotFoundError:
            return []
        end = data.find(b"\0")
        events = []
        for line in (data if end < 0 else data[:end]).split(b"\n"):
            check, _, text = line.partition(b" ")
            try:
                if int(check, 16) != zlib.crc32(text):
                    continue
                event = json.loads(text)
            except ValueError:
                continue
            if isinstance(event, dict):
                events.append(event)
        return events

    def clear(self) -> None:
        """Mark it empty (its blocks stay allocated for the next time)."""
        fd = os.open(self.path, os.O_RDWR)
        try:
            os.write(fd, b"\0")
            os.fsync(fd)
        finally:
            os.close(fd)


def _line(event: Mapping[str, Any]) -> bytes:
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    return b"%08x %s\n" % (zlib.crc32(text), text)


def spill_files(data_dir: Path, fallback: Path | None = None) -> list[SpillFile]:
    """Where held events go at a stop, in order of preference: the data disk, then the fallback (RAM)."""
    files = [SpillFile(Path(data_dir) / SPILL_NAME)]
    if fallback is not None:
        files.append(SpillFile(Path(fallback) / SPILL_NAME))
    return files
