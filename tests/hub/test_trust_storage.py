"""Each kiosk's share of the hub's disk, and drawings no event names removed after a grace period, both
reported by `hub storage`; against a real `hub serve`."""
from __future__ import annotations

import hashlib
import os
import time

import pytest

from eventlog.wire import db_path
from kiosk.sync.client import Transient
from kiosk.sync.status import sync_status
from kiosk.sync.uploader import Uploader
from tests.hub.conftest import event
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import LiveHub
from tests.sync.conftest import wait_until

HOME, OTHER = "mediatheque-meaux-1", "centre-social-evry-1"


def png(n: int) -> tuple[str, bytes]:
    data = b"\x89PNG\r\n\x1a\n" + f"drawing number {n} ".encode() * 50
    return hashlib.sha256(data).hexdigest(), data


def put(hub: LiveHub, token: str, n: int) -> tuple[int, bytes]:
    sha, data = png(n)
    status, _, body = hub.request("PUT", f"/api/v1/files/{sha}", body=data, token=token)
    return status, body


def stored(hub: LiveHub, n: int) -> tuple[bool, bool]:
    """(the hub has its row, the file is on disk)."""
    sha, _ = png(n)
    return (bool(hub.query("SELECT 1 FROM files WHERE sha256 = ?", (sha,))),
            (hub.files_dir / sha[:2] / f"{sha}.png").is_file())


def test_a_kiosk_fills_its_own_quota_not_the_disk(tmp_path):
    limits = {"rate_per_s": 0.0, "kiosk_max_drawings": 3, "kiosk_max_drawing_bytes": 10_000_000}
    with LiveHub(tmp_path, limits=limits, postgres=True) as hub:
        home, other = hub.add_kiosk(HOME), hub.add_kiosk(OTHER)
        assert [put(hub, home, n)[0] for n in range(3)] == [201, 201, 201]
        status, body = put(hub, home, 3)
        assert status == 413 and b"storage quota of kiosk 'mediatheque-meaux-1'" in body
        assert stored(hub, 3) == (False, False)
        assert put(hub, home, 0)[0] == 200                  # the same drawing again costs nothing
        assert put(hub, other, 3)[0] == 201                 # another kiosk's share is its own
        report = hub.cli("storage")
        assert f"{HOME}\t3\t" in report and "FULL" in report.split(HOME)[1].splitlines()[0]
        assert f"{OTHER}\t1\t" in report


def test_an_honest_kiosk_over_its_quota_keeps_its_drawings_and_sends_its_events(tmp_path):
    data = tmp_path / "kiosk"
    fill_kiosk_log(data, HOME, 600, seed=21, drawings=6)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0, "kiosk_max_drawings": 4}, postgres=True) as hub:
        uploader = Uploader(data, hub_url=hub.url, token=hub.add_kiosk(HOME))
        try:
            result = uploader.sync_once()
        finally:
            uploader.close()
        assert result.verdicts["created"] == 600 and result.files_sent == 4 and result.files_refused == 2
        assert hub.query("SELECT count(*) FROM files") == [(4,)]
        status = sync_status(db_path(data))
        assert status["backlog_events"] == 0 and "quota" in status["last_error"]["message"]
        assert len(list((data / "attachments").glob("*.png"))) == 6       # nothing lost on the kiosk


def wall_messages(kiosk: str, n: int) -> list[dict]:
    """n wall messages of the longest text a visitor can type (280 characters): ~580 bytes each as
    the quota counts them (payload plus a row's share)."""
    return [event("wall.message", {"question": "city", "text": "m" * 280, "flags": []}, kiosk_id=kiosk,
                  station="wall") for _ in range(n)]


def test_a_kiosk_s_events_fill_its_own_quota_not_the_disk(tmp_path):
    """A stolen token sending batch after batch: once the kiosk's events reach its quota, its batches
    are answered 507 and nothing of them is stored; the other kiosks go on; `hub storage` shows it."""
    limits = {"rate_per_s": 0.0, "kiosk_max_event_bytes": 200_000}
    with LiveHub(tmp_path, limits=limits, postgres=True) as hub:
        home, other = hub.add_kiosk(HOME), hub.add_kiosk(OTHER)
        assert [hub.post_events(home, wall_messages(HOME, 100))[0] for _ in range(3)] == [200] * 3
        status, answer = hub.post_events(home, wall_messages(HOME, 100))
        assert status == 507 and f"storage quota of kiosk '{HOME}'" in answer["error"]
        assert hub.query("SELECT count(*) FROM events WHERE kiosk_id = ?", (HOME,)) == [(300,)]
        status, answer = hub.post_events(home, [event("session.start", kiosk_id=HOME) for _ in range(10)])
        assert status == 200 and answer["counts"]["created"] == 10        # what still fits goes in
        assert hub.post_events(other, wall_messages(OTHER, 100))[0] == 200
        line = hub.cli("storage").split(HOME)[1].splitlines()[0].split("\t")
        used = hub.query("SELECT SUM(LENGTH(payload) + 256) FROM events WHERE kiosk_id = ?", (HOME,))[0][0]
        assert 150_000 < used <= 200_000 and line[7] == f"{used / 1e6:.1f}" and line[8] == f"0.2 MB, {used / 2e5:.0%} used"


