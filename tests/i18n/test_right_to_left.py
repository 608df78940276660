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
def built(tmp_path):
    """built(cls, lang, orientation): the station in that language, entered and drawn once."""
    from kiosk.testing import default_config

    contexts = []

    def build(cls, lang, orientation="landscape"):
        kiosk = default_config(data_dir=tmp_path / lang / orientation, orientation=orientation)
        ctx = make_context(cls.id, tmp_path=tmp_path / lang / orientation, lang=lang, station_cls=cls,
                           kiosk=kiosk, reproducible=True)
        contexts.append(ctx)
        station = cls(ctx)
        station.reset()
        station.enter()
        station.draw(canvas(ctx))
        return station

    yield build
    for ctx in contexts:
        close_context(ctx)


def test_survey_choices_and_buttons_start_from_the_right_in_arabic(built):
    fr, ar = built(SurveyStation, "fr"), built(SurveyStation, "ar")
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


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_crowds_room_buttons_and_tools_start_from_the_right_in_arabic(built, orientation):
    from stations.crowd.station import CrowdStation

    fr, ar = built(CrowdStation, "fr", orientation), built(CrowdStation, "ar", orientation)
    panel = fr.panel
    for (_sid, a), (_same, b) in zip(fr.scenario_buttons, ar.scenario_buttons):
        assert b.rect == mirrored(a.rect, panel, True)
    first, second = (b.rect for _sid, b in ar.scenario_buttons[:2])
    assert first.x > second.x                                   # the first room on the right
    assert ar.restart_button.rect.x > ar.wall_button.rect.x      # « Recommencer » first, from the right
    assert fr.restart_button.rect.x < fr.wall_button.rect.x


