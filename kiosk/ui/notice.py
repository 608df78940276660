"""A notice for the mediator: a framed box with a warning sign, what is wrong in bold and what to do under it.
Never by colour alone (the sign and the words say it too); mirrored for a right-to-left language."""
from __future__ import annotations

import pygame

from kiosk.ui.theme import THEME
from kiosk.ui.widgets import draw_text_block, wrap_text

PAD = 20
SIGN = 56
LINE_SPACING = 1.2      # draw_text_block's


def _fonts(assets) -> tuple:
    return assets.font(THEME.font_small + 4, True), assets.font(THEME.font_small)


def _rows(font, text: str, width: int) -> int:
    return sum(len(wrap_text(font, part, width)) for part in text.split("\n")) * round(font.get_linesize() * LINE_SPACING)


def notice_height(assets, headline: str, advice: str, width: int) -> int:
    """The box's height across `width` for these words."""
    bold, body = _fonts(assets)
    text_w = width - 3 * PAD - SIGN
    return max(_rows(bold, headline, text_w) + 8 + _rows(body, advice, text_w), SIGN) + 2 * PAD


def draw_notice(surface: pygame.Surface, assets, headline: str, advice: str, rect: pygame.Rect, *,
                rtl: bool = False) -> pygame.Rect:
    """Draw the notice from the top of `rect`, across its width, as tall as its words; returns the box."""
    bold, body = _fonts(assets)
    box = pygame.Rect(rect.left, rect.top, rect.width, notice_height(assets, headline, advice, rect.width))
    pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
    pygame.draw.rect(surface, THEME.warn, box, width=4, border_radius=THEME.radius)
    sign = assets.icon("alert-triangle", SIGN, THEME.warn)
    surface.blit(sign, (box.right - PAD - SIGN if rtl else box.left + PAD, box.top + PAD))
    text = pygame.Rect(box.left + PAD if rtl else box.left + 2 * PAD + SIGN, box.top + PAD,
                       box.width - 3 * PAD - SIGN, box.height - 2 * PAD)
    used = draw_text_block(surface, bold, headline, text, THEME.text)
    draw_text_block(surface, body, advice, pygame.Rect(text.left, text.top + used + 8, text.width, text.height),
                    THEME.text)
    return box
