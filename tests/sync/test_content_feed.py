"""Content flows down: the kiosk fetches the website's programme after its uploads (conditional GET),
keeps the last copy, shows it offline, and shows its content file when it never synced."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from kiosk.testing import default_config
from kiosk.sync.content_feed import cache_path, read_cached_feed
from kiosk.sync.uploader import Uploader
from stations.agenda import Station as AgendaStation
from tests.live_hub import LiveHub
from tests.participation.conftest import Driver, decode_qr, make_ctx  # noqa: F401  (fixture)


def test_the_kiosk_shows_the_programme_the_site_published_and_keeps_it_offline(tmp_path, make_ctx):
    data = tmp_path          # the station context (make_ctx) reads the same data directory
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}) as live:
        live.make_season()
        token = live.cli("add-kiosk", "93-mediatheque-bobigny-1", "--venue", "Médiathèque",
                         "--place", "mediatheque-bobigny").strip()
        uploader = Uploader(data, hub_url=live.url, token=token)
        try:
            assert uploader.sync_once().agenda == "updated"
            first = read_cached_feed(data)
            assert uploader.sync_once().agenda == "unchanged"          # If-None-Match: 304, no body
            assert read_cached_feed(data)["etag"] == first["etag"]
        finally:
            uploader.close()
    feed = first["feed"]
    assert feed["venue"] == "mediatheque-bobigny" and all("-mediatheque-bobigny-" in e["id"] for e in feed["event"])

    # the hub is gone: the station shows the copy it kept
    kiosk = dataclasses.replace(default_config(data_dir=data), public_url=live.url)
    station = AgendaStation(make_ctx("agenda", AgendaStation, kiosk=kiosk),
                            clock=lambda: dt.datetime.now(dt.timezone.utc))
    assert station.source == first["fetched_at"]
    assert {e.id for e in station.events} == {e["id"] for e in feed["event"]}
    assert [s.here for s in station.tour].count(True) == 1
    drv = Driver(station)
    drv.frame()
    shown = station.upcoming[0]
    assert decode_qr(drv.surface, station.view.qr_rects[shown.id].inflate(30, 30)) == [f"{live.url}/agenda/{shown.id}"]


def test_a_kiosk_that_never_synced_shows_its_content_file_and_a_bad_copy_changes_nothing(tmp_path, make_ctx):
    station = AgendaStation(make_ctx("agenda", AgendaStation), clock=lambda: dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc))
    assert station.source is None and "atelier-foule" in {e.id for e in station.events}
    path = cache_path(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"etag": "x", "fetched_at": "2026-11-25T10:00:00.000Z",
                                "feed": {"version": 1, "event": [{"id": "sans-date", "kind": "debat"}], "tour": []}}))
    before = list(station.events)
    drv = Driver(station)
    drv.frame(31.0)                    # the copy is read on the reader thread, then checked: refused
    assert station._since_check == 0.0 # the look at the copy was asked for
    drv.settle(until=lambda: station._feed_check is None)
    assert station.events == before and station.source is None
