"""Mediator page « Groupes scolaires »: start a group (level, pupils and adults, an optional class
label, a guided activity) or, while one is on, resume or end it. Never asks for pupils' names."""
from __future__ import annotations

import pygame

from kiosk.groups.activities import LEVELS
from kiosk.groups.manager import FREE_VISIT, MAX_COUNT, MAX_LABEL, clean_label
from kiosk.input import DOWN, TEXT, UP
from kiosk.ui import THEME, Button, draw_text, draw_text_block
from kiosk.content import localise
from kiosk.ui.keyboard import KeyboardView
from kiosk.ui.keys import KeyboardState

# Class names a mediator taps instead of typing; the keyboard adds the letter ("CM2" then " B").
LABEL_PRESETS: dict[str, tuple[str, ...]] = {
    "maternelle": ("PS", "MS", "GS"),
    "elementaire": ("CP", "CE1", "CE2", "CM1", "CM2"),
    "college": ("6e", "5e", "4e", "3e"),
    "lycee": ("2de", "1re", "Tle", "CAP", "BTS"),
    "autre": (),
}
REPEAT_AFTER_S, REPEAT_EVERY_S = 0.45, 0.08
DEFAULT_PUPILS, DEFAULT_ADULTS = 25, 2


class Counter:
    """A number with large − and + buttons; holding a button repeats it."""

    def __init__(self, rect: pygame.Rect, value: int, lo: int = 0, hi: int = MAX_COUNT):
        self.value, self.lo, self.hi = value, lo, hi
        self.minus = Button(pygame.Rect(rect.left, rect.top, 96, 96), "−", on_press=lambda: None)
        self.plus = Button(pygame.Rect(rect.right - 96, rect.top, 96, 96), "+", on_press=lambda: None)
        self.rect = rect
        self._held: tuple[int, float] | None = None   # (direction, seconds held)

    def handle_event(self, ev) -> bool:
        for button, step in ((self.minus, -1), (self.plus, 1)):
            if button.handle_event(ev):
                if ev.kind == DOWN:
                    self.add(step)
                    self._held = (step, 0.0)
                elif ev.kind == UP:
                    self._held = None
                return True
        if ev.kind == UP:
            self._held = None
        return False

    def add(self, step: int) -> None:
        self.value = max(self.lo, min(self.hi, self.value + step))

    def update(self, dt: float) -> None:
        if self._held is None:
            return
        step, held = self._held
        held += dt
        repeats_before = max(0, int((held - dt - REPEAT_AFTER_S) / REPEAT_EVERY_S) + 1) if held - dt >= REPEAT_AFTER_S else 0
        repeats_now = max(0, int((held - REPEAT_AFTER_S) / REPEAT_EVERY_S) + 1) if held >= REPEAT_AFTER_S else 0
        for _ in range(repeats_now - repeats_before):   # after the delay, one step every REPEAT_EVERY_S
            self.add(step)
        self._held = (step, held)

    def draw(self, surface, assets) -> None:
        self.minus.draw(surface, assets.font(60, True))
        self.plus.draw(surface, assets.font(60, True))
        draw_text(surface, assets.font(60, True), str(self.value), self.rect.center, THEME.text, "center")


