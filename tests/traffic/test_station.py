"""The station in a real (headless) context: smoke run, taps recorded, challenge, group presets."""
import json

import numpy as np
import pytest

from kiosk.input import DOWN, UP, InputEvent
from kiosk.testing import canvas, close_context, make_context
from stations.traffic.station import TrafficStation


@pytest.fixture
def station(tmp_path):
    ctx = make_context("traffic", tmp_path=tmp_path, station_cls=TrafficStation)
    st = TrafficStation(ctx)
    st.reset()
    st.enter()
    yield st
    st.exit()
    close_context(ctx)


def _events(st, kind):
    st.ctx.recorder.flush()
    rows = st.ctx.reader.query(lambda c: c.execute("SELECT payload FROM events WHERE kind = ?", (kind,)).fetchall())
    return [json.loads(r[0]) for r in rows]


def _tap(st, pos):
    st.handle_event(InputEvent(DOWN, pos, 0))
    st.handle_event(InputEvent(UP, pos, 0))


def _fill_road(st, limit=100_000):
    frames = 0
    while st.preparing:
        st.update(1 / 60)
        frames += 1
        assert frames < limit
    return frames


def test_smoke_enter_frames_taps_reset_exit(station):
    surface = canvas(station.ctx)
    rng = np.random.default_rng(0)
    w, h = station.ctx.canvas_size
    for frame in range(120):
        if frame % 15 == 0:
            _tap(station, (rng.uniform(0, w), rng.uniform(0, h)))
        station.update(1 / 60)
        station.draw(surface)
    station.reset()
    assert station.scenario.id == "sugiyama" and station.model.t == 0.0
    station.update(1 / 60)
    station.draw(surface)


def test_tapping_a_car_brakes_it_and_is_recorded(station):
    m = station.model
    px, py, _ = station.road_view.to_screen(m.positions()[:1], m.lane[:1])
    vid = int(m.vid[0])
    _tap(station, (float(px[0]), float(py[0])))
    assert m.braking[m.vid == vid][0]
    for _ in range(240):                  # 4 s: braked to a stop, still held
        station.update(1 / 60)
    taps = _events(station, "traffic.tap")
    assert len(taps) == 1 and taps[0]["scenario"] == "sugiyama"
    assert station.model.v[station.model.vid == vid][0] == 0.0


def test_scenario_buttons_and_controls(station):
    for button in station.scenario_buttons:
        _tap(station, button.rect.center)
        station.update(1 / 60)
        station.draw(canvas(station.ctx))
        assert station.model.collisions == 0
    assert station.scenario.id == "nasch"
    _tap(station, station.scenario_buttons[list(station.scenarios).index("calm-car")].rect.center)
    assert station.scenario.id == "calm-car"
    _tap(station, station.controls["smart"].rect.center)
    assert station.model.smart.sum() == 1
    n = station.model.x.size
    _tap(station, station.controls["more"].rect.center)
    assert station.model.x.size > n
    _tap(station, station.controls["lapse"].rect.center)
    assert station.time_lapse == 3


def test_ramp_challenge_records_an_attempt(station):
    station.ctx.config = {**station.ctx.config, "challenge_s": 20.0}
    station.start_challenge()
    assert station.scenario.id == "onramp" and station.challenge is not None
    _fill_road(station)
    assert station.challenge.started and station.challenge.start_t == pytest.approx(90.0)
    _tap(station, station.road_view.light_pos)            # the visitor switches the light to red
    assert not station.model.ramp_light_green
    for _ in range(200):
        station.update(0.1)
    assert station.challenge is None and station.last_result["score_s"] > 0
    attempts = _events(station, "traffic.attempt")
    assert attempts and attempts[0]["scenario"] == "onramp" and attempts[0]["light_switches"] == 1


def test_group_preset_metrics(station):
    station.start_preset("calm-car", {"smart_car": True, "seconds": 30, "time_lapse": 10})
    assert station.model.smart.sum() == 1
    while not station.attempt_finished():
        station.update(0.1)
    for name in ("stopped_vehicles", "mean_speed_kmh", "speed_std_kmh", "total_travel_time_s"):
        assert station.read_metric(name) is not None
    assert _events(station, "traffic.attempt")[0]["scenario"] == "calm-car"
    with pytest.raises(ValueError):
        station.start_preset("nowhere")


def test_open_road_fills_a_little_each_frame_into_the_same_road(station):
    import stations.traffic.station as module
    station.fill_budget_s = 0.0                               # one 0.2 s sub-step per frame
    station.load_scenario("roadworks")
    assert station.preparing and station.model.t == 0.0
    before = station.model.inflow_scale
    _tap(station, station.controls["more"].rect.center)       # controls wait for the road
    assert station.model.inflow_scale == before
    surface = canvas(station.ctx)
    station.draw(surface)
    frames = _fill_road(station)
    assert frames == 450 and station.model.t == pytest.approx(90.0) and station.fill_fraction() == 1.0
    reference = station.scenario.build(seed=station.seed, detector_interval_s=module.DETECTOR_INTERVAL_S)
    reference.step(90.0)                                      # what the old one-frame warm-up did
    np.testing.assert_array_equal(station.model.x, reference.x)
    np.testing.assert_array_equal(station.model.v, reference.v)
    _tap(station, station.controls["more"].rect.center)
    assert station.model.inflow_scale == pytest.approx(before + 0.1)


def test_ramp_light_metering_and_demand_buttons(station):
    station.load_scenario("onramp")
    _fill_road(station)
    m = station.model
    _tap(station, station.controls["light"].rect.center)          # off -> automatic metering
    assert station.light_mode == "auto" and m.ramp_metering
    seen = set()
    for _ in range(120):
        station.update(0.1)
        seen.add(m.ramp_light_green)
    assert seen == {True, False}                                    # it cycles green / red
    _tap(station, station.controls["light"].rect.center)
    assert not m.ramp_metering and m.ramp_light_green
    _tap(station, station.controls["more"].rect.center)
    assert m.inflow_scale == pytest.approx(1.1)


