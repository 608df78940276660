"""Arabic is laid out from the right where reading goes (survey choices and buttons, the home menu, a
visitor's words), and nothing else moves: the crowd room and the traffic ring are drawn as in French."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from kiosk.testing import canvas, close_context, make_context
from kiosk.ui import draw_text_line_in, mirrored
from kiosk.ui.text import LTR, RTL, paragraph_direction
from stations.survey import Station as SurveyStation


@pytest.fixture
def survey(tmp_path):
    contexts = []

    def build(lang):
        ctx = make_context("survey", tmp_path=tmp_path / lang, lang=lang, station_cls=SurveyStation)
        contexts.append(ctx)
        station = SurveyStation(ctx)
        station.reset()
        station.enter()
        station.draw(canvas(ctx))
        return station

    yield build
    for ctx in contexts:
        close_context(ctx)


def test_survey_choices_and_buttons_start_from_the_right_in_arabic(survey):
    fr, ar = survey("fr"), survey("ar")
    w = fr.ctx.canvas_size[0]
    first, last = (f"choice:{c.id}" for c in (fr.flow.current.choices[0], fr.flow.current.choices[4]))
    assert fr.view.zones.rect(first).x < fr.view.zones.rect(last).x        # French: from the left
    assert ar.view.zones.rect(first).x > ar.view.zones.rect(last).x        # Arabic: from the right
    assert ar.view.zones.rect(first).right == w - fr.view.zones.rect(first).left
    assert fr.view.zones.rect("skip").centerx > w / 2 > ar.view.zones.rect("skip").centerx


def test_mirroring_keeps_the_box():
    box = pygame.Rect(100, 0, 800, 100)
    assert mirrored((100, 0, 50, 50), box, True).right == 900
    assert mirrored((100, 0, 50, 50), box, False).x == 100


def test_a_visitors_words_start_on_their_side():
    pygame.font.init()
    from kiosk.assets import Assets

    font = Assets().font(36)
    surface = pygame.Surface((800, 100))
    arabic = "التنقل في المدينة"
    assert paragraph_direction(arabic) == RTL and paragraph_direction("Le RER B") == LTR
    assert draw_text_line_in(surface, font, arabic, 20, 780, 0, (255, 255, 255), RTL).right == 780
    assert draw_text_line_in(surface, font, "Le RER B", 20, 780, 0, (255, 255, 255), LTR).left == 20


@pytest.mark.parametrize("station_id", ["crowd", "traffic"])
def test_simulations_are_not_mirrored(tmp_path, station_id):
    """The same seed and frames draw the same room and the same ring, pixel for pixel, in Arabic as in French
    (people walk to the same door, cars drive the ring the same way)."""
    from kiosk.registry import station_classes

    cls = station_classes()[station_id]
    shots = {}
    for lang in ("fr", "ar"):
        ctx = make_context(station_id, tmp_path=tmp_path / lang, lang=lang, station_cls=cls, seed=3,
                           reproducible=True)   # same steps in both languages, however busy the machine
        try:
            station = cls(ctx)
            station.reset()
            station.enter()
            for _ in range(30):
                station.update(1 / 60)
            surface = canvas(ctx)
            if station_id == "crowd":
                station.view.draw(surface, station.model, "speed")
            else:
                m = station.model
                station.road_view.draw_road(surface, None)
                station.road_view.draw_cars(surface, m.positions(), m.lane, m.length, m.v * 3.6, 130, m.smart, np.zeros(m.x.size, bool))
            shots[lang] = pygame.image.tobytes(surface, "RGB")
            station.exit()
        finally:
            close_context(ctx)
    assert shots["fr"] == shots["ar"]
