"""Non-text contrast: every control's outline stands out 3:1 from the page and the cards it sits on
(WCAG 1.4.11), so a button is seen as one whatever one's colour vision."""
from __future__ import annotations

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
