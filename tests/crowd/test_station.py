"""Smoke test of the crowd station with a real context: enter, 120 frames with touches, reset, exit."""
from __future__ import annotations

import json
import time

import pygame
import pytest

from kiosk.input import DOWN, MOVE, UP, InputEvent
from kiosk.testing import canvas, close_context, make_context
from stations.crowd import Station


def settled(st, limit_s: float = 30.0):
    """Frames until the room's navigation field describes the room and the station has judged it.
    Waits by the wall clock (fields are computed off the frame loop, at the machine's pace); a
    visitor waits a fraction of a second."""
    deadline = time.monotonic() + limit_s

    def current(m):
        return m.ready and not m.navigation_pending and m.navigation.version == m.geometry.version

    while time.monotonic() < deadline:
        st.update(1 / 60)
        if current(st.model):
            st.update(1 / 60)          # the station looks at the field it got
            if current(st.model):
                return st
        time.sleep(0.005)
    raise AssertionError("the navigation field never came back")


@pytest.fixture
def station(tmp_path):
    ctx = make_context("crowd", tmp_path=tmp_path, station_cls=Station)
    st = Station(ctx)
    st.reset()
    st.enter()
    settled(st)
    yield st
    st.exit()
    st.model.close()
    close_context(ctx)


def touch(st, kind, pos, pointer=0):
    return st.handle_event(InputEvent(kind, pos, pointer))


def room_px(st, x, y):
    return st.view.transform.point((x, y))


def attempts(st):
    st.ctx.recorder.flush()
    rows = st.ctx.reader.query(lambda c: c.execute(
        "SELECT payload FROM events WHERE kind = 'crowd.attempt'").fetchall())
    return [json.loads(r[0]) for r in rows]


def test_smoke_frames_touches_reset(station):
    st = station
    surface = canvas(st.ctx)
    for frame in range(120):
        if frame == 10:   # tap in front of the door: a pillar
            touch(st, DOWN, room_px(st, 12.0, 7.3)); touch(st, UP, room_px(st, 12.0, 7.3))
        if frame == 20:   # two fingers at once: a wall drawn while the slider moves
            touch(st, DOWN, room_px(st, 4, 4), 1)
            touch(st, DOWN, st.hurry.track.midleft, 2)
        if frame == 25:
            touch(st, MOVE, room_px(st, 6, 4), 1)
            touch(st, MOVE, st.hurry.track.center, 2)
        if frame == 30:
            touch(st, UP, room_px(st, 6, 4), 1)
            touch(st, UP, st.hurry.track.center, 2)
        st.update(1 / 60)
        st.draw(surface)
    geo = st.model.geometry
    assert sum(p.by_visitor for p in geo.pillars) == 1
    assert len(geo.visitor_walls) == 1
    assert st.model.desired_speed == pytest.approx(3.0, abs=0.1)
    assert st.model.wall_crossings == 0
    st.reset()
    assert not any(p.by_visitor for p in st.model.geometry.pillars)
    assert st.model.geometry.visitor_walls == []
    assert st.model.time == 0.0
    got = attempts(st)
    assert got and got[-1]["scenario"] == "evacuation" and got[-1]["evacuation_time_s"] is None
    assert [c["action"] for c in got[-1]["changes"]][:2] == ["add_pillar", "add_wall"]


def test_tap_exit_closes_and_reopens_it(station):
    st = station
    settled(st).load("four-exits")
    settled(st)
    door = st.model.geometry.exits[0]
    px = room_px(st, *door.midpoint)
    touch(st, DOWN, px); touch(st, UP, px)
    assert not door.is_open
    touch(st, DOWN, px); touch(st, UP, px)
    assert door.is_open


def test_every_scenario_draws(station, tmp_path):
    st = station
    surface = canvas(st.ctx)
    for sid in st.scenario_ids:
        st.load(sid)
        for _ in range(3):
            st.update(1 / 60)
        st.draw(surface)
        assert st.model.count > 0


def test_challenge_source(station):
    st = station
    st.start_preset("evacuation", {"desired_speed": 1.34, "pillars": [[13.8, 7.2]]})
    assert st.read_metric("pillars") == 0.0          # the preset's pillar is part of the room
    assert len(st.model.geometry.pillars) == 1
    assert st.read_metric("agents_remaining") == 200
    assert st.read_metric("evacuation_time_s") is None
    assert not st.attempt_finished()
    st.start_preset("bottleneck", {"width": 1.6, "hurry": 0.1})
    assert st.scenario.parameters["width"] == 1.6
    assert st.read_metric("hurry") == pytest.approx(0.1)
    assert st.read_metric("nonsense") is None


