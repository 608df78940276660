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
