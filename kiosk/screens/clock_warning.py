"""The mediator's line when the kiosk distrusts its wall clock (kiosk/store/wall_clock.py): what the
clock reads, what time it probably is, and what to do. Not by colour alone: a warning sign and words."""
from __future__ import annotations

from datetime import datetime, timezone

import pygame

from kiosk import formats
from kiosk.context import RuntimeContext
from kiosk.store.wall_clock import JUMP, ClockState
from kiosk.ui import THEME, draw_text_block, wrap_text

MARGIN = 60          # from the screen's sides and bottom
MIN_HEIGHT = 120
PADDING = 16         # above and below the text, inside the frame
TEXT_LEFT = 120      # the sign's column


def clock_warning(ctx: RuntimeContext, state: ClockState) -> list[str]:
    """The warning's sentences in the mediator's language; [] while the clock is trusted."""
    if state.trusted:
        return []
    _ = ctx.i18n.gettext
    lang = ctx.i18n.lang

    def moment(seconds: float) -> str:
        local = datetime.fromtimestamp(seconds, timezone.utc).astimezone(ctx.config.tz)
        return f"{formats.day(local.date(), lang, weekday=False, year=True)}, {formats.clock(local, lang)}"

    # after a jump the estimate is the run's own time; at start it is a lower bound (time off unknown)
    first = _("L’horloge de la borne semble fausse : elle indique le {reads} ; nous sommes plutôt le {estimated}.") \
        if state.flag == JUMP else \
        _("L’horloge de la borne semble fausse : elle indique le {reads} ; nous sommes au moins le {estimated}.")
    return [first.format(reads=moment(state.wall), estimated=moment(state.estimated)),
            _("Les activités sont enregistrées avec l’heure estimée. Vérifiez la mise à l’heure automatique "
              "(INSTALL.md, « Dépannage »).")]


def _fonts(ctx: RuntimeContext) -> tuple:
    return ctx.assets.font(28, True), ctx.assets.font(28)


def band_height(ctx: RuntimeContext, lines: list[str], width: int) -> int:
    """The band's height for these sentences across `width` (wrapped: 2 lines landscape, 4 portrait)."""
    bold, font = _fonts(ctx)
    room = width - 2 * MARGIN - TEXT_LEFT - 24
    rows = len(wrap_text(bold, lines[0], room)) * bold.get_linesize() + \
        sum(len(wrap_text(font, line, room)) for line in lines[1:]) * font.get_linesize()
    return max(MIN_HEIGHT, rows + 2 * PADDING)


def draw_clock_warning(surface: pygame.Surface, ctx: RuntimeContext, lines: list[str], bottom: int) -> None:
    """The warning in a framed band ending at `bottom`, across the screen: a warning sign, the finding in
    bold, what to do below it."""
    height = band_height(ctx, lines, surface.get_width())
    band = pygame.Rect(MARGIN, bottom - height, surface.get_width() - 2 * MARGIN, height)
    pygame.draw.rect(surface, THEME.surface, band, border_radius=THEME.radius)
    pygame.draw.rect(surface, THEME.warn, band, width=4, border_radius=THEME.radius)
    sign = ctx.assets.icon("alert-triangle", 72, THEME.warn)
    surface.blit(sign, sign.get_rect(midleft=(band.left + 24, band.centery)))
    bold, font = _fonts(ctx)
    text = pygame.Rect(band.left + TEXT_LEFT, band.top + PADDING, band.width - TEXT_LEFT - 24, height - 2 * PADDING)
    used = draw_text_block(surface, bold, lines[0], text, THEME.text, line_spacing=1.0)
    draw_text_block(surface, font, "\n".join(lines[1:]),
                    pygame.Rect(text.left, text.top + used, text.width, text.height - used), THEME.text_muted,
                    line_spacing=1.0)
