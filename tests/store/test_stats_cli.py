from __future__ import annotations

import json

import pytest

from kiosk.screens.statistics import load_station_titles
from kiosk.store.stats_cli import stats_main
from tests.report.conftest import write_config
from tests.store.conftest import Log

# The crowd station's title when its package loads (the id otherwise: a table never shows an empty name).
TITLE = load_station_titles().get("crowd", "crowd")


def test_json_table_and_csv(tmp_path, capsys):
    log = Log(tmp_path)
    for i, (t, sec) in enumerate([("09:05", 30), ("09:40", 50), ("13:10", 100)]):
        log.add("session.start", f"2026-11-24T{t}Z", session=f"s{i}")
        log.add("station.enter", f"2026-11-24T{t}:05Z", station="crowd", session=f"s{i}")
        log.add("station.exit", f"2026-11-24T{t}:35Z", {"seconds": sec}, station="crowd", session=f"s{i}")
    log.close()
    cfg = write_config(tmp_path, tmp_path)
    assert stats_main(["--day", "2026-11-24", "--format", "json", "--config", cfg]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sessions"] == 3 and out["sessions_per_hour"] == {"10": 2, "14": 1}   # local hours (UTC+1)
    assert out["stations"] == [{"id": "crowd", "title": TITLE, "visits": 3, "median_dwell_s": 50.0, "p75_dwell_s": 75.0}]
    assert stats_main(["--day", "2026-11-24", "--config", cfg]) == 0
    table = capsys.readouterr().out
    assert "sessions : 3" in table
    assert any(line.startswith(TITLE) for line in table.splitlines())   # people read titles, not ids
    # --data-dir: the log of another directory, with the embedded default config
    assert stats_main(["--day", "2026-11-24", "--format", "json", "--data-dir", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["sessions"] == 3
    assert stats_main(["--day", "2026-11-24", "--format", "csv", "--config", cfg]) == 0
    assert "station_median_dwell_s,crowd,50.0" in capsys.readouterr().out


def test_bad_input_exits_2_and_no_log_exits_1(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        stats_main(["--day", "yesterday"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        stats_main(["--format", "xml"])
    assert exc.value.code == 2
    cfg = write_config(tmp_path, tmp_path / "none")
    assert stats_main(["--config", cfg]) == 1
    assert "no event log" in capsys.readouterr().err
