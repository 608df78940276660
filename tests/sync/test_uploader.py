"""The uploader against a real hub: cursor, verdicts, drawings, totals, 401/413/429, backoff."""
from __future__ import annotations

import email.utils
import threading
import time

import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.sync import state
from kiosk.sync.client import RetryLater, Transient, parse_retry_after
from kiosk.sync.status import sync_status
from kiosk.sync.uploader import BACKOFF_CAP_S, Uploader
from tests.kiosk_logs import fill_kiosk_log, kiosk_uuids
from tests.live_hub import LiveHub, free_port
from tests.sync.conftest import KIOSK, assert_hub_holds_exactly, wait_until


def test_sync_once_moves_events_drawings_and_fetches_totals(live_hub, tmp_path):
    fill_kiosk_log(tmp_path, KIOSK, 2500, seed=1, drawings=8)
    uploader = Uploader(tmp_path, hub_url=live_hub.url, token=live_hub.token, batch_size=300)
    try:
        result = uploader.sync_once()
        assert result.verdicts["created"] == 2500 and result.batches == 9
        assert result.files_missing == 0
        again = uploader.sync_once()
        assert again.events == 0 and again.totals_fetched
    finally:
        uploader.close()
    assert_hub_holds_exactly(live_hub, tmp_path)
    drawings = {r[0] for r in live_hub.query("SELECT json_extract(payload, '$.drawing_sha256') FROM events "
                                             "WHERE kind = 'wall.message' AND payload LIKE '%drawing%'")}
    assert drawings and drawings <= {r[0] for r in live_hub.query("SELECT sha256 FROM files")}
    assert result.files_sent == len(drawings)
    status = sync_status(db_path(tmp_path))
    assert status["backlog_events"] == 0 and status["last_success"] and status["alert"] is None
    conn = connect(db_path(tmp_path), readonly=True)
    totals = state.get_json(conn, "hub_totals")
    conn.close()
    assert totals["totals"]["survey"]["came_by"]["answers"] > 0


def test_hub_down_keeps_the_cursor_and_shows_the_backlog(tmp_path):
    fill_kiosk_log(tmp_path, KIOSK, 50, seed=2)
    uploader = Uploader(tmp_path, hub_url=f"http://127.0.0.1:{free_port()}", token="t", timeout_s=1)
    try:
        with pytest.raises(Transient):
            uploader.sync_once()
        uploader.record_failure(Transient("network: refused"))
    finally:
        uploader.close()
    status = sync_status(db_path(tmp_path))
    assert status["backlog_events"] == 50 and status["cursor"] == 0
    assert status["oldest_unsent_age_s"] > 24 * 3600 and "refused" in status["last_error"]["message"]
    assert status["last_success"] is None


def test_a_second_start_keeps_one_thread_on_the_connection(tmp_path):
    """Two threads on one SQLite connection crashed the process (a segfault) when close() joined only
    the newer one and closed the connection under the older."""
    fill_kiosk_log(tmp_path, KIOSK, 20, seed=3)
    uploader = Uploader(tmp_path, hub_url=f"http://127.0.0.1:{free_port()}", token="t", timeout_s=1,
                        backoff_base_s=0.05, backoff_cap_s=0.1, interval_s=0.1)
    try:
        uploader.start()
        uploader.start()
        assert [t.name for t in threading.enumerate()].count("uploader") == 1
        assert wait_until(lambda: sync_status(db_path(tmp_path))["last_error"] is not None, 10, 0.05)
        uploader.stop()
        uploader.start()    # after a stop, a new thread replaces the old one
        assert [t.name for t in threading.enumerate()].count("uploader") == 1
    finally:
        uploader.close()
    assert not any(t.name == "uploader" for t in threading.enumerate())
    assert sync_status(db_path(tmp_path))["backlog_events"] == 20


