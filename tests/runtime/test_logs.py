"""The kiosk's log lines: to the journal with their priority when systemd holds stderr, a repeating failure's
traceback once and then a count, and a log file that cannot be written said once instead of a traceback per line."""
from __future__ import annotations

import io
import logging
import os

from kiosk.logs import JournalFormatter, QuietFileHandler, RepeatFilter, on_journal


def _record(msg: str, level: int = logging.ERROR, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise OSError(28, "No space left on device")
        except OSError:
            import sys
            exc_info = sys.exc_info()
    return logging.LogRecord("kiosk.store", level, __file__, 1, msg, (), exc_info)


def test_stderr_is_the_journal_only_when_systemd_says_so(tmp_path):
    with open(tmp_path / "stream", "w") as stream:
        st = os.fstat(stream.fileno())
        assert on_journal(stream, {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"})
        assert not on_journal(stream, {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino + 1}"})
        assert not on_journal(stream, {})
    assert not on_journal(io.StringIO(), {"JOURNAL_STREAM": "1:2"})


def test_each_journal_line_carries_the_priority_of_its_record():
    text = JournalFormatter().format(_record("commit failed", exc=True))
    lines = text.splitlines()
    assert lines[0] == "<3>kiosk.store: commit failed"
    assert len(lines) > 2 and all(line.startswith("<3>") for line in lines)     # the traceback too
    assert JournalFormatter().format(_record("ok", logging.INFO)) == "<6>kiosk.store: ok"
    assert JournalFormatter().format(_record("hm", logging.WARNING)).startswith("<4>")


def test_a_repeating_failure_keeps_its_traceback_once_then_counts():
    now = [0.0]
    repeat = RepeatFilter(clock=lambda: now[0], window_s=60)
    assert repeat.filter(_record("commit failed", exc=True))
    passed = 0
    for _ in range(250):                      # a commit retried every 0.1 s for 25 s
        now[0] += 0.1
        passed += repeat.filter(_record("commit failed", exc=True))
    assert passed == 0
    now[0] = 61.0
    again = _record("commit failed", exc=True)
    assert repeat.filter(again)
    assert again.exc_info is None and "again; 251 times in the last 60 s" in again.getMessage()
    assert repeat.filter(_record("an ordinary line", logging.INFO))      # lines without traceback pass


def test_a_log_file_that_cannot_be_written_is_said_once(tmp_path, capsys):
    handler = QuietFileHandler(tmp_path / "kiosk.log", encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(message)s"))
    real_open = handler._open

    def refuse():
        raise OSError(28, "No space left on device")

    handler._open = refuse
    for i in range(50):
        handler.emit(_record(f"line {i}", logging.WARNING))
    err = capsys.readouterr().err
    assert err.count("cannot be written") == 1 and "Traceback" not in err and "Logging error" not in err
    assert handler.failing
    handler._open = real_open                 # space came back: lines are written again
    handler.emit(_record("back", logging.WARNING))
    handler.close()
    assert not handler.failing
    assert (tmp_path / "kiosk.log").read_text() == "back\n"
