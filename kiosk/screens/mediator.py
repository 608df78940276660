"""Mediator mode: the PIN pad and the admin menu. Pages from the runtime and from stations
(statistics, sensors, moderation, upload, school groups) open full screen from the menu."""
from __future__ import annotations

import importlib
import logging

import pygame

from kiosk.context import RuntimeContext
from kiosk.i18n import N_
from kiosk.screens.base import Screen
from kiosk.screens.clock_warning import MARGIN as WARNING_MARGIN
from kiosk.screens.clock_warning import band_height, clock_warning, draw_clock_warning
from kiosk.screens.storage_alarm import alarm_lines, draw_storage_alarm
from kiosk.storage import StorageStatus, storage_status
from kiosk.store.stats import sessions_started_since
from kiosk.ui import THEME, Button, draw_text

log = logging.getLogger(__name__)
CLOCK_LOOK_S = 2.0      # the wall clock's state is looked at this often while the menu shows

# Runtime pages: key -> (French title, "module:Class"); stations add theirs via Station.mediator_pages.
RUNTIME_PAGES: dict[str, tuple[str, str]] = {
    "statistics": ("Statistiques", "kiosk.screens.statistics:StatisticsPage"),
    "groups": ("Groupes scolaires", "kiosk.screens.groups:GroupsPage"),
    "sensors": ("Capteurs", "kiosk.screens.sensors:SensorsPage"),
    "sync": ("Envoi des données", "kiosk.screens.sync_page:SyncPage"),
}


