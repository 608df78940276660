"""The screen's geometry: the read-out never runs onto the road, in both orientations and languages."""
import numpy as np
import pygame

from kiosk.access.reach import Reach
from kiosk.chrome import language_button_rect
import pytest

from kiosk.testing import canvas, close_context, default_config, make_context
from kiosk.ui import THEME
from stations.traffic.charts import now_label_rect
from stations.traffic.readout import fit_headline, readout_lines
from stations.traffic.station import TrafficStation


@pytest.fixture(params=["landscape", "portrait"])
def station(request, tmp_path):
    kiosk = default_config(data_dir=tmp_path, orientation=request.param)
    ctx = make_context("traffic", tmp_path=tmp_path, kiosk=kiosk, station_cls=TrafficStation)
    st = TrafficStation(ctx)
    st.reset()
    st.enter()
    yield st
    st.exit()
    close_context(ctx)


def _head_fonts(st):
    a = st.ctx.assets
    return [a.font(THEME.font_body, bold=True), a.font(THEME.font_body - 4, bold=True), a.font(THEME.font_small, bold=True)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_summary_and_its_figures_fit_above_the_road(station, lang):
    station.ctx.i18n.set_language(lang)
    L = station.layout
    small = station.ctx.assets.font(THEME.font_small - 2)
    room = L.readout.height - small.get_linesize() - 4
    assert L.readout.bottom <= L.road.top
    for sid in station.scenarios:
        station.load_scenario(sid)
        head, figures = readout_lines(station, station.ctx._)
        assert head == station.ctx._(station.scenario.summary)          # the first screen of each scenario
        font, lines = fit_headline(_head_fonts(station), head, L.readout.width, room)
        assert len(lines) * font.get_linesize() <= room, (sid, lang)
        view = station.road_view
        if station.model.road.ring:               # the top of the ring (and a tapped car's halo) below the box
            edge = view.outer + 3
            halo = view.outer - 0.5 * view.lane_w + 0.9 * view.lane_w + 4     # the car's centre + halo radius + line
            top = view.center[1] - max(edge, halo)
            assert top > L.readout.bottom, (sid, lang)


def test_title_stays_clear_of_the_language_switch(station):
    surface = canvas(station.ctx)
    for lang in ("fr", "en"):
        station.ctx.i18n.set_language(lang)
        for sid in station.scenarios:
            station.load_scenario(sid)
            surface.fill((0, 0, 0))
            station._draw_header(surface, {"title": station.ctx.assets.font(THEME.font_title - 8, bold=True),
                                           "head": station.ctx.assets.font(THEME.font_body, bold=True),
                                           "small": station.ctx.assets.font(THEME.font_small - 2)}, station.ctx._)
            # where the chrome puts the language menu: the top right, or lower on a screen mounted out of reach
            switch = language_button_rect(station.ctx.canvas_size, Reach.of(station.ctx.kiosk)).inflate(0, 24)
            band = pygame.surfarray.array3d(surface.subsurface(switch))
            assert band.max() == 0, (sid, lang)


def test_now_label_avoids_the_curve_and_the_legend():
    plot = pygame.Rect(100, 100, 600, 300)
    xs = np.linspace(plot.left, plot.right, 50)
    falling = np.column_stack((xs, np.linspace(plot.top + 20, plot.bottom, 50)))    # a curve going down-right
    centre = (400, float(np.interp(400, falling[:, 0], falling[:, 1])))
    spot = now_label_rect(centre, (150, 30), plot, falling)
    assert plot.contains(spot)
    box = spot.inflate(8, 8)
    assert not any(box.collidepoint(x, y) for x, y in falling)
    legend = pygame.Rect(plot.right - 300, plot.top, 300, 40)
    near_top = (plot.right - 200, plot.top + 60)
    spot = now_label_rect(near_top, (150, 30), plot, np.zeros((0, 2)), [legend])
    assert not spot.colliderect(legend) and plot.contains(spot)


def test_now_label_prefers_a_side_without_detector_dots():
    plot = pygame.Rect(100, 100, 600, 300)
    centre = (400, 250)
    dot_up_right = [(430, 215)]
    spot = now_label_rect(centre, (150, 30), plot, np.zeros((0, 2)), [], dot_up_right)
    assert not spot.inflate(16, 16).collidepoint(dot_up_right[0]) and spot.left > centre[0]   # down-right


@pytest.mark.parametrize("venue", ["default", "college-evry"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_a_school_groups_strip_covers_no_read_out(tmp_path, venue, orientation):
    """The group's goal strip (kiosk.groups.panel) stands in for the title: the read-out, the road, the
    charts and the controls stay out from under it, on a stand and on a portrait totem."""
    from pathlib import Path

    from kiosk.config import load_config
    from kiosk.groups.panel import panel_rect
    from stations.traffic.layout import Layout
    from kiosk.chrome import chrome_row

    if venue == "default":
        kiosk = default_config(data_dir=tmp_path, orientation=orientation)
    else:
        path = Path(__file__).resolve().parents[2] / "config" / "venues" / f"{venue}.toml"
        kiosk = load_config(path, strict_stations=False, check_content=False)
        if kiosk.canvas_size[0] >= kiosk.canvas_size[1]:
            pytest.skip("a portrait venue")
        if orientation == "landscape":
            pytest.skip("the totem is portrait")
    reach = Reach.of(kiosk)
    size = kiosk.canvas_size
    strip = panel_rect(size, reach)
    L = Layout(size, chrome_row(size, reach), reach.band()[1], strip)
    assert pygame.Rect((0, 0), size).contains(strip)
    for name in ("readout", "road", "legend", "space_time", "fundamental"):
        assert not strip.colliderect(getattr(L, name)), (name, strip, getattr(L, name))
    assert not any(strip.colliderect(row) for row in L.rows)
    assert L.road.height >= 300                      # the ring stays big enough to touch a car
