"""Faults against a real hub process on 127.0.0.1; after recovery the hub holds exactly the kiosk's events.

Scenarios (issue 7): hub down for a while; 500s; slow answers past the client timeout; the connection
cut after the commit; the kiosk SIGKILLed mid-sync; the hub SIGKILLed mid-ingest; the same bundle
imported twice and also synced.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from eventlog.bundle import export_bundle
from eventlog.wire import db_path
from kiosk.paths import PROJECT_ROOT
from kiosk.sync.status import sync_status
from kiosk.sync.uploader import Uploader
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import LiveHub
from tests.sync.conftest import KIOSK, assert_hub_holds_exactly, wait_until

pytestmark = pytest.mark.slow
FAST = dict(backoff_base_s=0.05, backoff_cap_s=0.4, interval_s=0.2, seed=1)


def _drain(uploader: Uploader, data_dir, timeout: float = 60.0) -> None:
    """Run the uploader thread until the backlog is empty (bounded), then stop it."""
    uploader.start()
    try:
        assert wait_until(lambda: sync_status(db_path(data_dir))["backlog_events"] == 0, timeout, 0.1), \
            sync_status(db_path(data_dir))
    finally:
        uploader.close()


def test_hub_down_for_a_while(tmp_path):
    fill_kiosk_log(tmp_path / "k", KIOSK, 2000, seed=11, drawings=4)
    hub = LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True)
    token = hub.add_kiosk(KIOSK)
    uploader = Uploader(tmp_path / "k", hub_url=hub.url, token=token, batch_size=200, timeout_s=1, **FAST)
    uploader.start()
    time.sleep(1.0)  # several failed attempts while nobody listens
    status = sync_status(db_path(tmp_path / "k"))
    assert status["backlog_events"] == 2000 and status["last_error"] is not None
    with hub:
        _drain(uploader, tmp_path / "k")
        assert_hub_holds_exactly(hub, tmp_path / "k")


@pytest.mark.parametrize("faults, injected", [
    ({"error_rate": 0.4, "seed": 3}, ("error-before", "error-after")),  # 500s, before and after the commit
    ({"slow_rate": 0.3, "slow_s": 1.2, "seed": 4}, ("slow",)),  # answered after the client gave up (0.4 s)
    ({"cut_rate": 0.4, "seed": 5}, ("cut",)),                  # committed, then the connection dropped
], ids=["500s", "slow", "cut-after-commit"])
def test_flaky_hub(tmp_path, faults, injected):
    fill_kiosk_log(tmp_path / "k", KIOSK, 3000, seed=12, drawings=4)
    with LiveHub(tmp_path / "hub", faults=faults, limits={"rate_per_s": 0.0}, postgres=True) as hub:
        token = hub.add_kiosk(KIOSK)
        uploader = Uploader(tmp_path / "k", hub_url=hub.url, token=token, batch_size=250, timeout_s=0.4, **FAST)
        _drain(uploader, tmp_path / "k")
        assert_hub_holds_exactly(hub, tmp_path / "k")
        log = hub.log_path.read_text()
        for fault in injected:  # the faults really happened, more than once
            assert log.count(f"fault injection: {fault}\n") >= 2, log[-3000:]


def _sync_process(data_dir, config_path, *args: str) -> subprocess.Popen:
    code = "import sys; from kiosk.sync.cli import sync_main; sys.exit(sync_main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "--config", str(config_path), "--data-dir", str(data_dir),
                             *args], env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _venue_config(path, hub_url: str, token: str, batch_size: int = 100) -> None:
    path.write_text(f'[kiosk]\nid = "{KIOSK}"\n[sync]\nhub_url = "{hub_url}"\ntoken = "{token}"\n'
                    f"batch_size = {batch_size}\ninterval_s = 5\n")


def test_kiosk_killed_mid_sync(tmp_path):
    data = tmp_path / "k"
    fill_kiosk_log(data, KIOSK, 20000, seed=13, drawings=10)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True) as hub:
        _venue_config(tmp_path / "venue.toml", hub.url, hub.add_kiosk(KIOSK))
        proc = _sync_process(data, tmp_path / "venue.toml")
        try:
            assert wait_until(lambda: hub.query("SELECT count(*) FROM events")[0][0] >= 3000, 60)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        partial = hub.query("SELECT count(*) FROM events")[0][0]
        assert 0 < partial < 20000, "the kill must land mid-sync"
        again = _sync_process(data, tmp_path / "venue.toml", "--once")
        out, _ = again.communicate(timeout=120)
        assert again.returncode == 0, out.decode()
        assert_hub_holds_exactly(hub, data)


def test_hub_killed_mid_ingest(tmp_path):
    data = tmp_path / "k"
    fill_kiosk_log(data, KIOSK, 30000, seed=14)
    hub = LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True)
    token = hub.add_kiosk(KIOSK)
    hub.start()
    uploader = Uploader(data, hub_url=hub.url, token=token, batch_size=500, timeout_s=2, **FAST)
    uploader.start()
    try:
        for _ in range(2):  # twice, each time while batches are flowing
            floor = hub.query("SELECT count(*) FROM events")[0][0]
            assert wait_until(lambda: hub.query("SELECT count(*) FROM events")[0][0] > floor + 2000, 60, 0.02)
            hub.kill()
            assert hub.intact()
            time.sleep(0.3)
            hub.start()
        assert wait_until(lambda: sync_status(db_path(data))["backlog_events"] == 0, 90, 0.1)
    finally:
        uploader.close()
        hub.stop()
    assert hub.query("SELECT count(*) FROM events")[0][0] == 30000
    assert_hub_holds_exactly(hub, data)


def test_same_bundle_imported_twice_and_synced(tmp_path):
    data = tmp_path / "k"
    fill_kiosk_log(data, KIOSK, 3000, seed=15, drawings=6)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True) as hub:
        token = hub.add_kiosk(KIOSK)
        export_bundle(data, tmp_path / "usb.zip", kiosk_id=KIOSK, token=token)
        for _ in range(2):  # while the hub is serving: both write through WAL
            done = subprocess.run([sys.executable, "-m", "hub", "import", "--config", str(hub.config_path),
                                   str(tmp_path / "usb.zip")], env=hub.env(), capture_output=True, timeout=120)
            assert done.returncode == 0, done.stderr.decode()
        assert '"duplicate": 3000' in done.stdout.decode()
        uploader = Uploader(data, hub_url=hub.url, token=token, **FAST)
        try:
            result = uploader.sync_once()
        finally:
            uploader.close()
        assert result.verdicts == {"created": 0, "duplicate": 3000, "conflict": 0, "invalid": 0}
        assert_hub_holds_exactly(hub, data)


def test_hub_killed_mid_sync_keeps_the_batches_it_acknowledged_as_a_success(tmp_path):
    """Issue 7 audit: the hub dies with thousands of events acknowledged; the status shows that success
    (its time and how many events went) and, newer than it, the error that stopped the pass."""
    from eventlog.sqlite import connect

    data = tmp_path / "k"
    fill_kiosk_log(data, KIOSK, 20000, seed=15)
    hub = LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True)
    token = hub.add_kiosk(KIOSK)
    hub.start()
    uploader = Uploader(data, hub_url=hub.url, token=token, batch_size=500, timeout_s=2, **FAST)
    uploader.start()
    try:
        assert wait_until(lambda: sync_status(db_path(data))["cursor"] >= 3000, 60, 0.02)
        hub.kill()
        assert wait_until(lambda: sync_status(db_path(data))["last_error_current"], 30, 0.05)
    finally:
        uploader.close()
    status = sync_status(db_path(data))
    conn = connect(db_path(data), readonly=True)
    acknowledged = conn.execute("SELECT count(*) FROM events WHERE seq <= ?", (status["cursor"],)).fetchone()[0]
    conn.close()
    assert 3000 <= acknowledged < 20000, "the kill must land mid-sync"
    assert status["last_success"] is not None and status["last_success_events"] == acknowledged
    assert status["last_error"]["ts"] > status["last_success"] and status["backlog_events"] == 20000 - acknowledged
    with hub:   # the hub is back: the next pass resolves the error
        again = Uploader(data, hub_url=hub.url, token=token, batch_size=500, timeout_s=2, **FAST)
        try:
            result = again.sync_once()
        finally:
            again.close()
        status = sync_status(db_path(data))
        assert status["backlog_events"] == 0 and status["last_success_events"] == result.events
        assert status["last_error"] is not None and not status["last_error_current"]
        assert_hub_holds_exactly(hub, data)
