"""The wall's answer when a visitor's drawing could not be kept (a full disk, the reserve): no « Merci » with a
QR code for what was not stored, but kind words, and what they can still do — send their text alone, or write
instead — with nothing else of their visit lost."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.ui import THEME, draw_text_block, wrap_text
from stations.wall.view import NAV_H

if TYPE_CHECKING:  # pragma: no cover
    from stations.wall.view import WallView


def unsaved_texts(view: "WallView") -> list[str]:
    """What a visitor whose drawing could not be kept reads (and hears): kindly, and what they can still do."""
    _ = view.ctx._
    texts = [_("Votre dessin n’a pas pu être enregistré"),
             _("La borne ne peut pas garder de dessin en ce moment. Ce n’est pas de votre faute, et rien d’autre de votre visite n’est perdu.")]
    if view.st.has_part("write"):
        texts.append(_("Votre texte peut partir seul :"))
    else:
        texts.append(_("Vous pouvez écrire votre réponse à la place."))
    return texts


def draw_unsaved(view: "WallView", surface: pygame.Surface) -> None:
    _ = view.ctx._
    w, h = view.ctx.canvas_size
    headline, why, next_step = unsaved_texts(view)
    icon = view.ctx.assets.icon("mood-nervous", 120, THEME.accent)
    surface.blit(icon, icon.get_rect(midtop=(w // 2, 40)))
    width = w - 320 if w > h else w - 80
    y = 180 + draw_text_block(surface, view.ctx.assets.font(THEME.font_title, bold=True), headline,
                              pygame.Rect((w - width) // 2, 180, width, 200), align="center")
    y += 30 + draw_text_block(surface, view.ctx.assets.font(THEME.font_body + 4), why,
                              pygame.Rect((w - width) // 2, y + 30, width, 200), align="center")
    y += 40 + draw_text_block(surface, view.ctx.assets.font(THEME.font_body + 4), next_step,
                              pygame.Rect((w - width) // 2, y + 40, width, 100), align="center")
    if view.st.has_part("write"):       # their text as they wrote it, the way the wall will show it
        text_font = view.ctx.assets.font(THEME.font_body)
        box = pygame.Rect((w - min(width, 1100)) // 2, y + 20, min(width, 1100), 0)
        lines = wrap_text(text_font, view.st.keys.text.strip(), box.width - 60)[:4]
        box.height = len(lines) * text_font.get_linesize() + 40
        pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
        draw_text_block(surface, text_font, "\n".join(lines), box.inflate(-60, -40), direction="auto")
    band = view.band()
    nav_y, bw = (band[1] if band else h - NAV_H - 40), min(580, (w - 100) // 2)
    if view.st.has_part("write"):
        view.nav(surface, "text-alone", (w // 2 - 20 - bw, nav_y, bw, NAV_H), _("Envoyer mon texte seul"), "send",
                 view.st.send_text_alone, primary=True)
    else:
        view.nav(surface, "write-instead", (w // 2 - 20 - bw, nav_y, bw, NAV_H), _("Écrire ma réponse"), "pencil",
                 view.st.write_instead, primary=True)
    view.nav(surface, "wall", (w // 2 + 20, nav_y, bw, NAV_H), _("Voir le mur"), "arrow-left", view.st.go_wall)
