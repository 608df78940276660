"""Non-text contrast: every control's outline stands out 3:1 from the page and the cards it sits on
(WCAG 1.4.11), so a button is seen as one whatever one's colour vision."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from kiosk.access.focus import RING_DARK, RING_LIGHT
from kiosk.ui.theme import THEME, contrast_ratio

BACKGROUNDS = {"page": THEME.background, "card": THEME.surface, "pressed": THEME.surface_hi}


@pytest.mark.parametrize("where", BACKGROUNDS)
def test_control_outlines_stand_out(where):
    bg = BACKGROUNDS[where]
    assert contrast_ratio(THEME.outline, bg) >= 3.0
    assert contrast_ratio(THEME.accent, bg) >= 3.0          # primary buttons: their fill is their edge


@pytest.mark.parametrize("where", BACKGROUNDS)
def test_the_focus_ring_is_seen_on_anything(where):
    bg = BACKGROUNDS[where]
    # yellow inside black: one of the two always passes 3:1, on dark and on light colours alike
    assert max(contrast_ratio(RING_LIGHT, bg), contrast_ratio(RING_DARK, bg)) >= 3.0
    for light in ((255, 255, 255), THEME.accent, (235, 80, 80)):
        assert max(contrast_ratio(RING_LIGHT, light), contrast_ratio(RING_DARK, light)) >= 3.0


def _most_contrasting(surface: pygame.Surface, rect: pygame.Rect, against) -> float:
    """The highest contrast of any pixel inside rect against a colour (a label's full-strength pixels)."""
    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).reshape(-1, 3)
    return max(contrast_ratio(tuple(int(v) for v in p), against) for p in np.unique(pixels, axis=0))


@pytest.mark.parametrize("colour", [THEME.surface, THEME.accent])
def test_a_disabled_button_keeps_its_label_and_edge_readable(colour):
    """A button that cannot be used yet (« Suivant » of a group, « Envoyer » before a message): its label
    4.5:1 on its fill, its edge 3:1 against the page and the cards, whatever colour it has when enabled
    (a dimmed yellow kept 2.52:1 under a grey label)."""
    from kiosk.assets import Assets
    from kiosk.ui import Button

    pygame.init()
    assets = Assets()
    surface = pygame.Surface((400, 200))
    surface.fill(THEME.background)
    icon = assets.icon("refresh", 40, THEME.on_accent)
    button = Button(pygame.Rect(20, 20, 300, 140), "Suivant", color=colour, text_color=THEME.on_accent, icon=icon,
                    enabled=False)
    button.draw(surface, assets.font(THEME.font_body))
    fill = tuple(surface.get_at((button.rect.left + 30, button.rect.top + 12)))[:3]
    assert fill == THEME.disabled
    inside = button.rect.inflate(-24, -24)
    assert _most_contrasting(surface, inside.clip(inside.move(0, inside.height // 2)), fill) >= 4.5   # label
    assert _most_contrasting(surface, inside.clip(inside.move(0, -inside.height // 2)), fill) >= 4.5  # pictogram
    edge = tuple(surface.get_at((button.rect.left, button.rect.centery)))[:3]
    assert all(contrast_ratio(edge, bg) >= 3.0 for bg in BACKGROUNDS.values())


@pytest.mark.parametrize("primary, enabled", [(True, False), (False, False), (False, True), (True, True)])
def test_navigation_buttons_keep_their_label_readable_and_their_edge_seen(primary, enabled):
    """« Retour », « Envoyer »…: a label 4.5:1 on the fill, an edge 3:1 against the page and the cards."""
    from kiosk.assets import Assets
    from stations.common.widgets import draw_button

    pygame.init()
    surface = pygame.Surface((500, 200))
    surface.fill(THEME.background)
    rect = pygame.Rect(20, 20, 400, 110)
    draw_button(surface, rect, Assets(), "Envoyer", "send", primary=primary, enabled=enabled)
    fill = tuple(surface.get_at((rect.left + 30, rect.top + 12)))[:3]
    assert _most_contrasting(surface, rect.inflate(-40, -40), fill) >= 4.5
    edge = tuple(surface.get_at((rect.left + 1, rect.centery)))[:3]
    assert all(contrast_ratio(edge, bg) >= 3.0 for bg in BACKGROUNDS.values())


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_walls_inks_and_tools_stand_out_from_the_page(tmp_path, orientation):
    """Each ink swatch and drawing tool has an edge 3:1 against what is around it, and the swatch's colour
    stands 3:1 from that edge or from the page: the black ink was 1.03:1 against the page."""
    from kiosk.testing import canvas, close_context, default_config, make_context
    from stations.wall import Station
    from tests.participation.conftest import Driver

    kiosk = default_config(data_dir=tmp_path, orientation=orientation)
    ctx = make_context("wall", tmp_path=tmp_path, kiosk=kiosk, station_cls=Station)
    try:
        st = Station(ctx)
        drv = Driver(st)
        drv.tap("add")
        drv.tap(next(k for k in st.view.zones.keys if k.startswith("question:")))
        drv.tap("mode:draw")
        surface = canvas(ctx)
        st.draw(surface)
        keys = [k for k in st.view.zones.keys if k.startswith(("color:", "tool:"))]
        assert len(keys) == len(st.drawing.palette) + 3
        for key in keys:
            r = st.view.zones.rect(key)
            around = tuple(surface.get_at((r.left - 10, r.centery)))[:3]     # beyond a selected one's yellow ring
            edge = tuple(surface.get_at((r.left + 1, r.centery)))[:3]
            inside = tuple(surface.get_at((r.left + 12, r.centery)))[:3]
            assert contrast_ratio(edge, around) >= 3.0, (key, edge, around)
            if key.startswith("color:"):
                assert max(contrast_ratio(inside, edge), contrast_ratio(inside, around)) >= 3.0, (key, inside)
    finally:
        close_context(ctx)


def test_a_choice_tile_has_the_controls_edge():
    """The survey's answer tiles (1.2:1 fill against the page) are outlined like every control."""
    from kiosk.assets import Assets
    from stations.common.widgets import draw_tile

    pygame.init()
    surface = pygame.Surface((400, 300))
    surface.fill(THEME.background)
    rect = pygame.Rect(20, 20, 320, 150)
    draw_tile(surface, rect, Assets(), "Covoiturage et autopartage", icon="car")
    edge = tuple(surface.get_at((rect.left + 1, rect.centery)))[:3]
    assert all(contrast_ratio(edge, bg) >= 3.0 for bg in BACKGROUNDS.values())
