"""The mediator's line when the kiosk distrusts its wall clock (kiosk/store/wall_clock.py): what the
clock reads, what time it probably is, and what to do. Not by colour alone: a warning sign and words."""
from __future__ import annotations

from datetime import datetime, timezone

import pygame

from kiosk import formats
from kiosk.context import RuntimeContext
from kiosk.store.wall_clock import JUMP, ClockState
from kiosk.ui.notice import draw_notice, notice_height

MARGIN = 60          # from the screen's sides and bottom


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


def band_height(ctx: RuntimeContext, lines: list[str], width: int) -> int:
    """The band's height for these sentences across a screen `width` wide."""
    return notice_height(ctx.assets, lines[0], "\n".join(lines[1:]), width - 2 * MARGIN)


def draw_clock_warning(surface: pygame.Surface, ctx: RuntimeContext, lines: list[str], bottom: int) -> None:
    """The warning across the screen, ending at `bottom`: the mediator's notice (a sign, the finding in bold,
    what to do under it), as the disk's alarm."""
    height = band_height(ctx, lines, surface.get_width())
    draw_notice(surface, ctx.assets, lines[0], "\n".join(lines[1:]),
                pygame.Rect(MARGIN, bottom - height, surface.get_width() - 2 * MARGIN, height), rtl=ctx.i18n.rtl)