class GroupsPage:
    language_switch = True   # the top-right corner is left to the chrome's language menu

    def __init__(self, ctx):
        self.ctx = ctx
        self.manager = ctx.groups
        self._ = ctx._
        self.confirm_end = False
        self.editing = False
        self.keyboard_state = KeyboardState(max_chars=MAX_LABEL)
        w, h = ctx.canvas_size
        self.portrait = h > w   # portrait: one column, activities under the class
        self.keyboard = KeyboardView(self.keyboard_state, pygame.Rect(40, 360, w - 80, 560) if self.portrait
                                     else pygame.Rect(180, 360, 1560, 560), ctx.assets)
        self.reset()

    # -- state ------------------------------------------------------------------------------------------
    def reset(self) -> None:
        self.level: str | None = None
        self.activity_id: str | None = None
        self.label = ""
        self.pupils = Counter(pygame.Rect(80, 400, 330, 96), DEFAULT_PUPILS, lo=1)
        self.adults = Counter(pygame.Rect(500, 400, 330, 96), DEFAULT_ADULTS)
        self.confirm_end = self.editing = False
        self._layout()

    def enter(self) -> None:
        self._layout()

    def exit(self) -> None:
        self.editing = False

    def _layout(self) -> None:
        w, h = self.ctx.canvas_size
        chip = (w - 160 - 4 * 15) // 5
        self.level_buttons = [(lvl, Button(pygame.Rect(80 + i * (chip + 15), 200, chip, 96), on_press=lambda l=lvl: self._pick_level(l)))
                              for i, lvl in enumerate(LEVELS)]
        presets = LABEL_PRESETS.get(self.level or "", ())
        self.preset_buttons = [(p, Button(pygame.Rect(80 + i * 152, 600, 136, 90), p, on_press=lambda p=p: self._preset(p)))
                               for i, p in enumerate(presets)]
        self.edit_button = Button(pygame.Rect(80, 710, 500, 96), on_press=self._open_keyboard)
        self.clear_button = Button(pygame.Rect(600, 710, 230, 96), on_press=lambda: setattr(self, "label", ""))
        ax, ay, aw = self.activity_origin()
        self.activity_buttons = [(a, Button(pygame.Rect(ax, ay + i * 160, aw, 146), on_press=lambda a=a: self._pick_activity(a.id)))
                                 for i, a in enumerate(self.manager.activities[:2])]
        n = len(self.activity_buttons)
        self.free_button = Button(pygame.Rect(ax, ay + n * 160, aw, 110), on_press=lambda: self._pick_activity(FREE_VISIT))
        self.start_button = Button(pygame.Rect(w - 600, h - 150, 520, 110), on_press=self._start,
                                   color=THEME.accent, text_color=THEME.on_accent)
        self.keyboard_ok = Button(pygame.Rect(w - 340, 200, 300, 100), on_press=self._close_keyboard,
                                  color=THEME.accent, text_color=THEME.on_accent)
        self.resume_button = Button(pygame.Rect(80, 620, 600, 110), on_press=self._resume,
                                    color=THEME.accent, text_color=THEME.on_accent)
        self.end_button = Button(pygame.Rect(80, 760, 600, 110) if self.portrait else pygame.Rect(740, 620, 600, 110), on_press=self._end)

    def activity_origin(self) -> tuple[int, int, int]:
        """(x, y, width) of the activity cards: a right column in landscape, under the class in portrait."""
        w, _h = self.ctx.canvas_size
        return (80, 960, w - 160) if self.portrait else (960, 400, 880)

    def _pick_level(self, level: str) -> None:
        self.level = level
        activity = self.manager.activity(self.activity_id or "")
        if activity is not None and not self.manager.offers(activity, level):
            self.activity_id = None
        self._layout()

    def _pick_activity(self, activity_id: str) -> None:
        if activity_id == FREE_VISIT:
            self.activity_id = FREE_VISIT
            return
        activity = self.manager.activity(activity_id)
        if activity is not None and (self.level is None or self.manager.offers(activity, self.level)):
            self.activity_id = activity_id

    def _preset(self, text: str) -> None:
        self.label = text
        self.keyboard_state.text = text + " "
        self._open_keyboard(keep=True)

    def _open_keyboard(self, keep: bool = False) -> None:
        if not keep:
            self.keyboard_state.text = self.label
        self.keyboard_state.shift = True
        self.editing = True

    def _close_keyboard(self) -> None:
        self.label = clean_label(self.keyboard_state.text)
        self.editing = False

    def can_start(self) -> bool:
        if self.activity_id == FREE_VISIT:
            return self.level is not None
        activity = self.manager.activity(self.activity_id or "")
        return self.level is not None and activity is not None and self.manager.offers(activity, self.level)

    def _start(self) -> None:
        if self.can_start():
            self.manager.start(self.level, self.pupils.value, self.adults.value, self.label, self.activity_id)
            self.reset()

    def _resume(self) -> None:
        self.manager.resume()

    def _end(self) -> None:
        if self.confirm_end:
            self.manager.end("mediator")
            self.reset()
        else:
            self.confirm_end = True

    # -- frame --------------------------------------------------------------------------------------------
    def handle_event(self, ev) -> bool:
        if self.editing:
            if ev.kind == TEXT and ev.text:
                self.keyboard_state.insert(ev.text)
                return True
            return self.keyboard_ok.handle_event(ev) or self.keyboard.handle_event(ev) or ev.is_pointer
        if self.manager.active:
            hit = self.resume_button.handle_event(ev) or self.end_button.handle_event(ev)
            if not hit and ev.kind == DOWN:
                self.confirm_end = False
            return hit
        buttons = [b for _, b in self.level_buttons] + [b for _, b in self.preset_buttons] + [b for _, b in self.activity_buttons]
        buttons += [self.free_button, self.edit_button, self.clear_button, self.start_button]
        return self.pupils.handle_event(ev) or self.adults.handle_event(ev) or any(b.handle_event(ev) for b in buttons)

    def update(self, dt: float) -> None:
        self.pupils.update(dt)
        self.adults.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(THEME.background)
        a, _ = self.ctx.assets, self._
        draw_text(surface, a.font(56, True), _("Groupes scolaires"), (260, 64), THEME.accent, "midleft")
        if self.editing:
            self._draw_keyboard(surface)
        elif self.manager.active:
            self._draw_active(surface)
        else:
            self._draw_form(surface)

    def _caption(self, surface, text: str, pos) -> None:
        draw_text(surface, self.ctx.assets.font(34, True), text, pos, THEME.text_muted, "midleft")

    def _draw_form(self, surface: pygame.Surface) -> None:
        a, _ = self.ctx.assets, self._
        lang = self.ctx.i18n.lang
        self._caption(surface, _("1. Niveau"), (80, 165))
        for level, button in self.level_buttons:
            button.label, button.selected = _(LEVELS[level]), level == self.level
            button.draw(surface, a.font(26 if self.portrait else 36, True))
        self._caption(surface, _("2. Élèves"), (80, 365))
        self._caption(surface, _("Adultes"), (500, 365))
        self.pupils.draw(surface, a)
        self.adults.draw(surface, a)
        self._caption(surface, _("3. Classe (facultatif)"), (80, 565))
        if not self.preset_buttons:
            draw_text(surface, a.font(28), _("Choisissez d’abord le niveau, puis la classe") if self.level is None else "",
                      (80, 645), THEME.text_muted, "midleft")
        for _p, button in self.preset_buttons:
            button.draw(surface, a.font(32, True))
        self.edit_button.label = self.label or _("Saisir un nom de classe")
        self.edit_button.icon = a.icon("keyboard", 44, THEME.text) if not self.label else None
        self.edit_button.draw(surface, a.font(36 if self.label else 30, bool(self.label)))
        self.clear_button.label = _("Effacer")
        self.clear_button.enabled = bool(self.label)
        self.clear_button.draw(surface, a.font(30))
        draw_text(surface, a.font(28), _("Par exemple « CM2 B ». Jamais de prénoms d’élèves."), (80, 840), THEME.text_muted, "midleft")

        ax, ay, _aw = self.activity_origin()
        self._caption(surface, _("4. Activité guidée"), (ax, ay - 35))
        for activity, button in self.activity_buttons:
            offered = self.level is None or self.manager.offers(activity, self.level)
            button.enabled, button.selected = offered, activity.id == self.activity_id
            button.draw(surface, a.font(30))
            r = button.rect
            icon = a.icon(activity.icon, 80, THEME.accent if offered else THEME.text_muted)
            surface.blit(icon, icon.get_rect(midleft=(r.left + 30, r.centery)))
            draw_text(surface, a.font(40, True), localise(activity.title, lang), (r.left + 140, r.top + 38), THEME.text if offered else THEME.text_muted, "midleft")
            note = localise(activity.summary, lang)
            missing = self.manager.missing_stations(activity)
            if missing:
                note = _("Station absente de ce kiosque : {ids}").format(ids=", ".join(missing))
            elif not offered:
                note = _("Pas prévue pour ce niveau")
            draw_text_block(surface, a.font(28), note, pygame.Rect(r.left + 140, r.top + 68, r.width - 170, 80), THEME.text_muted)
        self.free_button.selected = self.activity_id == FREE_VISIT
        self.free_button.draw(surface, a.font(30))
        r = self.free_button.rect
        icon = a.icon("walk", 64, THEME.accent)
        surface.blit(icon, icon.get_rect(midleft=(r.left + 38, r.centery)))
        draw_text(surface, a.font(36, True), _("Visite libre"), (r.left + 140, r.centery - 20), THEME.text, "midleft")
        draw_text(surface, a.font(28), _("Sans activité guidée : le groupe est compté"),
                  (r.left + 140, r.centery + 22), THEME.text_muted, "midleft")
        if not self.manager.activities:
            draw_text(surface, a.font(32), _("Aucune activité disponible (voir kiosk check-config)"), (ax, ay + 50), THEME.warn, "midleft")
        self.start_button.label = _("Démarrer le groupe")
        self.start_button.enabled = self.can_start()
        self.start_button.draw(surface, a.font(40, True))
        if not self.can_start():
            hint = _("Choisissez un niveau") if self.level is None else _("Choisissez une activité")
            draw_text(surface, a.font(30), hint, (self.start_button.rect.left - 30, self.start_button.rect.centery), THEME.text_muted, "midright")

    def _draw_active(self, surface: pygame.Surface) -> None:
        a, _ = self.ctx.assets, self._
        m = self.manager
        g, runner = m.group, m.runner
        activity = m.activity(g.activity)
        minutes = int(max(0.0, self.ctx.clock() - g.started) // 60)
        lines = [
            (m.banner, 52, True, THEME.text),
            (_("{pupils} élèves, {adults} adultes").format(pupils=g.pupils, adults=g.adults), 38, False, THEME.text),
            (_("Activité : {title}").format(title=localise(activity.title, self.ctx.i18n.lang) if activity else _("Visite libre")), 38, False, THEME.text),
            (_("Exploration libre") if runner is None else _("Résultats affichés") if runner.at_results else
             _("Étape {n} sur {total}").format(n=runner.index + 1, total=len(runner.steps)), 38, False, THEME.text_muted),
            (_("Commencé il y a {n} min").format(n=minutes), 38, False, THEME.text_muted),
        ]
        y = 200
        for text, size, bold, color in lines:
            draw_text(surface, a.font(size, bold), text, (80, y), color, "midleft")
            y += 70 if size > 40 else 58
        self.resume_button.label = _("Reprendre l’activité")
        self.resume_button.enabled = not m.done
        self.resume_button.draw(surface, a.font(38, True))
        self.end_button.label = _("Confirmer : terminer le groupe") if self.confirm_end else _("Terminer le groupe")
        self.end_button.color = THEME.bad if self.confirm_end else THEME.surface
        self.end_button.draw(surface, a.font(38, True))
        note_y = self.end_button.rect.bottom + 40 if self.portrait else 790   # portrait: under the button
        draw_text(surface, a.font(30), _("Le groupe se termine aussi tout seul à la fermeture."), (80, note_y), THEME.text_muted, "midleft")

    def _draw_keyboard(self, surface: pygame.Surface) -> None:
        a, _ = self.ctx.assets, self._
        w, _h = self.ctx.canvas_size
        field = pygame.Rect(40, 200, w - 420, 100) if self.portrait else pygame.Rect(180, 200, 1100, 100)
        pygame.draw.rect(surface, THEME.surface, field, border_radius=THEME.radius)
        text = self.keyboard_state.text
        draw_text(surface, a.font(56, True), text + "|", (field.left + 30, field.centery), THEME.text, "midleft")
        self.keyboard_ok.label = _("Valider")
        self.keyboard_ok.draw(surface, a.font(40, True))
        draw_text(surface, a.font(28), _("Le nom de la classe seulement (12 caractères), jamais de prénoms d’élèves."),
                  (180, 310), THEME.text_muted, "midleft")
        self.keyboard.draw(surface)
