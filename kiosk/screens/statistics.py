"""Mediator page "Statistiques": footfall, use of the kiosk, contributions, school groups, data quality.

    page = StatisticsPage(ctx)                  # ctx: a StationContext (app.page_context("statistics"))
    page.enter(); page.handle_event(ev); page.update(dt); page.draw(surface)

Figures are computed by kiosk.store.stats on the StoreReader's thread: the frame loop only polls a
Future, and keeps showing the previous figures (with "mise à jour…") while new ones are computed.
The top-left corner is left free for the mediator menu's back button.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Callable

import pygame

from kiosk.input import DOWN
from kiosk.registry import station_titles
from kiosk.report import write_files
from kiosk.report.summary import PAGE, draw_summary
from kiosk.screens import statistics_panels as panels
from kiosk.store import periods
from kiosk.store.stats import Stats, StatsSettings, compute_stats, stay_period
from kiosk.ui import THEME, Button, draw_text, wrap_text
from kiosk.usb import export_target

log = logging.getLogger(__name__)

REFRESH_S = 60.0
PERIODS = (("today", "Aujourd’hui"), ("week", "Cette semaine"), ("stay", "Tout le séjour"))
TABS = (("footfall", "Fréquentation", "walk"), ("use", "Usage du kiosque", "hand-finger"),
        ("contributions", "Contributions et groupes", "message-circle"),
        ("quality", "Qualité des données", "shield-check"))


class StatisticsPage:
    language_switch = True   # the top-right corner is left to the chrome's language menu

    def __init__(self, ctx, *, now: Callable[[], datetime] | None = None, station_titles: dict[str, str] | None = None):
        self.ctx = ctx
        self._ = ctx.i18n.gettext
        self.now = now if now is not None else (lambda: datetime.now(timezone.utc))
        self.settings = StatsSettings.from_config(ctx.kiosk)
        self.station_titles = station_titles if station_titles is not None else load_station_titles()
        self.period_kind = "today"
        self.tab = "footfall"
        self.stats: Stats | None = None
        self.failed = False
        self._future = None
        self._pending_kind = ""
        self._since_refresh = 0.0
        self._export_future = None
        self._export_message = ""
        self._export_written: tuple[str, str] | None = None   # (folder name, where) once a report is written
        self._layout()

    # -- layout ----------------------------------------------------------------------------------
    def _layout(self) -> None:
        w, h = self.ctx.canvas_size
        landscape = w >= h
        # Landscape: the period buttons end left of the chrome's language menu (w - 236); portrait: under it.
        pw, ph, gap = (240, 96, 14) if landscape else (300, 96, 12)
        x0 = (w - 256 if landscape else w - 40) - 3 * pw - 2 * gap
        y0 = 16 if landscape else 170
        self.period_buttons = {
            kind: Button(pygame.Rect(x0 + i * (pw + gap), y0, pw, ph), label,
                         on_press=lambda k=kind: self.choose_period(k))
            for i, (kind, label) in enumerate(PERIODS)}
        self.tab_buttons = {}
        if landscape:
            for i, (key, label, icon) in enumerate(TABS):
                rect = pygame.Rect(40, 180 + i * 146, 360, 130)
                self.tab_buttons[key] = Button(rect, label, on_press=lambda k=key: self.choose_tab(k),
                                               icon=self.ctx.assets.icon(icon, 56, THEME.text))
            self.content = pygame.Rect(440, 180, w - 480, h - 210)
            export_rect = pygame.Rect(40, 768, 360, 100)
            # the export's message under the button, down to the bottom margin
            self.message_rect = pygame.Rect(40, export_rect.bottom + 12, 360, h - 16 - export_rect.bottom - 12)
        else:
            tw = (w - 80 - gap) // 2
            for i, (key, label, icon) in enumerate(TABS):
                rect = pygame.Rect(40 + (i % 2) * (tw + gap), 290 + (i // 2) * (130 + gap), tw, 130)
                self.tab_buttons[key] = Button(rect, label, on_press=lambda k=key: self.choose_tab(k),
                                               icon=self.ctx.assets.icon(icon, 56, THEME.text))
            self.content = pygame.Rect(40, 600, w - 80, h - 780)
            export_rect = pygame.Rect(40, h - 160, 420, 120)
            self.message_rect = pygame.Rect(export_rect.right + 20, export_rect.top - 10,
                                            w - export_rect.right - 60, h - export_rect.top - 6)

        self.export_button = Button(export_rect, "", on_press=self.export, color=THEME.accent, text_color=THEME.on_accent,
                                    icon=self.ctx.assets.icon("file-export", 48, THEME.on_accent))

    # -- lifecycle -------------------------------------------------------------------------------
    def reset(self) -> None:
        self.period_kind, self.tab = "today", "footfall"
        self.stats, self.failed = None, False

    def enter(self) -> None:
        self.refresh()

    def exit(self) -> None:
        self._future = None  # a late result is simply dropped

    def choose_period(self, kind: str) -> None:
        if kind != self.period_kind:
            self.period_kind = kind
            self.refresh()

    def choose_tab(self, key: str) -> None:
        self.tab = key

    def _period_job(self):
        settings, kind, now = self.settings, self.period_kind, self.now()

        def period_of(conn):
            if kind == "today":
                return periods.today(now, settings.tz)
            if kind == "week":
                return periods.this_week(now, settings.tz)
            return stay_period(conn, settings, now)

        return lambda conn: compute_stats(conn, settings, period_of(conn), now)

    def refresh(self) -> None:
        """Ask the reader thread for the figures of the chosen period (never waits here)."""
        job = self._period_job()
        self._pending_kind = self.period_kind
        self._since_refresh = 0.0
        try:
            self._future = self.ctx.reader.submit(job)
        except RuntimeError:  # reader shut down (kiosk quitting)
            self._future = None

    def export(self) -> None:
        """Write the report of the shown period to a USB stick, else to [mediator] export_dir.

        CSV and definitions are written on the reader's thread; the PNG page is drawn here (fonts are
        not shared across threads) and saved on the reader's thread."""
        if self._export_future is not None:
            return

        compute, cfg, titles = self._period_job(), self.ctx.kiosk, self.station_titles

        def job(conn):
            target = export_target(cfg.export_dir)
            if target is None:
                return None
            stats = compute(conn)
            folder = target / f"qsec-rapport-{cfg.kiosk_id}-{stats.period.first}-{stats.period.last}"
            write_files(stats, cfg, folder, titles=titles, with_png=False)
            return stats, folder

        self._export_message = self._("Export en cours…")
        self._export_written = None
        self._export_future = ("files", self.ctx.reader.submit(job))

    def _poll_export(self) -> None:
        stage, future = self._export_future
        if not future.done():
            return
        self._export_future = None
        try:
            result = future.result()
        except Exception:
            log.exception("report export failed")
            self._export_message = self._("L’export a échoué (clé pleine ou protégée ?)")
            return
        if stage == "png":
            self.show_written(result)
        elif result is None:
            self._export_message = self._("Branchez une clé USB, ou demandez qu’un dossier d’export soit configuré.")
        else:

            stats, folder = result
            page = pygame.Surface(PAGE)
            draw_summary(page, stats, self.ctx.kiosk, self.ctx.assets, self.station_titles)

            def save(_conn):
                pygame.image.save(page, str(folder / "synthese.png"))
                return folder

            self._export_future = ("png", self.ctx.reader.submit(save))

    def show_written(self, folder) -> None:
        """Say where the report went (under the export button)."""
        self._export_message = self._("Rapport écrit : {name} (sur {where})").format(name=folder.name,
                                                                                  where=folder.parent)
        self._export_written = (folder.name, str(folder.parent))
        log.info("report written to %s", folder)

    # -- frame -----------------------------------------------------------------------------------
    def handle_event(self, ev) -> bool:
        for button in [*self.period_buttons.values(), *self.tab_buttons.values(), self.export_button]:
            if button.handle_event(ev):
                return True
        return ev.kind == DOWN  # the page is modal: nothing leaks to what is below

    def update(self, dt: float) -> None:
        self._since_refresh += dt
        if self._export_future is not None:
            self._poll_export()
        if self._future is not None and self._future.done():
            future, self._future = self._future, None
            try:
                stats = future.result()
                if self._pending_kind == self.period_kind:
                    self.stats, self.failed = stats, False
            except Exception:
                log.exception("statistics could not be computed")
                self.failed = True
        if self._future is None and self._since_refresh >= REFRESH_S:
            self.refresh()

    def draw(self, surface: pygame.Surface) -> None:
        _ = self._
        assets = self.ctx.assets
        surface.fill(THEME.background)
        w, h = surface.get_size()
        draw_text(surface, assets.font(52, True), _("Statistiques"), (240, 46), THEME.accent, "midleft")
        stats = self.stats if self.stats is not None and self.stats.period.kind == self.period_kind else None
        line = panels.period_text(stats, _) if stats is not None else ""
        if self._future is not None:
            line = (line + "  ·  " if line else "") + _("mise à jour…")
        room = (self.period_buttons["today"].rect.left - 260) if w >= h else w - 256 - 240   # clear of the language menu
        line_font = assets.font(30) if assets.font(30).size(line)[0] <= room else assets.font(26)
        draw_text(surface, line_font, _fit(line_font, line, room), (240, 100), THEME.text, "midleft")
        draw_text(surface, assets.font(26), _fit(assets.font(26), self.ctx.kiosk.venue, room), (240, 138),
                  THEME.text_muted, "midleft")
        for kind, button in self.period_buttons.items():
            button.label = _(dict(PERIODS)[kind])
            button.selected = kind == self.period_kind
            button.draw(surface, assets.font(30 if w >= h else 34, True))
        for key, button in self.tab_buttons.items():
            button.label = _(dict((k, label) for k, label, _i in TABS)[key])
            button.selected = key == self.tab
            button.draw(surface, assets.font(30, True))
        self.export_button.label = _("Exporter le rapport")
        self.export_button.enabled = self._export_future is None
        self.export_button.draw(surface, assets.font(30, True))
        if self._export_message:
            self._draw_export_message(surface)
        if stats is None:
            message = _("Les statistiques n’ont pas pu être calculées.") if self.failed else _("Calcul en cours…")
            draw_text(surface, assets.font(44), message, self.content.center, THEME.text_muted, "center")
            return
        draw_panel = {"footfall": panels.draw_footfall, "use": panels.draw_use,
                      "contributions": panels.draw_contributions, "quality": panels.draw_quality}[self.tab]
        recorder = self.ctx.recorder
        draw_panel(surface, self.content, stats, assets, _, titles=self.station_titles,
                   held=(getattr(recorder, "held", 0), getattr(recorder, "held_errors", 0)))


    def export_lines(self) -> list[tuple[str, tuple]]:
        """The export's outcome as lines that fit message_rect: a written report's folder name is broken
        at its dashes and the place it went to shortened from the left, so nothing runs off the page."""
        font, rect = self.ctx.assets.font(24), self.message_rect
        max_lines = max(3, rect.height // font.get_linesize())
        if self._export_written is None:
            return [(line, THEME.text_muted) for line in wrap_text(font, self._export_message, rect.width)[:max_lines]]
        name, where = self._export_written
        lines = [(self._("Rapport écrit :"), THEME.good)]
        lines += [(part, THEME.text) for part in path_lines(font, name, rect.width, max_lines - 2)]
        where_text = self._("sur {where}")
        room = rect.width - font.size(where_text.replace("{where}", ""))[0]
        lines.append((where_text.format(where=_fit_left(font, where, room)), THEME.text_muted))
        return lines

    def _draw_export_message(self, surface: pygame.Surface) -> None:
        font, rect = self.ctx.assets.font(24), self.message_rect
        for i, (text, color) in enumerate(self.export_lines()):
            draw_text(surface, font, text, (rect.left, rect.top + i * font.get_linesize()), color)


def path_lines(font, text: str, width: int, max_lines: int) -> list[str]:
    """A file or folder name over at most max_lines lines of `width` px, broken after '-', '_', '/' or
    a space but never inside a date YYYY-MM-DD (a part wider than a line is cut anywhere); the last line
    ends with '…' if it all does not fit."""
    parts: list[str] = []
    for piece in re.findall(r"\d{4}-\d{2}-\d{2}[-_/ ]?|[^-_/ ]+[-_/ ]?|[-_/ ]", text):
        while piece and font.size(piece)[0] > width:   # one unbreakable part wider than a line
            n = len(piece)
            while n > 1 and font.size(piece[:n])[0] > width:
                n -= 1
            parts.append(piece[:n])
            piece = piece[n:]
        if piece:
            parts.append(piece)
    lines: list[str] = []
    for part in parts:
        if lines and font.size(lines[-1] + part)[0] <= width:
            lines[-1] += part
        else:
            lines.append(part)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.size(last + "…")[0] > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def _fit_left(font, text: str, width: int) -> str:
    """Cut from the left with an ellipsis: the end of a path says most (…/media/usb0)."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size("…" + text)[0] > width:
        text = text[1:]
    return "…" + text


def _fit(font, text: str, width: int) -> str:
    """Cut with an ellipsis so a long venue name never runs under the buttons."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…"


def load_station_titles() -> dict[str, str]:
    """Station id -> French title, from the registry (ids are shown when a station is not installed)."""
    try:
        return station_titles()
    except Exception:  # statistics must show even if a station package is broken
        log.exception("station titles unavailable")
        return {}