def test_an_honest_kiosk_over_its_event_quota_keeps_its_events_for_later(tmp_path):
    data = tmp_path / "kiosk"
    fill_kiosk_log(data, HOME, 1000, seed=22)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0, "kiosk_max_event_bytes": 200_000}, postgres=True) as hub:
        uploader = Uploader(data, hub_url=hub.url, token=hub.add_kiosk(HOME), batch_size=250)
        try:
            with pytest.raises(Transient, match="storage quota"):
                uploader.sync_once()
        finally:
            uploader.close()
        stored = hub.query("SELECT count(*) FROM events")[0][0]
        assert 0 < stored < 1000 and stored % 250 == 0          # whole batches, none half-stored
        assert sync_status(db_path(data))["backlog_events"] == 1000 - stored     # the rest waits on the kiosk


def test_orphan_drawings_go_after_the_grace_period_named_ones_stay(tmp_path):
    """`hub serve` prunes by itself (grace 2 s here, a week by default)."""
    with LiveHub(tmp_path, limits={"rate_per_s": 0.0, "orphan_grace_s": 2.0}, postgres=True) as hub:
        home = hub.add_kiosk(HOME)
        for n in range(3):
            assert put(hub, home, n)[0] == 201
        sha, _ = png(0)
        message = event("wall.message", {"question": "city", "text": "Un tram", "flags": [], "drawing_sha256": sha},
                        kiosk_id=HOME, station="wall")
        assert hub.post_events(home, [message])[0] == 200
        stray = hub.files_dir / "ab" / f"{'ab' * 32}.png"      # a file whose row never came (a crash)
        stray.parent.mkdir(exist_ok=True)
        stray.write_bytes(b"\x89PNG\r\n\x1a\nhalf")
        old = time.time() - 3600
        os.utime(stray, (old, old))
        assert wait_until(lambda: stored(hub, 1) == (False, False) and stored(hub, 2) == (False, False)
                          and not stray.exists(), timeout=60)
        assert stored(hub, 0) == (True, True)
        assert put(hub, home, 1)[0] == 201                  # sent again, it is a new arrival


def test_hub_storage_reports_orphans_and_prunes_those_past_their_grace(tmp_path):
    with LiveHub(tmp_path, limits={"rate_per_s": 0.0}, postgres=True) as hub:     # a week's grace: nothing goes by itself
        home = hub.add_kiosk(HOME)
        for n in range(3):
            assert put(hub, home, n)[0] == 201
        for n in (1, 2):   # two of them arrived long ago
            hub.query("UPDATE files SET received_at = '2020-01-01T00:00:00.000Z' WHERE sha256 = ?", (png(n)[0],))
        line = hub.cli("storage").split(HOME)[1].splitlines()[0].split("\t")
        assert line[1] == "3" and line[4:7] == ["3", line[5], "2"]           # 3 orphans, 2 due
        pruned = hub.cli("storage", "--prune")
        assert pruned.startswith("# pruned 2 orphan files")
        assert [stored(hub, n) for n in range(3)] == [(True, True), (False, False), (False, False)]
        line = pruned.split(HOME)[1].splitlines()[0].split("\t")
        assert line[1] == "1" and line[4] == "1" and line[6] == "0"


def test_quota_pruning_and_setting_aside_in_sql_of_either_database(make_hub):
    """The same paths in process, on the test database (PostgreSQL with `make test-postgres`)."""
    from hub.db import Db
    from hub.revocation import set_aside
    from hub.storage import QuotaFull, prune, store_file

    hub = make_hub(rate_per_s=0.0, public_rate_per_s=0.0, auth_failure_rate_per_s=0.0)
    files = hub.config.files_dir
    for n in range(2):
        sha, data = png(n)
        assert store_file(Db(), files, sha, data, kiosk_id="kiosk-test", quota=(2, 10**6)) == "created"
    try:
        store_file(Db(), files, *png(2), kiosk_id="kiosk-test", quota=(2, 10**6))
    except QuotaFull as exc:
        assert "2 drawings" in str(exc)
    else:
        raise AssertionError("a third drawing went past a quota of two")
    message = event("wall.message", {"question": "city", "text": "Un tram", "flags": [], "drawing_sha256": png(0)[0]})
    assert hub.post([message, event("session.start")]).status_code == 200
    assert prune(Db(), files, grace_s=0.0, now=time.time() + 1) == {"files": 1, "bytes": len(png(1)[1])}
    assert Db().execute("SELECT sha256 FROM files") == [(png(0)[0],)]
    counted = Db().one("SELECT event_bytes FROM kiosks WHERE name = 'kiosk-test'")[0]
    assert counted == Db().one("SELECT SUM(LENGTH(payload) + 256) FROM events")[0] > 0
    moved = set_aside(Db(), "kiosk-test", "2020-01-01T00:00:00.000Z", "2026-12-06T00:00:00.000Z")
    assert moved == 2 and hub.rows() == [(0,)]
    assert Db().one("SELECT event_bytes FROM kiosks WHERE name = 'kiosk-test'") == (0,)   # its room given back
    assert Db().one("SELECT count(*) FROM conflicts WHERE source LIKE 'set-aside%%'") == (2,)
    assert prune(Db(), files, grace_s=0.0, now=time.time() + 1)["files"] == 1      # its drawing goes too
