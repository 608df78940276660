"""Reduced motion: decorative motion stops (the venue's setting or a visitor's wish); simulations run on."""
from __future__ import annotations


import numpy as np

from kiosk.access.settings import AccessSettings


def test_the_venue_setting_stills_the_attract_loop_but_not_the_previews(visitor):
    v = visitor(access=AccessSettings(reduced_motion=True))
    attract = v.app.nav.screen
    dots = attract.dots.copy()
    v.frames(30)
    assert np.array_equal(dots, attract.dots)
    preview = v.app.stations.attract_preview("crowd")
    assert preview is not None     # the crowd's miniature keeps walking: a simulation, not decoration


def test_a_visitor_asks_for_less_motion_on_the_home_menu_and_the_next_visitor_gets_the_venues(visitor):
    v = visitor()
    v.tap((960, 540))
    assert v.screen == "home" and not v.app.access.reduced_motion
    v.tap(v.app.chrome.calm.rect.center)
    assert v.app.access.reduced_motion
    v.app.nav.open_station("crowd")
    v.frames(30)
    crowd = v.app.nav.screen
    t = crowd.model.time
    v.frames(30)
    assert crowd.model.time > t and crowd.view.still        # people walk on; the hint stops pulsing
    v.app.nav.end_visit("timeout")
    v.frames(2)
    assert not v.app.access.reduced_motion


def test_under_reduced_motion_the_wall_asks_for_no_frames_and_each_page_turn_redraws(visitor):
    from kiosk.frames import invalidated
    from stations.wall.demo import seed as seed_wall
    from stations.wall.view import SCROLL_PX_S, STILL_PAGE_S

    v = visitor(access=AccessSettings(reduced_motion=True))
    seed_wall(v.app.config.data_dir, v.app.config.kiosk_id)      # nine approved cards: more than a screen
    v.app.nav.open_station("wall")
    wall = v.app.stations.get("wall")
    for _ in range(600):                                           # the log's answer comes from a worker
        v.frames(1)
        if wall.approved:
            break
    v.frames(2)
    assert wall.view.mosaic.moving and wall.frame_rate() == 0
    invalidated(wall)
    turns, redraws, offset = [], [], wall.view.mosaic.offset
    for frame in range(round(2.5 * STILL_PAGE_S * 60)):
        before = wall.view.mosaic.offset
        v.frames(1)
        if wall.view.mosaic.offset != before:
            turns.append(frame)
        if invalidated(wall):
            redraws.append(frame)
        assert wall.frame_rate() == 0
    assert len(turns) == 2 and set(turns) <= set(redraws)          # two pages in 30 s, each one drawn
    assert abs(turns[1] - turns[0] - STILL_PAGE_S * 60) <= 1
    assert wall.view.mosaic.offset == offset + 2 * SCROLL_PX_S * STILL_PAGE_S