def load_page_class(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


class PinPadScreen(Screen):
    """Digits, erase, OK; locked for a while after too many wrong PINs."""

    def __init__(self, ctx: RuntimeContext):
        super().__init__(ctx)
        self.digits = ""
        self.message = ""
        w, h = ctx.canvas_size
        size, gap = 130, 24
        left = w // 2 - (3 * size + 2 * gap) // 2
        top = h // 2 - 250
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "erase", "0", "OK"]
        self.keys: list[Button] = []
        for i, label in enumerate(labels):
            rect = pygame.Rect(left + (i % 3) * (size + gap), top + (i // 3) * (size + gap), size, size)
            icon = ctx.assets.icon("backspace", 64, THEME.text) if label == "erase" else None
            self.keys.append(Button(rect, "" if icon else label, on_press=lambda k=label: self._press(k), icon=icon,
                                    color=THEME.accent if label == "OK" else THEME.surface,
                                    text_color=THEME.on_accent if label == "OK" else THEME.text))
        self.cancel = Button(pygame.Rect(w // 2 - 160, top + 4 * (size + gap) + 10, 320, 96), "", on_press=ctx.nav.close_mediator)

    def enter(self) -> None:
        self.digits, self.message = "", ""

    def _press(self, key: str) -> None:
        guard = self.ctx.pin_guard
        if guard.locked_for() > 0:
            return
        if key == "erase":
            self.digits = self.digits[:-1]
        elif key == "OK":
            ok = guard.try_pin(self.digits)
            self.ctx.recorder.record("mediator.login", {"ok": ok})
            self.digits = ""
            if ok:
                self.ctx.nav.open_mediator_menu()
            else:
                self.message = self._("Code incorrect")
        elif len(self.digits) < 12:
            self.digits += key

    def handle_event(self, ev) -> bool:
        for button in [*self.keys, self.cancel]:
            if button.handle_event(ev):
                return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(THEME.background)
        font = self.ctx.assets.font(48, True)
        draw_text(surface, font, self._("Espace médiation"), (w / 2, 90), THEME.text, "center")
        locked = self.ctx.pin_guard.locked_for()
        if locked > 0:
            minutes = int(locked // 60) + 1
            text = self._("Trop d’essais : réessayez dans {n} min").format(n=minutes)
            draw_text(surface, self.ctx.assets.font(36), text, (w / 2, 170), THEME.warn, "center")
        else:
            if self.digits:  # one dot per digit typed, never the digits
                n = len(self.digits)
                for i in range(n):
                    pygame.draw.circle(surface, THEME.text, (round(w / 2 + (i - (n - 1) / 2) * 44), 170), 13)
            else:
                draw_text(surface, self.ctx.assets.font(40), self._("Code"), (w / 2, 170), THEME.text_muted, "center")
            if self.message:
                draw_text(surface, self.ctx.assets.font(32), self.message, (w / 2, 225), THEME.bad, "center")
        for button in self.keys:
            button.enabled = locked <= 0
            button.draw(surface, self.ctx.assets.font(56, True))
        self.cancel.label = self._("Annuler")
        self.cancel.draw(surface, self.ctx.assets.font(36))


class MediatorMenu(Screen):
    """The admin menu: today's sessions, end the session, restart a station, pages, quit."""

    def __init__(self, ctx: RuntimeContext):
        super().__init__(ctx)
        self.page = None
        self.page_key = ""
        self.confirm_quit = False
        self.restart_list = False
        self.sessions_today: int | None = None
        self.storage = StorageStatus()
        self._future = None
        self.buttons: list[Button] = []
        self.sources: list[str] = []
        self.clock = ctx.recorder.clock.state()
        self._clock_looked = 0.0
        self.back = Button(pygame.Rect(120, 16, 96, 96), "", on_press=self.close_page,
                           icon=ctx.assets.icon("arrow-left", 56, THEME.text))

    def describe(self) -> str:
        """For « Écouter »: the menu, and the disk's alarm and the clock's warning when there are (never only
        seen)."""
        alarm = alarm_lines(self.storage, self.ctx.i18n, wall="wall" in self.ctx.config.stations)
        return " ".join([self._("Espace médiation") + ".", *(alarm or ()), *clock_warning(self.ctx, self.clock)])

    def language_corner_free(self) -> bool:
        """The chrome's language menu shows on the menu, and on the pages that leave it the top-right corner
        (class attribute `language_switch = True`)."""
        return self.page is None or bool(getattr(self.page, "language_switch", False))

    def pages(self) -> dict[str, tuple[str, str]]:
        pages = dict(RUNTIME_PAGES)
        for sid in self.ctx.stations.menu():
            pages.update(getattr(self.ctx.stations.station_class(sid), "mediator_pages", {}))
        return pages

    def enter(self) -> None:
        self.page = None
        self.confirm_quit = self.restart_list = False
        self._future = self.ctx.reader.submit(self._count_sessions_today)
        self.clock = self.ctx.recorder.clock.state()
        self._layout()

    def _count_sessions_today(self, conn) -> int:
        midnight = self.ctx.now().replace(hour=0, minute=0, second=0, microsecond=0)
        return sessions_started_since(conn, midnight)

    def _layout(self) -> None:
        w, h = self.ctx.canvas_size
        col_w, bh, gap = 560, 96, 18
        x, y = 60, (160 if w > h else 180)   # portrait: the session line sits under the title
        actions: list[tuple[str, object]] = []
        if self.restart_list:
            for sid in self.ctx.stations.menu():
                actions.append((self.ctx.stations.station_class(sid).title, lambda s=sid: self._restart(s)))
            actions.append(("Retour", self._toggle_restart))
        else:
            actions += [("Terminer la session en cours", self._end_session),
                        ("Redémarrer une activité", self._toggle_restart)]
            # The venue's setting decides the button, not whether the mixer is open yet: the menu's
            # layout is the same whenever it is read (a script's taps are written from it).
            if self.ctx.access.config.sound.enabled:
                sound = self.ctx.access.sound
                muted = sound is not None and sound.muted
                actions.append((N_("Son : coupé (toucher pour le remettre)") if muted else N_("Couper le son"),
                                self._toggle_mute))
            for key, (title, _spec) in self.pages().items():
                actions.append((title, lambda k=key: self.open_page(k)))
            actions.append(("Confirmer : quitter" if self.confirm_quit else "Quitter le kiosque", self._quit))
            actions.append(("Retour aux visiteurs", self.ctx.nav.close_mediator))
        warning = 0 if self.clock.trusted else \
            band_height(self.ctx, clock_warning(self.ctx, self.clock), w) + WARNING_MARGIN
        per_col = max(1, (h - y - 40 - warning) // (bh + gap))
        self.buttons = []
        self.sources = [label for label, _ in actions]
        for i, (label, fn) in enumerate(actions):
            col, row = divmod(i, per_col)
            rect = pygame.Rect(x + col * (col_w + 40), y + row * (bh + gap), col_w, bh)
            self.buttons.append(Button(rect, label, on_press=fn))

    def _toggle_mute(self) -> None:
        """The mediator's mute: sounds stop until they unmute or the kiosk restarts; speech a visitor
        asks for still plays (it is their headphones' or the speaker's, at the speech level)."""
        sound = self.ctx.access.sound
        if sound is not None:
            sound.muted = not sound.muted
        self._layout()

    def _end_session(self) -> None:
        self.ctx.nav.end_visit("mediator")

    def _toggle_restart(self) -> None:
        self.restart_list = not self.restart_list
        self._layout()

    def _restart(self, sid: str) -> None:
        self.ctx.nav.restart_station(sid)
        self.restart_list = False
        self._layout()

    def _quit(self) -> None:
        if self.confirm_quit:
            self.ctx.nav.request_stop("mediator")
        else:
            self.confirm_quit = True
            self._layout()

    def open_page(self, key: str) -> None:
        title, spec = self.pages()[key]
        try:
            cls = load_page_class(spec)
            self.page = cls(self.ctx.nav.page_context(key))
            self.page_key = key
            if hasattr(self.page, "reset"):
                self.page.reset()
            if hasattr(self.page, "enter"):
                self.page.enter()
        except Exception as exc:
            log.exception("mediator page %s failed to open", key)
            self.ctx.errors.report(f"mediator.{key}", exc)
            self.page = None

    def close_page(self) -> None:
        if self.page is not None and hasattr(self.page, "exit"):
            self.ctx.guard(f"mediator.{self.page_key}", self.page.exit)
        self.page = None
        self.enter()

    def handle_event(self, ev) -> bool:
        if self.page is not None:
            if self.back.handle_event(ev):
                return True
            return bool(self.ctx.guard(f"mediator.{self.page_key}", self.page.handle_event, ev, on_error=self.close_page))
        return any(b.handle_event(ev) for b in self.buttons)

    def update(self, dt: float) -> None:
        storage = storage_status(self.ctx.storage, self.ctx.recorder)
        if storage != self.storage:
            self.storage = storage
            self.invalidate()
        if self.page is not None:
            self.ctx.guard(f"mediator.{self.page_key}", self.page.update, dt, on_error=self.close_page)
        if self._future is not None and self._future.done():
            try:
                self.sessions_today = self._future.result()
            except Exception:
                log.exception("counting today's sessions failed")
            self._future = None
        self._clock_looked += dt
        if self._clock_looked >= CLOCK_LOOK_S:
            self._clock_looked = 0.0
            trusted = self.clock.trusted
            self.clock = self.ctx.recorder.clock.state()
            if self.clock.trusted != trusted:
                self._layout()

    def draw(self, surface: pygame.Surface) -> None:
        if self.page is not None:
            self.ctx.guard(f"mediator.{self.page_key}", self.page.draw, surface, on_error=self.close_page)
            self.back.draw(surface, self.ctx.assets.font(32))
            return
        w, h = surface.get_size()
        surface.fill(THEME.background)
        draw_text(surface, self.ctx.assets.font(56, True), self._("Espace médiation"), (60, 80), THEME.accent, "midleft")
        info = self._("Sessions aujourd’hui : {n}").format(n="…" if self.sessions_today is None else self.sessions_today)
        active = self._("Session en cours") if self.ctx.nav.visit.active else self._("Aucune session en cours")
        # Left of the chrome's language menu; on a narrow (portrait) screen, under the title.
        font, text = self.ctx.assets.font(36), f"{info}   ·   {active}"
        right = w - 252
        if right - font.size(text)[0] >= 60 + self.ctx.assets.font(56, True).size(self._("Espace médiation"))[0] + 40:
            draw_text(surface, font, text, (right, 80), THEME.text, "midright")
        else:
            draw_text(surface, self.ctx.assets.font(30), text, (60, 132), THEME.text, "midleft")
        for b, source in zip(self.buttons, self.sources):
            b.label = self._(source)
            b.draw(surface, self.ctx.assets.font(34))
        draw_storage_alarm(surface, self.ctx.assets, self.ctx.i18n, self.storage, self.notice_area(),
                           wall="wall" in self.ctx.config.stations)
        if not self.clock.trusted:
            draw_clock_warning(surface, self.ctx, clock_warning(self.ctx, self.clock), h - WARNING_MARGIN // 2)

    def notice_area(self) -> pygame.Rect:
        """Beside the buttons where a column is free (landscape), else under them (portrait); above the
        clock's warning band when there is one."""
        w, h = self.ctx.canvas_size
        if not self.clock.trusted:
            h -= band_height(self.ctx, clock_warning(self.ctx, self.clock), w) + WARNING_MARGIN
        right = max((b.rect.right for b in self.buttons), default=0)
        top = min((b.rect.top for b in self.buttons), default=160)
        if w - right - 100 >= 480:
            return pygame.Rect(right + 40, top, w - right - 100, h - top - 40)
        bottom = max((b.rect.bottom for b in self.buttons), default=top) + 30
        return pygame.Rect(60, bottom, w - 120, h - bottom - 40)
