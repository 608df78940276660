"""Done-when of issue 7: `hub serve` plus `kiosk sync --once` move a realistic venue month (with drawings)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.paths import PROJECT_ROOT
from kiosk.sync import state
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import LiveHub
from tests.sync.conftest import KIOSK, assert_hub_holds_exactly

# A library venue: ~100 visitor sessions a day (about 9 events each) plus a door counter's minute
# counts over 10 opening hours: about 1,400 events a day, 42,000 a month; a dozen drawings a day.
MONTH_EVENTS = 42_000
MONTH_DRAWINGS = 350


@pytest.mark.slow
def test_a_venue_month_through_hub_serve_and_kiosk_sync_once(tmp_path):
    data = tmp_path / "kiosk"
    fill_kiosk_log(data, KIOSK, MONTH_EVENTS, seed=2026, drawings=MONTH_DRAWINGS)
    with LiveHub(tmp_path / "hub") as hub:  # default limits, rate limit included
        venue = tmp_path / "venue.toml"
        venue.write_text(f'[kiosk]\nid = "{KIOSK}"\ndata_dir = "{data}"\n[sync]\nhub_url = "{hub.url}"\n'
                         f'token = "{hub.add_kiosk(KIOSK)}"\n')
        code = "import sys; from kiosk.sync.cli import sync_main; sys.exit(sync_main(sys.argv[1:]))"
        done = subprocess.run([sys.executable, "-c", code, "--config", str(venue), "--once"], capture_output=True,
                              env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)), timeout=240)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        assert f"{MONTH_EVENTS} events" in done.stdout.decode()
        assert_hub_holds_exactly(hub, data)
        named = {r[0] for r in hub.query("SELECT DISTINCT json_extract(payload, '$.drawing_sha256') FROM events "
                                         "WHERE kind = 'wall.message'") if r[0]}
        stored = {r[0] for r in hub.query("SELECT sha256 FROM files")}
        assert named == stored and len(stored) > MONTH_DRAWINGS * 0.9
        assert all((hub.files_dir / s[:2] / f"{s}.png").stat().st_size > 0 for s in stored)
    conn = connect(db_path(data), readonly=True)
    totals = state.get_json(conn, "hub_totals")["totals"]
    conn.close()
    assert totals["sessions"] == hub.counts_by_kind()["session.start"]
    assert json.dumps(totals)
