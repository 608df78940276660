"""The air station: model series, log query, live readings, home card, and a smoke run with fake sensors."""
from __future__ import annotations

import time
from datetime import date, datetime

import numpy as np
import pygame
import pytest

from hardware.readings import AirReading, DeviceStatus, FootfallReading, SensorSnapshot
from kiosk.input import DOWN, SENSOR, UP, InputEvent
from stations.air.card import draw_air_card, sensor_state
from stations.air.model import AirDay, band, minute_index, query_day, CO2_BANDS, PM25_BANDS

DAY = date(2026, 11, 25)


def test_bands_follow_800_1200_ppm_and_who_pm25():
    assert [band(v, CO2_BANDS) for v in (799, 800, 1199, 1200)] == ["good", "medium", "medium", "high"]
    assert [band(v, PM25_BANDS) for v in (14.9, 15, 37.4, 37.5)] == ["good", "medium", "medium", "high"]
    assert band(None, CO2_BANDS) is None


def test_occupancy_is_a_clamped_running_sum():
    day = AirDay(DAY)
    day.add_passages(600, 5, 0)
    day.add_passages(610, 0, 8)     # three more exits than entries: a missed entry, not -3 people
    day.add_passages(620, 3, 1)
    occ = day.occupancy()
    assert (occ[599], occ[600], occ[609], occ[610], occ[620], occ[1439]) == (0, 5, 5, 0, 2, 2)
    # Same as the step-by-step definition.
    x, ref = 0, []
    for d in day.passages[:, 0] - day.passages[:, 1]:
        x = max(0, x + d)
        ref.append(x)
    assert np.array_equal(occ, ref)


def test_correlation_and_span():
    day = AirDay(DAY)
    for m in range(600, 700):
        people = (m - 600) // 5
        day.add_passages(m, 1 if m % 5 == 0 else 0, 0)
        day.add_co2("co2", m, 420 + 90 * people)
    assert day.correlation(600, 700) > 0.95
    assert day.span(720) == (600, 721)
    assert AirDay(DAY).span(30) == (1, 31)              # no data: the narrowest window, ending now
    assert AirDay(DAY).span(10) == (0, 11)
    assert day.summary(600, 700)["entries"] == 20
    assert minute_index("2026-11-25T14:07") == 847 and minute_index("garbage") is None


def test_span_ends_now_and_fits_the_data_present():
    day = AirDay(DAY)
    day.add_passages(180, 20, 0)                          # 03:00, 20 people come in
    day.add_co2("co2", 180, 600)
    day.add_co2("co2", 181, 640)
    assert day.span(181) == (152, 182)                     # 03:01: 30 minutes ending now, not 03:00-04:00
    assert day.span(700) == (180, 701)                     # from the first data to now
    day.add_passages(900, 1, 0)                            # a reading after now (clock jump) is not plotted
    assert day.span(700) == (180, 701)


def test_query_day_reads_todays_minutes_only(tmp_path):
    from kiosk.store.reader import StoreReader
    from kiosk.store.recorder import Recorder

    rec = Recorder(tmp_path, "k", flush_interval=0.05)
    rec.record("sensor.air", {"sensor": "co2", "minute": "2026-11-25T10:00", "co2_ppm": 700})
    rec.record("sensor.air", {"sensor": "co2b", "minute": "2026-11-25T10:00", "co2_ppm": 900})
    rec.record("sensor.air", {"sensor": "pm", "minute": "2026-11-25T10:00", "pm25": 9.0, "pm10": 12.0})
    rec.record("sensor.air", {"sensor": "co2", "minute": "2026-11-24T10:00", "co2_ppm": 2000})
    rec.record("footfall.minute", {"sensor": "porte", "minute": "2026-11-25T10:00", "in": 4, "out": 1})
    rec.flush()
    rec.close()
    reader = StoreReader(tmp_path)
    rows = reader.query(lambda conn: query_day(conn, DAY))
    reader.close()
    day = AirDay.from_rows(DAY, rows)
    assert day.co2[600] == 800 and np.isnan(day.co2[601])     # two CO2 sensors averaged, dust ignored
    assert day.occupancy()[600] == 3 and day.has_door


