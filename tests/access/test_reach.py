"""Reach from a wheelchair: every visitor control between 0.90 m and 1.30 m above the floor, computed from
each venue file's [display] (screen size, mounting height) on every visitor screen."""
from __future__ import annotations

import pytest

from kiosk.access.controls import AREA
from tests.access.driver import VENUES

# Screens a visitor reaches, each with how to get there from the station's fresh state.
STEPS = {
    "crowd": [("room", lambda st: None)],
    "traffic": [("ring", lambda st: None)],
    "survey": [("question", lambda st: None), ("results", lambda st: st.choose(st.flow.current.choices[0].id)),
               ("thanks", lambda st: (st.reset(), [st.skip() for _ in st.questions]))],
    "wall": [("wall", lambda st: None), ("pick", lambda st: st.start_answer()),
             ("compose", lambda st: st.pick(st.questions[0].id)),
             ("draw", lambda st: st.set_mode("draw")),
             ("sent", lambda st: (st.set_mode("write"), st.keys.insert("Plus de bus"), st.send()))],
    "agenda": [("here", lambda st: None), ("tour", lambda st: st.set_tab("tour"))],
    "air": [("air", lambda st: None)],
}


def controls_out_of_reach(v) -> list[str]:
    reach = v.app.access.reach
    out = []
    for c in v.controls:
        if c.kind == AREA:
            continue           # a scene (the crowd's room, the road): moved up; its actions have keys and buttons
        if not reach.within(c.rect):
            low, high = reach.control_heights(c.rect)
            out.append(f"{c.name!r} at {low:.2f}-{high:.2f} m")
    return out


def screens(v, check=controls_out_of_reach):
    """(name, check's problems) for the attract loop, the home menu and every step of every station."""
    yield "attract", check(v)
    v.tap((v.canvas.get_width() // 2, v.canvas.get_height() // 2))
    yield "home", check(v)
    v.app.chrome.menu.toggle()          # the language menu's list, open
    v.frames(2)
    assert len(v.controls) == len(v.app.config.languages)
    yield "home/languages", check(v)
    v.app.chrome.menu.close()
    for sid in v.app.config.stations:
        v.app.nav.open_station(sid)
        v.frames(3)
        for step, go in STEPS.get(sid, [("", lambda st: None)]):
            go(v.app.nav.screen)
            v.frames(20)
            yield f"{sid}/{step}", check(v)


@pytest.mark.parametrize("venue", sorted(VENUES))
def test_every_visitor_control_is_within_reach(visitor, venue):
    v = visitor(venue)
    band = v.app.access.reach.band()
    problems = {name: p for name, p in screens(v) if p}
    assert not problems, f"band {band}: " + "; ".join(f"{k}: {', '.join(p)}" for k, p in problems.items())


def test_the_portrait_totem_band_is_where_the_issue_says():
    from kiosk.access.reach import Reach
    from kiosk.config import load_config
    reach = Reach.of(load_config(VENUES["portrait"]))
    assert reach.panel_height_m == pytest.approx(1.218, abs=0.002)      # 55", 16:9, long side up
    assert reach.height_m(1920) == pytest.approx(0.80) and reach.height_m(16) == pytest.approx(2.01, abs=0.01)
    top, bottom = reach.band()
    assert reach.height_m(top) <= 1.30 and reach.height_m(bottom) >= 0.90 and bottom - top > 600
