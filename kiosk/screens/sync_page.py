"""Mediator page "Envoi des données": upload backlog, last success and error, USB export."""
from __future__ import annotations

import logging
import threading
from datetime import datetime

import pygame

from kiosk.sync.export import NoToken, export_signed, record_export
from kiosk.sync.status import read_sync_status
from kiosk.ui import THEME, Button, draw_text, draw_text_block
from kiosk.usb import export_target

log = logging.getLogger(__name__)
REFRESH_S = 2.0


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} j"


def _count(n: int) -> str:
    """8500 -> "8 500" (French thousands, a narrow no-break space)."""
    return f"{int(n):,}".replace(",", "\u202f")


def _local(ts: str | None, tz) -> str:
    if not ts:
        return "jamais"
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(tz).strftime("%d/%m %H:%M")
    except ValueError:
        return ts


class SyncPage:
    def __init__(self, ctx):
        self.ctx = ctx
        self._ = ctx.i18n.gettext
        self.status: dict | None = None
        self._future = None
        self._since = REFRESH_S
        self.export_message = ""
        self._exporting = False
        w, h = ctx.canvas_size
        self.export_button = Button(pygame.Rect(80, h - 200, 620, 110), "", on_press=self._export,
                                    color=THEME.accent, text_color=THEME.on_accent)

    def reset(self) -> None:
        self.status, self.export_message = None, ""

    def handle_event(self, ev) -> bool:
        return self.export_button.handle_event(ev)

    def update(self, dt: float) -> None:

        self._since += dt
        if self._future is None and self._since >= REFRESH_S:
            self._since = 0.0
            self._future = self.ctx.reader.submit(read_sync_status)
        if self._future is not None and self._future.done():
            try:
                self.status = self._future.result()
            except Exception:
                log.exception("reading the upload status failed")
            self._future = None

    def _export(self) -> None:
        if self._exporting:
            return
        target = export_target(self.ctx.kiosk.export_dir)
        if target is None:
            self.export_message = self._("Aucune clé USB détectée et aucun dossier d’export configuré.")
            return
        self._exporting = True
        self.export_message = self._("Export en cours…")
        threading.Thread(target=self._export_worker, args=(target,), daemon=True, name="usb-export").start()

    def _export_worker(self, target) -> None:

        stamp = datetime.now(self.ctx.kiosk.tz).strftime("%Y%m%d-%H%M")
        out = target / f"qsec-{self.ctx.kiosk.kiosk_id}-{stamp}.zip"
        try:
            result = export_signed(self.ctx.kiosk, self.ctx.data_dir, out)
            record_export(self.ctx.data_dir, self.ctx.kiosk.kiosk_id, result)
            self.export_message = self._("{n} événements exportés dans {path}").format(n=result.events, path=out)
        except NoToken:
            self.export_message = self._("Export impossible\u00a0: la borne n’a pas de jeton du serveur "
                                         "([sync]\u00a0token). Prévenir l’équipe technique.")
        except Exception as exc:
            log.exception("USB export failed")
            self.export_message = self._("L’export a échoué : {err}").format(err=exc)
        finally:
            self._exporting = False

    def status_lines(self) -> list[tuple[str, str, tuple]]:
        """(label, value, colour) rows under the title. The last error is highlighted only while it
        stands; once a later upload went through it is shown greyed as resolved, with its time."""
        _ = self._
        hub = self.ctx.kiosk.sync.get("hub_url") or _("aucun (export USB seulement)")
        lines: list[tuple[str, str, tuple]] = [(_("Serveur"), hub, THEME.text)]
        s = self.status
        if s is None:
            return lines + [(_("État"), "…", THEME.text)]
        tz = self.ctx.kiosk.tz
        success = _local(s.get("last_success"), tz)
        sent = s.get("last_success_events")
        if s.get("last_success") and sent is not None:
            success += " — " + (_("{n} événements envoyés").format(n=_count(sent)) if sent
                                else _("rien de nouveau à envoyer"))
        lines += [
            (_("En attente d’envoi"), f"{_count(s['backlog_events'])} " + _("événements"), THEME.text),
            (_("Le plus ancien non envoyé"), _age(s.get("oldest_unsent_age_s")), THEME.text),
            (_("Dernier envoi réussi"), success, THEME.good if s.get("last_success") else THEME.text),
        ]
        err = s.get("last_error")
        if err:
            text = f"{_local(err.get('ts'), tz)} — {err.get('message', '')}"[:120]
            if s.get("last_error_current", True):
                lines.append((_("Dernière erreur"), text, THEME.warn))
            else:
                lines.append((_("Dernière erreur"), _("résolue") + " · " + text, THEME.text_muted))
        if s.get("alert"):
            lines.append((_("Envoi arrêté"), str(s["alert"])[:160], THEME.bad))
            lines.append(("", _("Prévenir l’équipe technique : la configuration [sync] est à corriger."), THEME.bad))
        return lines

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(THEME.background)
        font, big = self.ctx.assets.font(38), self.ctx.assets.font(56, True)
        draw_text(surface, big, self._("Envoi des données"), (240, 64), THEME.accent, "midleft")
        y = 180
        for label, value, color in self.status_lines():
            draw_text(surface, font, label, (80, y), THEME.text_muted, "topleft")
            used = draw_text_block(surface, font, str(value), pygame.Rect(700, y, w - 780, 120), color)
            y += max(80, used + 26)
        self.export_button.label = self._("Exporter sur clé USB")
        self.export_button.draw(surface, self.ctx.assets.font(40, True))
        if self.export_message:
            draw_text_block(surface, font, self.export_message, pygame.Rect(740, h - 190, w - 820, 120), THEME.text)
