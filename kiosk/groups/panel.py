"""Drawn over other screens while a group is on: the strip over the step's station (what to do, the
live goal, try again / next) and the pill that brings the group back to its activity."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.access.reach import Reach
from kiosk.groups.results import format_value
from kiosk.input import DOWN, UP
from kiosk.screens.names import ScreenName
from kiosk.ui import THEME, Button, draw_text, draw_text_block, wrap_text
from kiosk.content import localise

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.groups.manager import GroupManager



def panel_rect(canvas: tuple[int, int], reach: Reach | None = None) -> pygame.Rect:
    """Landscape: the stations' title band, between the chrome's home button and its language switch,
    ending above y = 124 where every station's content begins (crowd: 128, traffic: 124). The panel
    stands in for the station's title while a step is on. Portrait: the band is too narrow for a goal
    and its buttons, so the panel takes the full width: over the title at the top when `reach` brings the
    chrome's row lower down (a totem, kiosk.chrome.chrome_top), else just under that row. A station's
    portrait layout keeps its read-outs under the panel (stations/traffic/layout.py)."""
    w, h = canvas
    if w >= h:
        return pygame.Rect(236, 6, w - 490, 114)
    top = 0 if reach is not None and reach.band()[0] > PORTRAIT_PANEL_H else 120
    return pygame.Rect(16, top, w - 32, PORTRAIT_PANEL_H)


PORTRAIT_PANEL_H = 150
PANEL = panel_rect((1920, 1080))
SIDE_W = 132          # the left column: the step's pictogram and the group's label
BUTTON_W = 210
READING_GAP = 36


class StationPanel:
    """The strip over a station during an explore or challenge step: what to do, the live goal, and
    buttons to try again or move on. Event handling returns True only for touches on the strip."""

    def __init__(self, manager: "GroupManager"):
        self.m = manager
        self.ctx = manager.ctx
        self.rect = panel_rect(manager.ctx.canvas_size, manager.ctx.access.reach)
        x, y, w, h = self.rect
        self.retry = Button(pygame.Rect(x + w - 2 * BUTTON_W - 20, y + 10, BUTTON_W, h - 20), on_press=manager.retry,
                            color=THEME.surface_hi)
        self.next = Button(pygame.Rect(x + w - BUTTON_W - 10, y + 10, BUTTON_W, h - 20), on_press=manager.next_step,
                           color=THEME.accent, text_color=THEME.on_accent)

    def can_retry(self) -> bool:
        """« Réessayer » once the attempt is decided, or already lost (its clock is past the limit)."""
        step, tracker = self.m.runner.step, self.m.tracker
        return (step is not None and step.kind == "challenge" and tracker is not None
                and (tracker.result is not None or tracker.hopeless))

    def handle_event(self, ev) -> bool:
        if not ev.is_pointer:
            return False
        # before a verdict the station's own restart button is enough; after it, « Réessayer » restarts the preset
        buttons = [self.next] + ([self.retry] if self.can_retry() else [])
        if any(b.handle_event(ev) for b in buttons):
            return True
        return ev.kind in (DOWN, UP) and self.rect.collidepoint(ev.pos)   # the strip itself is not the station

    def draw(self, surface: pygame.Surface) -> None:
        a, _ = self.ctx.assets, self.ctx.i18n.gettext
        panel = self.rect
        lang, runner = self.ctx.i18n.lang, self.m.runner
        step = runner.step
        tracker = self.m.tracker
        result = tracker.result if tracker is not None else None
        color = THEME.surface if result is None else (THEME.good if result.success else THEME.warn)
        pygame.draw.rect(surface, color, panel, border_radius=THEME.radius)
        pygame.draw.rect(surface, THEME.accent, panel, width=3, border_radius=THEME.radius)
        fg = THEME.text if result is None else THEME.on_accent
        self._side(surface, step, pygame.Rect(panel.left + 8, panel.top + 6, SIDE_W - 16, panel.height - 12),
                   THEME.accent if result is None else fg, THEME.text_muted if result is None else fg)
        retry = self.can_retry()
        box = self.text_box(retry)
        if step.kind == "explore":
            self._text(surface, step.pick("text", runner.variant, lang), box, fg)
        elif result is not None:
            self._result(surface, step, result, box, fg)
        else:
            goal = step.goal(runner.variant)
            font, rows = self._rows(self._readings(step, goal, tracker), box.width, box.height)
            line = font.get_linesize()
            # beside « Réessayer » on a portrait screen the goal may have to get small: the readings matter more then
            self._text(surface, localise(goal.text, lang), pygame.Rect(box.left, box.top, box.width, box.height - line * len(rows)),
                       fg, size=30, smallest=18)
            for k, row in enumerate(rows):
                x = box.left
                for text, color in row:
                    x = draw_text(surface, font, text, (x, box.bottom - line * (len(rows) - k)), color, "topleft").right + READING_GAP
        if retry:
            self.retry.label = _("Réessayer")
            self.retry.draw(surface, a.font(30, True))
        self.next.label = _("Suivant")
        self.next.draw(surface, a.font(34, True))

    def text_box(self, retry: bool) -> pygame.Rect:
        """Between the left column and the buttons."""
        panel = self.rect
        right = (self.retry.rect.left if retry else self.next.rect.left) - 16
        return pygame.Rect(panel.left + SIDE_W, panel.top + 8, right - panel.left - SIDE_W, panel.height - 16)

    def _side(self, surface, step, box: pygame.Rect, icon_color, text_color) -> None:
        """The step's pictogram, and under it the group's label: the chrome's banner has no room here."""
        a = self.ctx.assets
        icon = a.icon("target" if step.kind == "challenge" else step.icon, 48, icon_color)
        surface.blit(icon, icon.get_rect(midtop=(box.centerx, box.top + 2)))
        y = box.top + 58
        for k, line in enumerate(self.m.label_lines()):
            size = 21 if k == 0 else 19
            font = a.font(size, k == 0)
            while font.size(line)[0] > box.width and size > 14:
                size -= 1
                font = a.font(size, k == 0)
            draw_text(surface, font, line, (box.centerx, y), text_color, "midtop")
            y += size + 4

    def _text(self, surface, text: str, box: pygame.Rect, color, size: int = 32, smallest: int = 22) -> None:
        """The largest size (`smallest` at least) at which the wrapped text fits the box's height."""
        font = self.ctx.assets.font(size)
        while size > smallest and len(wrap_text(font, text, box.width)) * round(font.get_linesize() * 1.05) > box.height:
            size -= 1
            font = self.ctx.assets.font(size)
        draw_text_block(surface, font, text, box, color, line_spacing=1.05)

    def _result(self, surface, step, result, box: pygame.Rect, fg) -> None:
        a, _ = self.ctx.assets, self.ctx.i18n.gettext
        if result.value is None:
            value = _("trop long")
        else:
            value = format_value(result.value, step.unit, self.ctx.i18n.lang, step.score_limits(self.m.runner.variant))
        title = _("Bravo, objectif atteint !") if result.success else _("Pas encore… essayez autre chose !")
        size = 44                                # one line, as large as fits beside the buttons
        while size > 26 and a.font(size, True).size(title)[0] > box.width:
            size -= 2
        draw_text_block(surface, a.font(size, True), title, pygame.Rect(box.left, box.top, box.width, box.height - 44), fg,
                        line_spacing=1.0)
        draw_text(surface, a.font(34), _("Score : {value}").format(value=value), (box.left, box.bottom - 20), fg, "midleft")

    def _readings(self, step, goal, tracker) -> list[tuple[str, tuple[int, int, int]]]:
        """One reading per condition: the metric's value against its target, green when it holds. A
        value still unknown shows its live clock (`live` in the goal), in orange once past the limit."""
        lang, _ = self.ctx.i18n.lang, self.ctx.i18n.gettext
        values = tracker.values if tracker is not None else {}
        cls = self.ctx.stations.classes.get(step.station)
        descriptions = getattr(cls, "metrics", {}) or {}
        parts: list[tuple[str, tuple[int, int, int]]] = []
        for cond in goal.conditions:
            value = values.get(cond.metric)
            name = localise(cond.label, lang) if cond.label else _(descriptions.get(cond.metric, cond.metric))
            target = format_value(cond.value, "", lang)
            # words, not ≤ / ≥: pupils read them aloud (and the kiosk font has no such glyphs)
            goal_text = {"max": _("{v} max"), "min": _("{v} min"), "equals": _("objectif {v}")}[cond.op].format(v=target)
            watched = goal.check != "hold" or tracker is None or tracker.armed   # green only once it counts
            live = values.get(cond.live) if cond.live and value is None else None
            if tracker is not None and tracker.passed(cond):
                text = _("{name} : {value} / {goal}").format(name=name, value=format_value(live, "", lang, (cond.value,)),
                                                             goal=goal_text)
                parts += [(text, THEME.warn), (_("limite dépassée"), THEME.warn)]
                continue
            if value is not None:
                shown = format_value(value, "", lang, (cond.value,))
            elif live is not None:
                shown = format_value(live, "", lang)
            else:
                shown = _("en cours")
            text = _("{name} : {value} / {goal}").format(name=name, value=shown, goal=goal_text)
            parts.append((text, THEME.good if cond.holds(value) and watched else THEME.text_muted))
        if goal.check == "hold" and tracker is not None:
            seconds = int(max(0.0, goal.hold_s - tracker.held) + 0.999)
            if tracker.elapsed < goal.after_s or (goal.after_unmet and not tracker.armed):
                parts.append((_("Observez…"), THEME.accent))
            elif tracker.held > 0:
                parts.append((_("Tenez encore {s} s").format(s=seconds), THEME.accent))
            else:
                parts.append((_("À tenir {s} s d’affilée").format(s=seconds), THEME.accent))
        return parts

    def _rows(self, parts, width: int, height: int):
        """The readings at the largest size (28 px down to 18) on as few lines as fit the width, never
        taking more than half the height: the goal's text keeps the other half."""
        a = self.ctx.assets
        for rows_max in (1, 2, 3):
            for size in range(28, 17, -1):
                font = a.font(size, True)
                rows: list[list] = [[]]
                used = 0
                for part in parts:
                    w = font.size(part[0])[0]
                    if rows[-1] and used + READING_GAP + w > width:
                        rows.append([])
                        used = 0
                    used += (READING_GAP if rows[-1] else 0) + w
                    rows[-1].append(part)
                if len(rows) <= rows_max and len(rows) * font.get_linesize() <= height // 2:
                    return font, rows
        return font, rows


