"""The mediator's storage alarm: a framed notice, with its icon and its words (never colour alone), saying
what is wrong with the data disk and what to do. The words come from kiosk.storage.StorageStatus, which the
frame loop reads without touching the disk."""
from __future__ import annotations

import pygame

from kiosk import formats
from kiosk.i18n import Translator
from kiosk.storage import RESERVE_BYTES, StorageStatus
from kiosk.ui import THEME, draw_text_block

PAD = 20
ICON = 56


def alarm_lines(status: StorageStatus, i18n: Translator) -> tuple[str, str] | None:
    """(what is wrong, what to do) in the kiosk's language; None when the disk is fine."""
    _, lang = i18n.gettext, i18n.lang
    n = formats.number(status.held, lang)
    if status.alarm == "read-only":
        return (_("Disque en lecture seule : la borne ne peut plus rien y écrire.") if not status.held else
                i18n.ngettext("Disque en lecture seule : {n} événement en attente d’écriture, gardé en mémoire.",
                              "Disque en lecture seule : {n} événements en attente d’écriture, gardés en mémoire.",
                              status.held).format(n=n),
                _("Redémarrez la borne : les événements gardés seront écrits dès que le disque l’accepte. "
                  "Si cela revient, faites vérifier le disque (INSTALL.md, « Dépannage »)."))
    if status.alarm == "full":
        return (i18n.ngettext("Disque plein : {n} événement en attente d’écriture, gardé en mémoire.",
                              "Disque plein : {n} événements en attente d’écriture, gardés en mémoire.",
                              status.held).format(n=n),
                _("Libérez de la place sur le disque (INSTALL.md, « Dépannage ») : ils seront écrits aussitôt. "
                  "Ne coupez pas le courant d’ici là."))
    if status.alarm == "low":
        free = formats.number((status.free_bytes or 0) / 2**20, lang)
        return (_("Disque presque plein : {free} Mo libres, sous la réserve de {reserve} Mo.").format(
                    free=free, reserve=formats.number(RESERVE_BYTES / 2**20, lang)),
                _("Les dessins du mur ne sont plus enregistrés. Libérez de la place sur le disque "
                  "(INSTALL.md, « Dépannage »)."))
    return None


def draw_storage_alarm(surface: pygame.Surface, assets, i18n: Translator, status: StorageStatus,
                       rect: pygame.Rect) -> int:
    """Draw the notice at the top of `rect` (as tall as its words need); returns its height, 0 for none."""
    lines = alarm_lines(status, i18n)
    if lines is None:
        return 0
    headline, advice = lines
    bold, body = assets.font(THEME.font_small + 4, True), assets.font(THEME.font_small)
    rtl = i18n.rtl
    text_w = rect.width - 3 * PAD - ICON
    text_x = rect.left + PAD if rtl else rect.left + 2 * PAD + ICON
    # measured on a scratch surface first: the frame is drawn under the words, as tall as they are
    scratch = pygame.Surface((text_w, rect.height), pygame.SRCALPHA)
    used = draw_text_block(scratch, bold, headline, pygame.Rect(0, 0, text_w, rect.height), THEME.text)
    used += 8 + draw_text_block(scratch, body, advice, pygame.Rect(0, used + 8, text_w, rect.height), THEME.text)
    box = pygame.Rect(rect.left, rect.top, rect.width, max(used, ICON) + 2 * PAD)
    pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
    pygame.draw.rect(surface, THEME.warn, box, width=4, border_radius=THEME.radius)
    icon = assets.icon("alert-triangle", ICON, THEME.warn)
    surface.blit(icon, (box.right - PAD - ICON if rtl else box.left + PAD, box.top + PAD))
    surface.blit(scratch, (text_x, box.top + PAD), pygame.Rect(0, 0, text_w, used))
    return box.height
