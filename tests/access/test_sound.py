"""Sounds synthesised at start-up; the venue's volume, quiet hours and the mediator's mute."""
from __future__ import annotations

from datetime import datetime, time

import numpy as np
import pygame
import pytest

from kiosk.access.settings import SoundSettings, in_quiet_hours
from kiosk.access.sound import SoundBoard, synthesise

def test_every_sound_is_short_bounded_and_not_silent():
    sounds = synthesise(44100)
    assert {"tap", "success", "tick", "warning", "brake", "wave", "door0", "door3"} <= set(sounds)
    for name, s in sounds.items():
        assert 0.03 < len(s) / 44100 < 1.0, name
        assert np.abs(s).max() <= 1.0 and np.sqrt(np.mean(s ** 2)) > 0.01, name
    brake = sounds["brake"]
    half = len(brake) // 2
    # the brake falls in pitch: fewer zero crossings in its second half
    crossings = lambda x: np.count_nonzero(np.diff(np.sign(x)))
    assert crossings(brake[half:]) < crossings(brake[:half])

def test_quiet_hours_even_across_midnight():
    s = SoundSettings(quiet_hours=((time(12), time(14)), (time(22), time(7))))
    assert in_quiet_hours(s, time(12, 30)) and in_quiet_hours(s, time(23)) and in_quiet_hours(s, time(6, 59))
    assert not in_quiet_hours(s, time(14)) and not in_quiet_hours(s, time(10))

def test_levels_venue_quiet_muted():
    pygame.init()
    clock = [datetime(2027, 3, 2, 10, 0)]
    board = SoundBoard(SoundSettings(volume=0.5, quiet_hours=((time(12), time(14)),), quiet_volume=0.1),
                       lambda: clock[0])
    assert board.level() == pytest.approx(0.5)
    clock[0] = datetime(2027, 3, 2, 12, 30)
    assert board.level() == pytest.approx(0.1)
    board.muted = True
    assert board.level() == 0
    board.play("tap")               # still counted (the visitor's feedback), never heard
    assert board.played[-1] == "tap"

def test_no_sound_at_all_when_the_venue_turns_it_off():
    board = SoundBoard(SoundSettings(enabled=False), datetime.now)
    assert not board.ready and board.level() == 0


def test_the_mediator_menu_offers_the_mute_from_the_venues_setting_before_and_after_the_mixer_opens(tmp_path):
    """Scripts (tools/group_tour.py) write the mediator's taps from this layout before the kiosk starts:
    « Groupes scolaires » must not move when the mixer opens."""
    import dataclasses

    from kiosk.app import App
    from kiosk.config import load_config
    from kiosk.screens.mediator import MediatorMenu

    config = dataclasses.replace(load_config(None), data_dir=tmp_path / "data")
    app = App(config, headless=True)
    pygame.init()
    menu = MediatorMenu(app.ctx)
    menu._layout()
    before = list(menu.sources)
    app.start()
    try:
        menu._layout()
        # the stations' own pages join once they are built; everything above them stays in place
        kept = before.index("Groupes scolaires") + 1
        assert "Couper le son" in before[:kept] and menu.sources[:kept] == before[:kept]
        menu.buttons[menu.sources.index("Couper le son")].on_press()
        assert app.access.sound.muted and app.access.sound.level() == 0.0
        assert "Couper le son" not in menu.sources and menu.sources.index("Groupes scolaires") == kept - 1
    finally:
        app.shutdown(record_stop=False)
