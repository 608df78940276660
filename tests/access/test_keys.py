"""Keys and a 3-button switch reach every control of every visitor screen, with a visible focus."""
from __future__ import annotations

import pygame
import pytest

from kiosk.access.focus import RING_LIGHT

STATIONS = ["crowd", "traffic", "survey", "wall", "agenda", "air"]


def ring_visible(v) -> bool:
    """The focus ring's yellow is drawn just outside the focused control's rectangle."""
    r = v.focused().rect.inflate(16, 16)
    probes = [(r.centerx, r.top + 2), (r.centerx, r.bottom - 3), (r.left + 2, r.centery), (r.right - 3, r.centery)]
    w, h = v.canvas.get_size()
    return any(0 <= x < w and 0 <= y < h and tuple(v.canvas.get_at((x, y)))[:3] == RING_LIGHT for x, y in probes)


def tab_through(v, key="tab") -> list:
    """Every control once, in order, the ring seen on each."""
    count = len(v.controls)
    seen = []
    for _ in range(count):
        v.key(key)
        assert v.focused() is not None and ring_visible(v), f"no visible focus on {v.focused()}"
        seen.append(v.focused().key)
    return seen


def test_enter_starts_a_visit_and_tab_reaches_every_home_tile(visitor):
    v = visitor()
    assert v.screen == "attract"
    v.key("return")
    assert v.screen == "home"
    names = [c.name for c in v.controls]
    for title in ("Foules", "Trafic", "Mes mobilités", "Mur des questions"):
        assert any(title in n for n in names), names
    seen = tab_through(v)
    assert len(set(seen)) == len(v.controls) >= 8   # five tiles (no air sensor: no air), less motion, listen, language


@pytest.mark.parametrize("sid", STATIONS)
def test_every_control_of_a_station_is_reached_with_tab_and_pressed_with_enter(visitor, sid):
    v = visitor(fake_sensors=sid == "air")     # the air station is offered where an air sensor runs
    v.key("return")
    focus_on(v, v.app.stations.station_class(sid).title)
    v.key("return", frames=5)
    assert v.screen == sid
    seen = tab_through(v)
    assert len(set(seen)) == len(v.controls) >= 3       # home, listen, language and the station's own
    station = v.app.stations.get(sid)
    buttons = list(getattr(station, "buttons", [])) + [b for b in getattr(station, "scenario_buttons", [])
                                                        if not isinstance(b, tuple)]
    reached = {tuple(c.rect) for c in v.controls}
    assert all(tuple(b.rect) in reached for b in buttons if b.enabled and b.rect.width > 1)
    v.key("escape", frames=4)
    assert v.screen in ("home", sid)        # a station's own step back first (the survey), else home


def test_a_switch_reaches_and_presses_with_its_three_keys(visitor):
    v = visitor()
    v.key("2")                               # "select" on the attract loop starts a visit
    assert v.screen == "home"
    v.key("1")                               # "next": the first tile
    assert v.focused().name == "Foules"
    v.key("2", frames=5)
    assert v.screen == "crowd"
    v.key("3", frames=3)                     # "back"
    assert v.screen == "home"


def _crowd_opened_by_keys(v):
    """From the attract loop to « Foules » with Enter, Tab, Enter: the crowd station."""
    v.key("return")
    v.key("tab")
    v.key("return", frames=5)
    return v.app.stations.get("crowd")


def test_the_crowd_slider_and_room_answer_arrows(visitor):
    v = visitor()
    crowd = _crowd_opened_by_keys(v)
    while v.focused() is None or v.focused().kind != "slider":
        v.key("tab")
    before = crowd.hurry.value
    v.key("right")
    v.key("right")
    assert crowd.hurry.value == pytest.approx(min(1.0, before + 0.2), abs=0.01)
    assert crowd.model.desired_speed == pytest.approx(1.0 + 4.0 * crowd.hurry.value)
    while v.focused() is None or v.focused().kind != "area":
        v.key("tab")
    pillars = len(crowd.model.geometry.pillars)
    v.key("left")
    v.key("return", frames=4)                 # a pillar where the cursor is
    assert len(crowd.model.geometry.pillars) == pillars + 1


def test_the_crowd_wall_needs_no_drag(visitor):
    v = visitor()
    crowd = _crowd_opened_by_keys(v)
    room = crowd.view.transform.rect
    v.tap(crowd.wall_button.rect.center)
    assert crowd.wall_tool.armed
    v.tap((room.centerx - 60, room.centery))
    v.tap((room.centerx + 60, room.centery), frames=6)
    assert len(crowd.model.geometry.visitor_walls) == 1 and not crowd.wall_tool.armed


def test_a_touch_visitor_never_sees_a_ring(visitor):
    v = visitor()
    v.tap((960, 540))
    assert v.screen == "home" and v.focused() is None


def test_what_the_chrome_draws_for_access_redraws_a_still_screen(visitor):
    """The frame loop draws a still screen only when its picture changed (kiosk/frames.py): the focus
    ring moving, the countdown's seconds and « Moins d’animations » are part of the chrome's picture."""
    v = visitor(idle_timeout_s=20.0, idle_warning_s=10.0)
    v.key("return")                      # out of the attract loop
    v.app._changed()
    still = v.app.chrome.picture()
    assert v.app._changed() is False
    v.key("tab")
    moved = v.app.chrome.picture()
    assert moved != still and v.app._changed() is True and v.app._changed() is False   # taken once
    v.key("tab")
    assert v.app.chrome.picture() != moved
    v.app.access.visitor_reduced_motion = True
    v.frames(1)
    assert v.app._changed() is True
    v.app.nav.idle.poke()
    v.seconds(20.5)                      # the countdown shows after the timeout, for idle_warning_s
    assert v.app.chrome.warning
    first = v.app.chrome.picture()
    v.seconds(1.0)
    assert v.app.chrome.picture() != first                    # each second of the countdown is drawn


def focus_on(v, name: str, limit: int = 40) -> None:
    """Tab until the control named `name` has the focus (at most `limit` presses)."""
    for _ in range(limit):
        if v.focused() is not None and v.focused().name == name:
            return
        v.key("tab")
    raise AssertionError(f"{name!r} not reached by Tab; controls: {[c.name for c in v.controls]}")


def test_the_language_menu_by_keys(visitor):
    v = visitor()
    v.key("return")
    focus_on(v, "Langue")
    v.key("return")                       # opens the list: only its rows are reachable
    assert v.app.chrome.menu.is_open and len(v.controls) == len(v.app.config.languages)
    focus_on(v, "English")
    assert ring_visible(v)
    v.key("return")
    assert v.app.ctx.i18n.lang == "en" and not v.app.chrome.menu.is_open
    focus_on(v, "Langue")                 # a control's name is its French source, said translated
    v.key("return")
    v.key("escape")                       # Escape closes the list and stays on the page
    assert not v.app.chrome.menu.is_open and v.screen == "home" and v.app.ctx.i18n.lang == "en"