def test_the_hurry_slider_runs_from_calm_on_the_right_in_arabic(built):
    from kiosk.input import DOWN, UP, InputEvent
    from stations.crowd.station import CrowdStation

    fr, ar = built(CrowdStation, "fr"), built(CrowdStation, "ar")
    for station in (fr, ar):
        track = station.hurry.track
        point = (track.x + track.width // 4, track.centery)    # a quarter along the track from the left
        for kind in (DOWN, UP):
            station.hurry.handle_event(InputEvent(kind, point, pointer=7))
    assert fr.hurry.value == pytest.approx(0.25, abs=0.01)      # a quarter of the way to « panique »
    assert ar.hurry.value == pytest.approx(0.75, abs=0.01)      # three quarters: panic is on the left
    ar.hurry.step(+1)                                            # more hurry by keys
    assert ar.hurry.value == pytest.approx(0.85, abs=0.01)


def test_the_arrow_keys_move_a_mirrored_slider_the_way_they_point():
    from kiosk.access.controls import SLIDER, ControlsOnScreen
    from kiosk.access.focus import FocusRing
    from kiosk.access.settings import AccessSettings
    from kiosk.input import KEY, InputEvent

    moves = []
    for mirrored_slider in (False, True):
        controls = ControlsOnScreen()
        controls.begin_frame()
        controls.report(pygame.Rect(0, 0, 400, 90), "Pressés ?", kind=SLIDER, adjust=moves.append,
                        mirrored=mirrored_slider)
        controls.end_frame()
        ring = FocusRing(controls, AccessSettings(), press=lambda pos: None, back=lambda: None,
                         spoken=lambda control: None)
        ring.handle_event(InputEvent(KEY, key="tab"))
        for key in ("right", "up"):
            ring.handle_event(InputEvent(KEY, key=key))
    assert moves == [+1, +1, -1, +1]     # → is more hurry, and ← in Arabic; ↑ is more in both


def test_the_air_card_and_the_air_now_panel_start_from_the_right_in_arabic(tmp_path):
    """The home menu's air card: its wind pictogram (the only blue) on the left in French, on the right in
    Arabic; the station's « now » panel: the people pictogram in its second column, left in Arabic."""
    from kiosk.ui import THEME
    from stations.air.card import draw_air_card
    from stations.air.view import PEOPLE_COLOUR
    from stations.air import Station as AirStation

    def blue_x(surface, colour):
        arr = pygame.surfarray.array3d(surface)
        xs, _ys = np.nonzero(np.all(arr == colour, axis=2))
        return xs.mean() / surface.get_width()

    where = {}
    for lang in ("fr", "ar"):
        ctx = make_context("air", tmp_path=tmp_path / lang, lang=lang, station_cls=AirStation)
        try:
            card = pygame.Surface((620, 140))
            draw_air_card(card, card.get_rect(), None, ctx.assets, ctx.i18n)
            station = AirStation(ctx)
            surface = canvas(ctx)
            station.view._draw_now(surface)
            where[lang] = blue_x(card, THEME.info), blue_x(surface.subsurface(station.view.now_rect), PEOPLE_COLOUR)
        finally:
            close_context(ctx)
    assert where["fr"][0] < 0.2 and where["ar"][0] > 0.8
    assert where["ar"][1] == pytest.approx(1 - where["fr"][1], abs=0.08)


def test_the_totems_home_menu_reads_from_the_right_in_arabic_and_its_card_stays_off_the_tiles(tmp_path):
    """A portrait totem's home menu: the activities listed above the chrome start from the right in Arabic
    (their yellow pictograms on the right), the air card goes right too, and no tile runs under the card."""
    from kiosk.chrome import chrome_row
    from kiosk.ui import THEME
    from tests.access.driver import Visitor

    v = Visitor(tmp_path, "portrait", fake_sensors=True,
                stations=("crowd", "traffic", "survey", "wall", "agenda", "air"))   # the air card with them
    try:
        v.key("return")                                     # the attract loop: to the home menu
        assert v.screen == "home"
        w, h = v.canvas.get_size()
        row = chrome_row((w, h), v.app.access.reach)
        for lang in ("fr", "ar"):
            v.app.ctx.i18n.set_language(lang)
            v.frames(2)
            listed = pygame.surfarray.array3d(v.canvas.subsurface((0, 130, w, row.top - 140)))
            xs = np.nonzero(np.all(listed == THEME.accent, axis=2))[0]
            assert (xs.mean() < w / 4) if lang == "fr" else (xs.mean() > 3 * w / 4), lang
            home = v.app.nav.screen
            assert home.ctx.stations.home_cards()
            assert all(button.rect.bottom <= h - 150 - 20 - 16 for _sid, button in home.tiles), lang
    finally:
        v.close()


def test_the_walls_inks_start_from_the_right_in_arabic(built):
    from stations.wall import Station as WallStation
    from tests.participation.conftest import Driver

    where = {}
    for lang in ("fr", "ar"):
        st = built(WallStation, lang)
        drv = Driver(st)
        drv.tap("add")
        drv.tap(next(k for k in st.view.zones.keys if k.startswith("question:")))
        drv.tap("mode:draw")
        where[lang] = [drv.rect(f"color:{i}").centerx for i in range(2)]
    assert where["fr"][0] < where["fr"][1] and where["ar"][0] > where["ar"][1]


@pytest.mark.parametrize("heat", [False, True], ids=["speed legend", "density legend"])
def test_the_crowds_help_line_starts_from_the_right_and_its_legend_sits_left_in_arabic(built, monkeypatch, heat):
    from stations.crowd import drawing
    from stations.crowd.station import CrowdStation

    real_block, real_text = drawing.draw_text_block, drawing.draw_text
    for lang in ("fr", "ar"):
        station = built(CrowdStation, lang)
        if heat:
            station._toggle_heat()
        strip = station.hint_rect
        help_rects, legend = [], []

        def block(surface, font, text, rect, *args, **kwargs):
            if strip.contains(pygame.Rect(rect).clip(strip)) and rect.top >= strip.top:
                help_rects.append(pygame.Rect(rect))
            return real_block(surface, font, text, rect, *args, **kwargs)

        def text(surface, font, line, pos, *args, **kwargs):
            drawn = real_text(surface, font, line, pos, *args, **kwargs)
            if drawn.top >= strip.top:
                legend.append(drawn)
            return drawn

        monkeypatch.setattr(drawing, "draw_text_block", block)
        monkeypatch.setattr(drawing, "draw_text", text)
        station.draw(canvas(station.ctx))
        (help_rect,) = help_rects
        assert legend, lang
        if lang == "fr":
            assert help_rect.left <= strip.left + 8 and min(r.left for r in legend) > help_rect.right - 40
        else:
            assert help_rect.right >= strip.right - 8 and max(r.right for r in legend) < help_rect.left + 40
