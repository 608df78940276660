"""The mediator's storage alarm: a notice (kiosk/ui/notice.py) saying what is wrong with the data disk and
what to do. The words come from kiosk.storage.StorageStatus, which the frame loop reads without touching the
disk."""
from __future__ import annotations

import pygame

from kiosk import formats
from kiosk.i18n import Translator
from kiosk.storage import RESERVE_BYTES, StorageStatus
from kiosk.ui.notice import draw_notice


def alarm_lines(status: StorageStatus, i18n: Translator, *, wall: bool = True) -> tuple[str, str] | None:
    """(what is wrong, what to do) in the kiosk's language; None when the disk is fine. `wall`: the kiosk runs
    the wall, whose drawings the reserve refuses."""
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
        return (_("Disque presque plein : {free} Mo libres, sous la réserve de {reserve} Mo.").format(
                    free=free, reserve=formats.number(RESERVE_BYTES / 2**20, lang)),
                _("Les dessins du mur ne sont plus enregistrés. Libérez de la place sur le disque "
                  "(INSTALL.md, « Dépannage »).") if wall else
                _("Libérez de la place sur le disque (INSTALL.md, « Dépannage »)."))
    return None


def draw_storage_alarm(surface: pygame.Surface, assets, i18n: Translator, status: StorageStatus,
                       rect: pygame.Rect, *, wall: bool = True) -> int:
    """Draw the notice at the top of `rect` (as tall as its words need); returns its height, 0 for none."""
    lines = alarm_lines(status, i18n, wall=wall)
    if lines is None:
        return 0
    return draw_notice(surface, assets, *lines, rect, rtl=i18n.rtl).height
