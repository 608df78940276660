"""The attract loop's live miniatures: only the slide on show moves, a broken one is isolated."""
from __future__ import annotations

import dataclasses

import pygame

from kiosk.app import App
from kiosk.screens.attract import ATTRACT_RATE, PREVIEW_SECONDS
from tests.runtime.fakes import CalmStation


class CountingPreview:
    def __init__(self, fail: bool = False):
        self.updates = self.draws = 0
        self.fail = fail

    def update(self, dt):
        self.updates += 1
        if self.fail and self.updates > 3:
            raise RuntimeError("simulated bug in a preview")

    def draw(self, surface, rect):
        self.draws += 1
        pygame.draw.rect(surface, (255, 0, 0), rect)


class FirstStation(CalmStation):
    id = "calm"
    made = 0

    def attract_preview(self):
        FirstStation.made += 1
        self.preview = CountingPreview()
        return self.preview


class SecondStation(CalmStation):
    id = "broken"
    title = "Deuxième"

    def attract_preview(self):
        self.preview = CountingPreview(fail=True)
        return self.preview


def run(config, seconds, classes):
    app = App(dataclasses.replace(config, idle_timeout_s=600.0), headless=True, classes=classes)
    app.headless_fps_cap = 0
    app.run(frames=round(seconds * 60), script=[])
    return app


def test_only_the_slide_on_show_moves_and_its_preview_is_made_once(config):
    FirstStation.made = 0
    app = run(config, PREVIEW_SECONDS * 0.5, {"calm": FirstStation, "broken": CalmStation})
    first = app.stations["calm"].preview
    assert app.nav.screen_name == "attract"
    # stepped every frame, drawn at the attract loop's own rate
    assert first.updates >= 0.5 * PREVIEW_SECONDS * 60 - 2
    assert abs(first.draws - first.updates * ATTRACT_RATE / 60) <= 2
    assert FirstStation.made == 1


def test_the_next_slide_moves_while_the_first_waits(config):
    app = run(config, PREVIEW_SECONDS * 1.5, {"calm": FirstStation, "broken": SecondStation})
    first, second = app.stations["calm"].preview, app.stations["broken"].preview
    assert abs(first.updates - PREVIEW_SECONDS * 60) <= 2        # frozen once its slide ended
    assert second.updates > 3                                   # then it raised


def test_a_preview_that_raises_pauses_its_station_not_the_kiosk(config):
    from tests.runtime.test_app import events
    app = run(config, PREVIEW_SECONDS * 2.5, {"calm": FirstStation, "broken": SecondStation})
    errors = [p for k, _, p, _ in events(config) if k == "error"]
    assert [e["where"] for e in errors] == ["broken.attract_preview.update"]
    assert app.stations.is_disabled("broken") and app.nav.screen_name == "attract"
    assert app.stations.attract_preview("broken") is None                # its slide shows the icon alone
    assert app.stations["calm"].preview.updates > PREVIEW_SECONDS * 60   # the first slide came round again


def test_a_long_quote_is_wrapped_and_cut_at_a_word_within_the_screen():
    import pygame

    from kiosk.screens.attract import quote_lines
    pygame.font.init()
    font = pygame.font.Font(None, 28)
    words = "Le matin je prends le RER B puis le bus 143 et le soir tout recommence dans l'autre sens " * 3
    lines = quote_lines(font, words, 900, max_lines=2)
    assert len(lines) == 2 and lines[0].startswith("«") and lines[-1].endswith("…\u202f»")
    assert all(font.size(line)[0] <= 900 for line in lines)
    assert quote_lines(font, "Plus de bancs", 900, max_lines=1) == ["«\u202fPlus de bancs\u202f»"]