def test_wrong_token_stops_the_thread_with_an_alert_and_keeps_data(live_hub, tmp_path):
    fill_kiosk_log(tmp_path, KIOSK, 20, seed=3)
    uploader = Uploader(tmp_path, hub_url=live_hub.url, token="wrong", backoff_base_s=0.01)
    uploader.start()
    assert wait_until(lambda: not uploader._thread.is_alive(), 10)
    uploader.close()
    status = sync_status(db_path(tmp_path))
    assert "401" in status["alert"] and status["backlog_events"] == 20
    assert len(kiosk_uuids(tmp_path)) == 20


def test_oversized_batches_are_split(tmp_path):
    with LiveHub(tmp_path / "hub", limits={"max_events": 70, "rate_per_s": 0.0}) as hub:
        token = hub.add_kiosk(KIOSK)
        fill_kiosk_log(tmp_path / "k", KIOSK, 400, seed=4)
        uploader = Uploader(tmp_path / "k", hub_url=hub.url, token=token, batch_size=500)
        try:
            assert uploader.sync_once().verdicts["created"] == 400
        finally:
            uploader.close()
        assert_hub_holds_exactly(hub, tmp_path / "k")


def test_rate_limit_retry_after_is_respected(tmp_path):
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 2.0, "rate_burst": 2}) as hub:
        token = hub.add_kiosk(KIOSK)
        fill_kiosk_log(tmp_path / "k", KIOSK, 80, seed=5)
        uploader = Uploader(tmp_path / "k", hub_url=hub.url, token=token, batch_size=10)
        calls: list[tuple[str, float | None]] = []     # what the uploader did, in order

        def spy(call):
            def spied(*args):
                try:
                    result = call(*args)
                except RetryLater as exc:
                    calls.append(("429", exc.retry_after_s))
                    raise
                calls.append(("answered", None))
                return result
            return spied

        class CountedWaits(threading.Event):
            def wait(self, timeout=None):
                calls.append(("wait", timeout))
                return super().wait(timeout)
        uploader.client.post_events = spy(uploader.client.post_events)
        uploader.client.get_totals = spy(uploader.client.get_totals)
        uploader._stop = CountedWaits()
        try:
            assert uploader.sync_once().verdicts["created"] == 80
        finally:
            uploader.close()
        told = [seconds for what, seconds in calls if what == "429"]
        assert told and min(told) >= 1                 # the hub said 429 + Retry-After ...
        # ... and each time the uploader waited exactly that long before asking again.
        for i, (what, seconds) in enumerate(calls):
            if what == "429":
                assert calls[i + 1] == ("wait", seconds) and calls[i + 2][0] in ("429", "answered")
        assert [what for what, _ in calls].count("wait") == len(told)
        assert_hub_holds_exactly(hub, tmp_path / "k")


def test_backoff_doubles_with_jitter_up_to_15_minutes(tmp_path):
    fill_kiosk_log(tmp_path, KIOSK, 1, seed=6)
    uploader = Uploader(tmp_path, hub_url="http://127.0.0.1:9", token="t", backoff_base_s=5, seed=1)
    try:
        waits = [[uploader.backoff_s(n) for _ in range(200)] for n in range(1, 12)]
    finally:
        uploader.close()
    for n, sample in enumerate(waits, start=1):
        ceiling = min(BACKOFF_CAP_S, 5 * 2 ** (n - 1))
        assert ceiling / 2 <= min(sample) and max(sample) <= ceiling
        assert len(set(sample)) > 100  # jittered: kiosks that failed together do not retry together
    assert max(waits[-1]) <= 900 and BACKOFF_CAP_S == 900


