from __future__ import annotations

import pygame

from kiosk.ui.chart import MISSING, draw_bar_chart, draw_heat_map, draw_line_chart, format_number, heat_color, nice_ticks
from kiosk.ui.theme import THEME


def _font():
    pygame.font.init()
    return pygame.font.Font(None, 28)


def test_nice_ticks_and_numbers():
    assert nice_ticks(43) == [0, 20, 40, 60] and nice_ticks(43, max_ticks=6) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(7)[-1] >= 7 and all(float(t).is_integer() for t in nice_ticks(7))
    assert format_number(2946) == "2\u202f946" and format_number(16.44) == "16,4"
    assert heat_color(0) != heat_color(1)


def test_bar_chart_hatches_missing_values_and_draws_bars():
    surface = pygame.Surface((800, 400))
    surface.fill(THEME.background)
    draw_bar_chart(surface, pygame.Rect(0, 0, 800, 400), [5, None, 0, 12], ["a", "b", "c", "d"], _font())
    pixels = {tuple(surface.get_at((x, y)))[:3] for x in range(800) for y in range(0, 400, 2)}
    assert MISSING in pixels and THEME.info in pixels


def test_line_chart_breaks_at_missing_and_heat_map_draws():
    surface = pygame.Surface((800, 400))
    surface.fill(THEME.background)
    draw_line_chart(surface, pygame.Rect(0, 0, 800, 400), [1, 2, None, 4], ["1", "2", "3", "4"], _font(),
                    flags=[False, True, False, False])
    pixels = {tuple(surface.get_at((x, y)))[:3] for x in range(800) for y in range(0, 400, 2)}
    assert THEME.accent in pixels and THEME.warn in pixels
    surface.fill(THEME.background)
    draw_heat_map(surface, pygame.Rect(0, 0, 800, 400), [[1, None], [3, 4]], ["lun.", "mar."], ["10h", "11h"], _font())
    assert surface.get_at((400, 100))[:3] != THEME.background