def _snapshot(co2_state="connected", co2=950, pm=40.0, occupancy=12):
    devices = (
        DeviceStatus("co2", "mhz19", co2_state != "offline", 0.0, {"co2_ppm": co2}, 0, co2_state == "warming_up",
                     state=co2_state),
        DeviceStatus("pm", "sds011", True, 0.0, {"pm25": pm, "pm10": pm}, 0, False, state="connected"),
    )
    return SensorSnapshot(devices, occupancy=occupancy, co2_ppm=co2 if co2_state == "connected" else None,
                          pm25=pm, pm10=pm)


def _colours(surface: pygame.Surface) -> set[tuple[int, int, int]]:
    arr = pygame.surfarray.array3d(surface).reshape(-1, 3)
    return {tuple(int(c) for c in v) for v in np.unique(arr, axis=0)}


def test_home_card_states(tmp_path):
    from kiosk.testing import close_context, make_context
    from kiosk.ui import THEME

    ctx = make_context("air", tmp_path=tmp_path)
    try:
        surface = pygame.Surface((640, 160))
        draw_air_card(surface, pygame.Rect(0, 0, 620, 140), _snapshot(), ctx.assets, ctx.i18n)
        colours = _colours(surface)
        assert THEME.warn in colours and THEME.bad in colours      # 950 ppm: medium; 40 µg/m³: high
        for state in ("warming_up", "offline"):
            surface.fill((0, 0, 0))
            draw_air_card(surface, pygame.Rect(0, 0, 620, 140), _snapshot(co2_state=state), ctx.assets, ctx.i18n)
            assert sensor_state(_snapshot(co2_state=state), "mhz19") == state
            assert THEME.warn not in _colours(surface)
        ctx.i18n.set_language("en")
        assert ctx.i18n.gettext("Air de la salle") == "Air in this room"
        assert ctx.i18n.gettext("préchauffage") == "warming up"
    finally:
        close_context(ctx)


def test_chart_draws_nothing_after_now(tmp_path):
    """At 03:01 with 20 people in since 03:00, the blue occupancy area covers two minutes, not an hour."""
    from kiosk.testing import canvas, close_context, make_context
    from stations.air import Station
    from stations.air.view import BAND_TINT, PEOPLE_COLOUR

    ctx = make_context("air", tmp_path=tmp_path)
    try:
        station = Station(ctx)
        now = datetime(2026, 11, 25, 3, 1, 20, tzinfo=ctx.kiosk.tz)
        station.now = lambda: now
        station.day = AirDay(now.date())
        station.day.add_passages(180, 20, 0)
        station.day.add_co2("co2", 180, 600)
        station.day.add_co2("co2", 181, 640)
        surface = canvas(ctx)
        station.view.draw(surface)
        plot = station.view.plot_rect
        assert station.view._span == (152, 182)
        pixels = pygame.surfarray.pixels3d(surface)[plot.left:plot.right, plot.top:plot.bottom]
        blue = np.all(pixels == PEOPLE_COLOUR, axis=2)
        tint = np.all(pixels == BAND_TINT["medium"], axis=2)
        columns = np.flatnonzero(blue.any(axis=1))
        del pixels
        assert columns.size and columns.size <= plot.width * 2 / 30 + 2      # two minutes of a 30-minute axis
        assert columns.min() >= plot.width * 28 / 30 - 2                      # at the right end: now
        assert tint.any(axis=1).sum() >= plot.width * 27 / 30                 # the 800-1200 ppm band stays visible
    finally:
        close_context(ctx)


class _FixedSensors:
    devices = ()

    def __init__(self, snap):
        self.snap = snap

    def snapshot(self):
        return self.snap


def test_live_readings_then_log_refresh_count_once(tmp_path):
    from kiosk.testing import close_context, make_context
    from stations.air import Station

    ctx = make_context("air", tmp_path=tmp_path)
    try:
        station = Station(ctx)
        noon = datetime(2026, 11, 25, 12, 0, 30, tzinfo=ctx.kiosk.tz)
        station.now = lambda: noon
        station.day = AirDay(noon.date())
        t = noon.timestamp()
        station.handle_event(InputEvent(SENSOR, data=FootfallReading("porte", t - 60, 3, 0, 3)))   # 11:59
        station.handle_event(InputEvent(SENSOR, data=FootfallReading("porte", t, 2, 1, 4)))        # 12:00
        station.handle_event(InputEvent(SENSOR, data=AirReading("co2", t, co2_ppm=850)))
        assert station.day.occupancy()[720] == 4 and station.day.co2[720] == 850
        # The log now holds 11:59 (its minute is over) but not 12:00 yet.
        ctx.recorder.record("footfall.minute", {"sensor": "porte", "minute": "2026-11-25T11:59", "in": 3, "out": 0})
        ctx.recorder.flush()
        station.update(0.016)
        deadline = time.monotonic() + 5
        while station._pending is not None and time.monotonic() < deadline:
            time.sleep(0.01)
            station.update(0.016)
        assert station.day.occupancy()[720] == 4             # 11:59 from the log, 12:00 from live, no double
        assert station.day.co2[720] == 850
    finally:
        close_context(ctx)