def test_retry_after_forms():
    assert parse_retry_after("120") == 120
    when = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= parse_retry_after(when) <= 61
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_refused_events_stay_local_and_are_counted(live_hub, tmp_path):
    conn = connect(db_path(tmp_path))
    from kiosk.store.migrations import migrate
    migrate(conn)
    conn.execute("INSERT INTO events (uuid, ts, kiosk_id, kind, payload) VALUES "
                 "('0190f0f0-0000-7000-8000-000000000001', '2026-11-01T10:00:00.000Z', ?, 'crowd.attempt', "
                 "'{\"scenario\":\"x\",\"evacuation_time_s\":NaN}')", (KIOSK,))
    conn.close()
    uploader = Uploader(tmp_path, hub_url=live_hub.url, token=live_hub.token)
    try:
        assert uploader.sync_once().verdicts["invalid"] == 1
    finally:
        uploader.close()
    status = sync_status(db_path(tmp_path))
    assert status["refused_events"] == 1 and status["backlog_events"] == 0
    assert kiosk_uuids(tmp_path) == ["0190f0f0-0000-7000-8000-000000000001"]


def test_concurrent_resends_of_one_batch_count_once(live_hub, tmp_path):
    import threading

    from kiosk.sync.client import HubClient
    from eventlog.wire import iter_rows, wire_event

    fill_kiosk_log(tmp_path, KIOSK, 400, seed=9)
    conn = connect(db_path(tmp_path), readonly=True)
    events = [wire_event(r) for r in iter_rows(conn)]
    conn.close()
    verdicts: list[list[str]] = []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        verdicts.append([v["status"] for v in HubClient(live_hub.url, live_hub.token).post_events(events)])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(verdicts) == 6
    created = sum(v.count("created") for v in verdicts)
    assert created == 400 and sum(v.count("duplicate") for v in verdicts) == 5 * 400
    uuids = {e["uuid"] for e in events}
    stored = [r[0] for r in live_hub.query("SELECT uuid FROM events") if r[0] in uuids]
    assert sorted(stored) == sorted(uuids)


def test_a_refused_drawing_does_not_hold_the_events_back(tmp_path):
    with LiveHub(tmp_path / "hub", limits={"max_file_bytes": 1000, "rate_per_s": 0.0}) as hub:
        token = hub.add_kiosk(KIOSK)
        fill_kiosk_log(tmp_path / "k", KIOSK, 600, seed=10, drawings=3)  # 3 KB drawings: over the limit
        uploader = Uploader(tmp_path / "k", hub_url=hub.url, token=token)
        try:
            result = uploader.sync_once()
        finally:
            uploader.close()
        assert result.files_refused >= 1 and result.files_sent == 0
        assert_hub_holds_exactly(hub, tmp_path / "k")
        assert "drawing" in sync_status(db_path(tmp_path / "k"))["last_error"]["message"]


def test_kiosk_id_not_matching_the_token_stops_with_an_alert_and_sends_nothing(live_hub, tmp_path):
    fill_kiosk_log(tmp_path, "typo-in-venue-file", 30, seed=11)
    uploader = Uploader(tmp_path, hub_url=live_hub.url, token=live_hub.token, backoff_base_s=0.01)
    uploader.start()
    assert wait_until(lambda: not uploader._thread.is_alive(), 10)
    uploader.close()
    status = sync_status(db_path(tmp_path))
    assert "403" in status["alert"] and "typo-in-venue-file" in status["alert"]
    assert status["backlog_events"] == 30 and status["cursor"] == 0
    assert not live_hub.query("SELECT 1 FROM events WHERE kiosk_id = 'typo-in-venue-file'")


def test_last_error_is_current_until_a_later_success():
    from kiosk.sync.status import error_is_current

    err = {"ts": "2026-11-25T15:13:05.000Z", "message": "network: refused"}
    assert error_is_current(err, None)
    assert error_is_current(err, "2026-11-25T15:12:00.000Z")
    assert not error_is_current(err, "2026-11-25T15:20:00.000Z")
    assert error_is_current(dict(err, kind="drawing"), "2026-11-25T15:20:00.000Z")  # a refused file stays
    assert not error_is_current(None, None)
    assert error_is_current({"ts": "garbage", "message": "?"}, "2026-11-25T15:20:00.000Z")