def test_every_visitor_string_has_an_english_translation():
    import re
    import tomllib
    from pathlib import Path

    from kiosk.i18n import parse_po

    root = Path(__file__).resolve().parents[2]
    catalog = parse_po((root / "media/locale/en/LC_MESSAGES/crowd.po").read_text(encoding="utf-8"))
    source = (root / "stations/crowd/drawing.py").read_text(encoding="utf-8")
    wanted = set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', source))
    from stations.crowd import drawing, editing, station
    wanted |= {drawing.HELP, drawing.HELP_CORRIDOR, drawing.HELP_PLATFORM, drawing.HELP_DENSE,
               *drawing.TITLES.values()}
    wanted |= {*editing.LOCKS_IN.values(), station.STALLED}
    for toml in (root / "config/content/crowd").glob("*.toml"):
        data = tomllib.loads(toml.read_text(encoding="utf-8"))
        wanted |= {data["title"], data["caption"]}
        wanted |= {lab["text"] for lab in data.get("station", {}).get("labels", [])}
        wanted |= set(data.get("station", {}).get("toggle_labels", []))
    missing = sorted(w for w in wanted if w not in catalog)
    assert not missing, missing


def test_the_trains_seats_are_not_a_door_to_close(station):
    st = station
    st.load("platform")
    settled(st)
    seats = st.model.geometry.exit_named("places assises")
    px = room_px(st, *seats.midpoint)
    touch(st, DOWN, px); touch(st, UP, px)
    assert seats.is_open


def test_panic_never_squeezes_bodies_on_screen_in_any_room(station):
    # The slider reaches panic everywhere; the station keeps overlaps under 0.1 m in every room
    # (the plain model reaches 0.27 m in this bottleneck at 5 m/s).
    for scenario_id in station.scenario_ids:
        station.load(scenario_id, record=False, hurry=1.0)
        assert station.model.max_body_overlap is not None and station.model.max_substeps >= 4, scenario_id
    station.load("bottleneck", record=False, hurry=1.0)
    model = settled(station).model
    while model.time < 20 and model.count:
        model.step()
    assert max(model.max_overlap, model.max_wall_overlap) < 0.1 and model.wall_crossings == 0


def drag(st, a, b, pointer=0):
    touch(st, DOWN, room_px(st, *a), pointer)
    touch(st, MOVE, room_px(st, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2), pointer)
    touch(st, MOVE, room_px(st, *b), pointer)
    touch(st, UP, room_px(st, *b), pointer)


def tap(st, p, pointer=0):
    touch(st, DOWN, room_px(st, *p), pointer)
    touch(st, UP, room_px(st, *p), pointer)


def changes(st):
    return [c["action"] for c in st.attempt.changes]


def test_a_wall_across_the_only_door_is_undone_and_the_crowd_still_leaves(station):
    st = station                                    # « Évacuation »: the audit's wall, 0.3 m before the door
    drag(st, (14.7, 6.2), (14.7, 8.8))
    assert len(st.model.geometry.visitor_walls) == 1    # it takes effect at once...
    settled(st)
    assert st.model.geometry.visitor_walls == []        # ...and is gone once its field shows it locks people in
    assert st.caption is not None and st.caption.kind == "wall"
    assert changes(st) == ["add_wall", "undone"] and st.attempt.changes[-1]["people"] == 200
    assert st.model.navigation.reachable(st.model.group, st.model.pos).all()
    while st.model.time < 15:
        st.model.step()
    assert st.model.count < 200


def test_a_wall_that_locks_nobody_in_stays(station):
    st = station
    drag(st, (12.0, 5.0), (12.0, 7.0))
    settled(st)
    assert len(st.model.geometry.visitor_walls) == 1 and st.caption is None
    assert changes(st) == ["add_wall"]


def test_a_pillar_that_plugs_the_bottleneck_is_undone(station):
    st = station
    st.load("bottleneck", parameters={"width": 1.2})
    settled(st)
    tap(st, (4.0, 1.5))                             # in the middle of the 1.2 m corridor: 0.2 m each side
    assert sum(p.by_visitor for p in st.model.geometry.pillars) == 1
    settled(st)
    assert not any(p.by_visitor for p in st.model.geometry.pillars)
    assert st.caption.kind == "pillar" and changes(st) == ["add_pillar", "undone"]


def test_closing_the_last_reachable_door_is_undone(station):
    st = station
    st.load("four-exits")
    settled(st)
    drag(st, (1.0, 0.1), (1.0, 3.0))                # two walls cut the south-west door's corner off the room
    settled(st)
    drag(st, (0.1, 3.3), (1.1, 3.3))
    settled(st)
    assert len(st.model.geometry.visitor_walls) == 2   # nobody locked in: those inside still have that door
    for name in ("est-sud", "est-nord", "ouest-nord"):
        tap(st, st.model.geometry.exit_named(name).midpoint)
        settled(st)
    geo = st.model.geometry
    assert [e.name for e in geo.exits if not e.is_open] == ["est-sud", "est-nord"]
    assert st.caption.kind == "door" and len(geo.visitor_walls) == 2
    assert changes(st) == ["add_wall", "add_wall", "close_exit", "close_exit", "close_exit", "undone"]


