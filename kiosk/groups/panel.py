"""Drawn over other screens while a group is on: the strip over the step's station (what to do, the
live goal, try again / next) and the pill that brings the group back to its activity."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.groups.results import format_value
from kiosk.input import DOWN, UP
from kiosk.ui import THEME, Button, draw_text, draw_text_block, wrap_text
from kiosk.content import localise

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.groups.manager import GroupManager



def panel_rect(canvas: tuple[int, int]) -> pygame.Rect:
    """Landscape: between the chrome's home button and its language switch. Portrait: the full width
    just under them (the top band is too narrow there)."""
    w, h = canvas
    if w >= h:
        return pygame.Rect(236, 8, w - 490, 128)
    return pygame.Rect(16, 120, w - 32, 150)


PANEL = panel_rect((1920, 1080))


class StationPanel:
    """The strip over a station during an explore or challenge step: what to do, the live goal, and
    buttons to try again or move on. Event handling returns True only for touches on the strip."""

    def __init__(self, manager: "GroupManager"):
        self.m = manager
        self.app = manager.app
        self.rect = panel_rect(manager.app.canvas_size)
        x, y, w, h = self.rect
        self.retry = Button(pygame.Rect(x + w - 480, y + 16, 220, h - 32), on_press=manager.retry, color=THEME.surface_hi)
        self.next = Button(pygame.Rect(x + w - 240, y + 16, 220, h - 32), on_press=manager.next_step,
                           color=THEME.accent, text_color=THEME.on_accent)

    def handle_event(self, ev) -> bool:
        if not ev.is_pointer:
            return False
        step = self.m.runner.step
        decided = self.m.tracker is not None and self.m.tracker.result is not None
        # before a result the station's own restart button is enough; after it, « Réessayer » restarts the preset
        buttons = [self.next] + ([self.retry] if step is not None and step.kind == "challenge" and decided else [])
        if any(b.handle_event(ev) for b in buttons):
            return True
        return ev.kind in (DOWN, UP) and self.rect.collidepoint(ev.pos)   # the strip itself is not the station

    def draw(self, surface: pygame.Surface) -> None:
        a, _ = self.app.assets, self.app.i18n.gettext
        panel = self.rect
        lang, runner = self.app.i18n.lang, self.m.runner
        step = runner.step
        tracker = self.m.tracker
        result = tracker.result if tracker is not None else None
        color = THEME.surface if result is None else (THEME.good if result.success else THEME.warn)
        shade = pygame.Surface(panel.size, pygame.SRCALPHA)
        shade.fill((*color, 255))
        pygame.draw.rect(shade, (*THEME.accent, 255), shade.get_rect(), width=3, border_radius=THEME.radius)
        surface.blit(shade, panel.topleft)
        fg = THEME.text if result is None else THEME.on_accent
        left = panel.left + 24
        text_w = panel.width - (520 if result is not None else 290)
        icon = a.icon("target" if step.kind == "challenge" else step.icon, 56, THEME.accent if result is None else fg)
        surface.blit(icon, icon.get_rect(midleft=(left, panel.centery)))
        box = pygame.Rect(left + 76, panel.top + 10, text_w - 76, panel.height - 20)
        if step.kind == "explore":
            self._text(surface, step.pick("text", runner.variant, lang), box, fg, lines=3)
        elif result is not None:
            self._result(surface, step, result, box, fg)
        else:
            goal = step.goal(runner.variant)
            self._text(surface, localise(goal.text, lang), pygame.Rect(box.left, box.top, box.width, 72), fg, lines=2, size=30)
            self._live(surface, step, goal, tracker, pygame.Rect(box.left, box.bottom - 30, box.width, 30))
        if step.kind == "challenge" and result is not None:
            self.retry.label = _("Réessayer")
            self.retry.draw(surface, a.font(30, True))
        self.next.label = _("Suivant")
        self.next.draw(surface, a.font(34, True))

    def _text(self, surface, text: str, box: pygame.Rect, color, lines: int, size: int = 32) -> None:
        font = self.app.assets.font(size)
        while len(wrap_text(font, text, box.width)) > lines and size > 22:
            size -= 2
            font = self.app.assets.font(size)
        draw_text_block(surface, font, text, box, color, line_spacing=1.1)

    def _result(self, surface, step, result, box: pygame.Rect, fg) -> None:
        a, _ = self.app.assets, self.app.i18n.gettext
        value = format_value(result.value, step.unit, self.app.i18n.lang)
        title = _("Bravo, objectif atteint !") if result.success else _("Pas encore… essayez autre chose !")
        draw_text(surface, a.font(44, True), title, (box.left, box.top + 30), fg, "midleft")
        draw_text(surface, a.font(34), _("Score : {value}").format(value=value), (box.left, box.top + 80), fg, "midleft")

    def _live(self, surface, step, goal, tracker, box: pygame.Rect) -> None:
        """One reading per condition: the metric's value against its target, green when it holds."""
        a, lang, _ = self.app.assets, self.app.i18n.lang, self.app.i18n.gettext
        values = tracker.values if tracker is not None else {}
        cls = self.app.classes.get(step.station)
        descriptions = getattr(cls, "metrics", {}) or {}
        parts: list[tuple[str, tuple[int, int, int]]] = []
        for cond in goal.conditions:
            value = values.get(cond.metric)
            name = localise(cond.label, lang) if cond.label else _(descriptions.get(cond.metric, cond.metric))
            target = format_value(cond.value, "", lang)
            # words, not ≤ / ≥: pupils read them aloud (and the kiosk font has no such glyphs)
            goal_text = {"max": _("{v} max"), "min": _("{v} min"), "equals": _("objectif {v}")}[cond.op].format(v=target)
            shown = format_value(value, "", lang) if value is not None else _("en cours")
            watched = goal.check != "hold" or tracker is None or tracker.armed   # green only once it counts
            text = _("{name} : {value} / {goal}").format(name=name, value=shown, goal=goal_text)
            parts.append((text, THEME.good if cond.holds(value) and watched else THEME.text_muted))
        if goal.check == "hold" and tracker is not None:
            left = max(0.0, goal.hold_s - tracker.held)
            waiting = tracker.elapsed < goal.after_s or (goal.after_unmet and not tracker.armed)
            parts.append((_("Observez…") if waiting else _("Tenez encore {s} s").format(s=int(left + 0.999)), THEME.accent))
        size, gap = 28, 36
        font = a.font(size, True)
        while size > 20 and sum(font.size(t)[0] for t, _c in parts) + gap * (len(parts) - 1) > box.width:
            size -= 2
            font = a.font(size, True)
        x = box.left
        for text, color in parts:
            x = draw_text(surface, font, text, (x, box.centery), color, "midleft").right + gap


class ResumePill:
    """Shown on other screens while an activity is under way: one tap brings the group back."""

    def __init__(self, manager: "GroupManager"):
        self.m = manager
        w, h = manager.app.canvas_size
        self.button = Button(pygame.Rect(w // 2 - 300, h - 130, 600, 100), on_press=manager.resume,
                             color=THEME.accent, text_color=THEME.on_accent)

    def handle_event(self, ev) -> bool:
        return self.button.handle_event(ev)

    def draw(self, surface: pygame.Surface) -> None:
        self.button.label = self.m.app.i18n.gettext("Reprendre l'activité du groupe")
        self.button.draw(surface, self.m.app.assets.font(36, True))
