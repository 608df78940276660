"""Where the kiosk's log lines go: a rotating file in the data directory and stderr, which is the
journal under systemd (the unit sends stderr there): then every line at INFO and above, with its
syslog priority so that `journalctl -p warning` works, and no time stamp (the journal adds its own).

A long stay must not drown its logs: a failure that repeats (the disk is full, the hub is down)
keeps its traceback the first time only, then one line a minute says how often it came back; a
log file that cannot be written (disk full, read-only) says so once on stderr instead of a
'--- Logging error ---' traceback for every line."""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

REPEAT_WINDOW_S = 60.0
# logging levels -> syslog priorities (sd-daemon(3): "<N>" at the start of a line on a journal stream)
_PRIORITY = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6, logging.DEBUG: 7}


def on_journal(stream: TextIO, env=os.environ) -> bool:
    """Is this stream connected to the journal? systemd says so in JOURNAL_STREAM=device:inode."""
    try:
        device, inode = (int(x) for x in env.get("JOURNAL_STREAM", "").split(":"))
        st = os.fstat(stream.fileno())
    except (ValueError, OSError, AttributeError):
        return False
    return (st.st_dev, st.st_ino) == (device, inode)


class JournalFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        priority = _PRIORITY.get(record.levelno, 6 if record.levelno < logging.WARNING else 3)
        # one journal entry per line: each continuation line of a traceback keeps the priority
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())


class RepeatFilter(logging.Filter):
    """The first time a (logger, message) with a traceback is seen, it passes whole; the same one again
    within REPEAT_WINDOW_S is held back, and at most once per window one line says how often it came."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, window_s: float = REPEAT_WINDOW_S):
        super().__init__()
        self.clock = clock
        self.window_s = window_s
        self._seen: dict[tuple[str, str], list] = {}    # key -> [window start, held since then]

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info and record.levelno < logging.ERROR:
            return True
        key = (record.name, str(record.msg))
        now = self.clock()
        seen = self._seen.get(key)
        if seen is None or now - seen[0] >= self.window_s:
            held = seen[1] if seen else 0
            self._seen[key] = [now, 0]
            if held:
                record.exc_info = None
                record.exc_text = None
                record.msg = f"{record.msg} (again; {held + 1} times in the last {self.window_s:.0f} s)"
            return True
        seen[1] += 1
        return False


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file that, when it cannot be written, says so once on stderr and keeps trying."""

    failing = False
    _failed_now = False

    def emit(self, record: logging.LogRecord) -> None:
        self._failed_now = False
        super().emit(record)
        if not self._failed_now:
            self.failing = False

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed_now = True
        if not self.failing:
            self.failing = True
            exc = sys.exc_info()[1]
            print(f"kiosk: the log file {self.baseFilename} cannot be written ({exc}); lines go to stderr only",
                  file=sys.stderr)
        if self.stream is not None:   # a half-written buffer would fail again at every line
            try:
                self.stream.close()
            except OSError:
                pass
            self.stream = None


def setup_logging(data_dir: Path | None, verbose: bool = False) -> None:
    journal = on_journal(sys.stderr)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.DEBUG if verbose else logging.INFO if journal else logging.WARNING)
    stderr.setFormatter(JournalFormatter() if journal else
                        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handlers: list[logging.Handler] = [stderr]
    if data_dir is not None:
        (data_dir / "logs").mkdir(parents=True, exist_ok=True)
        file_handler = QuietFileHandler(data_dir / "logs" / "kiosk.log", maxBytes=2_000_000, backupCount=5,
                                        encoding="utf-8", delay=True)
        file_handler.setLevel(logging.INFO)
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(file_handler)
    for handler in handlers:
        handler.addFilter(RepeatFilter())   # one each: a filter sees every record once per handler
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=handlers, force=True)