def test_a_tap_before_the_rooms_first_field_is_not_lost(station):
    st = station
    st.load("evacuation")
    assert not st.model.ready                       # load() computes nothing on the frame loop
    tap(st, (7.0, 7.0))
    settled(st)
    assert [(round(p.center[0], 1), round(p.center[1], 1)) for p in st.model.geometry.pillars if p.by_visitor] == [(7.0, 7.0)]


def test_a_room_where_nobody_leaves_any_more_starts_again(station, monkeypatch):
    from stations.crowd import station as station_module

    st = station
    monkeypatch.setattr(station_module, "STALL_RESTART_S", 3.0)
    st.model.geometry.set_exit_open("porte", False)    # stuck for good, whatever the cause
    settled(st)
    already, frames = st.stalled_s, 0
    while st.caption is None and frames < 600:
        st.update(1 / 60)
        frames += 1
    assert st.caption is not None and st.caption.text == station_module.STALLED
    assert already + frames / 60 == pytest.approx(3.0, abs=0.02)
    assert st.model.time < 0.1 and st.model.count == 200
    got = attempts(st)
    assert got[-1]["changes"][-1]["action"] == "restart" and got[-1]["agents_remaining"] == 200


def test_the_finish_banner_fits_a_narrow_room_and_says_same_time_plainly(station):
    from stations.crowd import drawing
    station.attempt.finished_at = 161.0
    station.attempt_ghost = [(0.0, 200.0), (161.02, 0.0)]
    surface = pygame.Surface((1100, 700))
    surface.fill((255, 0, 255))
    room = pygame.Rect(150, 100, 800, 500)   # a room squeezed by a group's panel
    body = station.ctx.assets.font(36)
    drawing._finish_banner(station, surface, body, room)
    inside = pygame.Rect(room.x + 20, 0, room.width - 40, 700)
    outside = [surface.get_at((x, y))[:3] for x in range(0, 1100, 3) for y in range(0, 700, 3) if not inside.collidepoint(x, y)]
    assert all(c == (255, 0, 255) for c in outside)
    texts = []
    real_draw = drawing.draw_text
    drawing.draw_text = lambda s, f, text, *a, **k: texts.append(text) or real_draw(s, f, text, *a, **k)
    try:
        drawing._finish_banner(station, surface, body, room)
    finally:
        drawing.draw_text = real_draw
    assert texts[1] in ("Le même temps que la fois d’avant", "The same time as last time")


def test_a_finished_attempt_is_compared_with_the_one_before_not_with_itself(station):
    from stations.crowd import drawing
    station.ghosts[station.scenario.id] = [(0.0, 200.0), (150.0, 0.0)]
    station._new_attempt()
    station.attempt.note(1.0, "hurry", value=0.5)
    station.attempt.finished_at = 140.0
    station.attempt.curve[:] = [(0.0, 200.0), (140.0, 0.0)]
    station._record_attempt()                       # what the station does the moment the room is empty
    assert station.ghosts[station.scenario.id][-1] == (140.0, 0.0)
    texts = []
    real_draw = drawing.draw_text
    drawing.draw_text = lambda s, f, text, *a, **k: texts.append(text) or real_draw(s, f, text, *a, **k)
    try:
        drawing._finish_banner(station, pygame.Surface((1920, 1080)), station.ctx.assets.font(36),
                               pygame.Rect(100, 100, 1200, 800))
    finally:
        drawing.draw_text = real_draw
    assert texts[1] in ("10,0 s plus vite que la fois d’avant", "10.0 s faster than last time")


def test_the_dense_corridor_shows_speed_falling_as_the_density_button_packs_it(station):
    """« Foule dense »: the button cycles the density; the frame's live reading (what the caption
    and the chart show) reads the density asked and a lower speed when it is higher."""
    readings = {}
    station.load("dense", record=False)
    for density in (1.0, 3.0):
        station.load("dense", record=False, parameters={"density": density})
        settled(station)
        for _ in range(12 * 60):                      # 12 s of frames
            station.update(1 / 60)
        readings[density] = station.reading
        assert station.charts_speed and station._chart_value() == pytest.approx(station.reading[1])
    (d1, v1), (d3, v3) = readings[1.0], readings[3.0]
    assert abs(d1 - 1.0) < 0.35 and abs(d3 - 3.0) < 0.6, readings
    assert v3 < 0.7 * v1, readings
    surface = canvas(station.ctx)
    station.draw(surface)
    station._extra()                                  # 3 -> 4 persons per m²
    assert station.parameters["density"] == 4.0 and station.model.count == 320


def test_keep_right_is_a_switch_of_the_corridor(station):
    station.load("corridor", record=False)
    assert station.parameters["keep_right"] == 1.0 and station.model.law.side_preference == 200.0
    station._extra()
    assert station.parameters["keep_right"] == 0.0 and station.model.law.side_preference == 0.0
    # no rule: people still step aside for whoever comes towards them, on no preferred side
    assert station.model.evasion is not None and station.model.evasion.reach == 4.0
    assert station.model.walking == "anticipating"
    surface = canvas(station.ctx)
    settled(station)
    station.update(1 / 60)
    station.draw(surface)