def test_calm_drivers_preset_switches_parameters(station):
    t_nervous = float(station.model.T.mean())
    _tap(station, station.controls["drivers"].rect.center)
    assert station.calm_drivers and station.model.T.mean() > t_nervous
    station.reset()
    assert not station.calm_drivers and station.model.T.mean() == pytest.approx(t_nervous)


def test_english_read_out(station):
    station.ctx.i18n.set_language("en")
    station.summary_until = 0
    from stations.traffic.readout import readout_lines
    head, figures = readout_lines(station, station.ctx._)
    assert "cars" in figures and "voitures" not in figures


def test_leaving_a_scenario_records_what_the_visitor_did(station):
    from eventlog.kinds import validate_payload
    m = station.model
    before = round(m.density_veh_km_lane(), 1)
    _tap(station, station.controls["fewer"].rect.center)
    _tap(station, station.controls["fewer"].rect.center)
    _tap(station, station.controls["lapse"].rect.center)
    m = station.model
    px, py, _ = station.road_view.to_screen(m.positions()[:1], m.lane[:1])
    _tap(station, (float(px[0]), float(py[0])))
    for _ in range(120):
        station.update(1 / 60)
    assert _events(station, "traffic.attempt") == []            # still there: nothing recorded yet
    _tap(station, station.scenario_buttons[1].rect.center)      # « Périphérique »
    (attempt,) = _events(station, "traffic.attempt")
    assert validate_payload("traffic.attempt", attempt) is None
    assert attempt["scenario"] == "sugiyama" and attempt["left_by"] == "scenario" and attempt["taps"] == 1
    density = attempt["changes"]["density_veh_km_lane"]
    assert density["from"] == before and density["to"] < before and density["presses"] == 2
    assert attempt["changes"]["time_lapse"] == {"presses": 1, "to": 3}
    assert attempt["seconds"] == pytest.approx(2.0, abs=0.05)
    assert attempt["vehicles"] == m.x.size and attempt["mean_speed_kmh"] >= 0 and "stopped_vehicles" in attempt


def test_no_attempt_without_interaction_and_one_on_exit(station):
    _tap(station, station.scenario_buttons[4].rect.center)      # « La voiture calme », nothing touched
    assert _events(station, "traffic.attempt") == []
    _tap(station, station.controls["smart"].rect.center)
    _tap(station, station.controls["drivers"].rect.center)
    station.update(1 / 60)
    station.exit()
    station.reset()                                             # the next visitor: recorded once only
    (attempt,) = _events(station, "traffic.attempt")
    assert attempt["scenario"] == "calm-car" and attempt["left_by"] == "exit"
    assert attempt["changes"]["calm_car"]["to"] is True and attempt["changes"]["drivers"]["to"] == "calm"


def test_an_abandoned_challenge_is_recorded_when_leaving(station):
    station.start_challenge()
    _fill_road(station)
    _tap(station, station.road_view.light_pos)
    for _ in range(30):
        station.update(0.1)
    _tap(station, station.scenario_buttons[0].rect.center)
    (attempt,) = _events(station, "traffic.attempt")
    assert attempt["scenario"] == "onramp" and attempt["challenge"]["finished"] is False
    assert attempt["challenge"]["light_switches"] == 1 and attempt["challenge"]["played_s"] > 0


def test_the_simplest_model_on_the_station(station):
    surface = canvas(station.ctx)
    _tap(station, station.scenario_buttons[list(station.scenarios).index("nasch")].rect.center)
    m = station.model
    assert station.cellular and station.shown_controls == ["fewer", "more", "lapse", "random"]
    assert station.road_view.cell_m == 7.5 and station.rules_rect.right <= station.road_view.rect.left
    station.draw(surface)                                         # asks the worker for the automaton's curve
    (job,) = station._curve_jobs.values()
    job.result(timeout=120)
    station.draw(surface)
    density, flow = station._curve_cache[m.params]
    assert flow.max() > 0 and density.max() == pytest.approx(1000 / 7.5)
    px, py, _ = station.road_view.to_screen(m.positions()[:1], m.lane[:1])
    _tap(station, (float(px[0]), float(py[0])))
    assert m.ca.hold[0] == 3
    assert _events(station, "traffic.tap")[0]["model"] == "nasch"
    _tap(station, station.controls["random"].rect.center)
    assert m.p == 0.0
    for _ in range(300):                                          # 5 s: five automaton steps
        station.update(1 / 60)
        station.draw(surface)
    assert m.t == 5.0 and len(m.field.times) == 5 and m.collisions == 0
    _tap(station, station.controls["random"].rect.center)
    assert m.p == 0.25
    _tap(station, station.scenario_buttons[0].rect.center)
    (attempt,) = _events(station, "traffic.attempt")
    assert attempt["scenario"] == "nasch" and attempt["taps"] == 1
    assert attempt["changes"]["dawdling"] == {"presses": 2, "to": 0.25}


def test_the_challenge_reference_pauses_for_the_frame_loop_without_changing_its_result():
    from stations.traffic.challenge import reference_travel_time
    from stations.traffic.scenario import load_all
    onramp = next(s for s in load_all() if s.id == "onramp")
    model = onramp.build(seed=7, measure=False)
    model.step(90.0)                                      # warm-up and play in one long step each
    before = model.total_travel_time_s
    model.step(20.0)
    assert reference_travel_time(onramp, 7, 20.0) == model.total_travel_time_s - before