@pytest.mark.slow
def test_smoke_with_fake_sensors(tmp_path):
    from hardware.fake import FakeRig
    from hardware.service import SensorService, parse_sensor_config
    from kiosk.testing import canvas, close_context, make_context
    from stations.air import Station

    ctx = make_context("air", tmp_path=tmp_path)
    rig = FakeRig.start(warm_up_s=0.0, visitors_per_minute=60, time_scale=30, link_dir=tmp_path / "by-id")
    section = rig.config_section()
    svc = SensorService(parse_sensor_config(section), record=ctx.recorder.record, tz=ctx.kiosk.tz,
                        db_path=tmp_path / "events.sqlite3")
    ctx.sensors = svc
    svc.start()
    try:
        station = Station(ctx)
        station.reset()
        station.enter()
        surface = canvas(ctx)
        for frame in range(120):
            for reading in svc.drain():
                station.handle_event(InputEvent(SENSOR, data=reading))
            if frame == 60:
                assert station.handle_event(InputEvent(DOWN, pos=station.view.plot_rect.center))
                assert station.cursor_minute is not None
                station.handle_event(InputEvent(UP, pos=station.view.plot_rect.center))
            station.update(1 / 60)
            station.draw(surface)
            time.sleep(0.01)
        assert station.home_card() is not None
        station.home_card()(surface, pygame.Rect(0, 0, 620, 140))
        assert station.snapshot is not None and station.snapshot.occupancy is not None
        station.reset()
        assert station.cursor_minute is None
        station.exit()
    finally:
        svc.stop()
        rig.stop()
        ctx.recorder.flush()
        rows = ctx.reader.query(lambda conn: conn.execute("SELECT kind, payload FROM events").fetchall())
        close_context(ctx)
    # Every event the sensors wrote fits the shared catalogue (the hub validates uploads against it).
    from eventlog.kinds import validate_payload
    import json

    kinds = {kind for kind, _ in rows}
    assert {"sensor.status", "footfall.minute"} <= kinds
    assert all(validate_payload(kind, json.loads(payload)) is None for kind, payload in rows)


def test_sentences_start_with_a_capital_and_keep_co2_upper_case():
    from stations.air.view import upper_first

    assert upper_first("pas de capteur de CO2") == "Pas de capteur de CO2"
    assert upper_first("no CO2 sensor") == "No CO2 sensor" and upper_first("") == ""


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_header_keeps_clear_of_the_language_switch(tmp_path, orientation, lang):
    """...where the chrome is (low on a portrait screen, within reach), and nothing of the station under
    the chrome's row: the chart, touched to read an hour, under it within reach."""
    import dataclasses

    from kiosk.access.reach import Reach
    from kiosk.chrome import chrome_row, home_button_rect, language_button_rect
    from kiosk.testing import canvas, close_context, default_config, make_context
    from stations.air import Station

    kiosk = dataclasses.replace(default_config(data_dir=tmp_path), orientation=orientation)
    ctx = make_context("air", tmp_path=tmp_path, kiosk=kiosk, lang=lang)
    try:
        station = Station(ctx)
        station.view.draw(canvas(ctx))
        reach = Reach.of(kiosk)
        buttons = [home_button_rect(ctx.canvas_size, reach).inflate(16, 16),
                   language_button_rect(ctx.canvas_size, reach).inflate(16, 16)]
        assert len(station.view.header_rects) == 2
        assert all(r.collidelist(buttons) == -1 for r in station.view.header_rects)
        assert station.view.header_rects[-1].bottom < station.view.now_rect.top
        view, row = station.view, chrome_row(ctx.canvas_size, reach)
        assert row.collidelist([view.now_rect, view.chart_rect, view.text_rect]) == -1
        assert pygame.Rect((0, 0), ctx.canvas_size).contains(view.text_rect)
        top, bottom = reach.band()
        if orientation == "portrait":
            assert top <= view.chart_rect.top and view.chart_rect.bottom <= bottom
    finally:
        close_context(ctx)