class ResumePill:
    """Shown on other screens while an activity is under way: one tap brings the group back."""

    def __init__(self, manager: "GroupManager"):
        self.m = manager
        w, h = manager.ctx.canvas_size
        self.button = Button(pygame.Rect(w // 2 - 300, h - 130, 600, 100), on_press=manager.resume,
                             color=THEME.accent, text_color=THEME.on_accent)

    def handle_event(self, ev) -> bool:
        return self.button.handle_event(ev)

    def draw(self, surface: pygame.Surface) -> None:
        self.button.label = self.m.ctx.i18n.gettext("Reprendre l’activité du groupe")
        self.button.draw(surface, self.m.ctx.assets.font(36, True))


class GroupOverlay:
    """What the chrome shows of a group over the screens: the panel over the step's station, the pill
    that resumes the activity elsewhere, or nothing."""

    HIDDEN_ON = frozenset({ScreenName.GROUP, ScreenName.CLOSED, ScreenName.PIN, ScreenName.MEDIATOR})

    def __init__(self, manager: "GroupManager"):
        self.m = manager
        self._panel: StationPanel | None = None
        self._pill: ResumePill | None = None

    def current(self) -> "StationPanel | ResumePill | None":
        m, nav = self.m, self.m.nav
        if m.runner is None or nav.in_mediator or nav.screen_name in self.HIDDEN_ON:
            return None
        if m.on_step_station():
            self._panel = self._panel or StationPanel(m)
            return self._panel
        if m.done:
            return None
        self._pill = self._pill or ResumePill(m)
        return self._pill

    def handle_event(self, ev) -> bool:
        overlay = self.current()
        return bool(overlay is not None and overlay.handle_event(ev))

    def draw(self, surface) -> None:
        overlay = self.current()
        if overlay is not None:
            overlay.draw(surface)
