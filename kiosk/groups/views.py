"""What a group sees full screen: the steps without a station (instruction, quiz) and the results, as
a runtime screen named "group". Texts come from the activity file in the kiosk's language; the strip
over a station is in panel.py."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.groups.activity import LEVELS
from kiosk.groups.results import format_value
from kiosk.screens.base import Screen
from kiosk.ui import THEME, Button, draw_text, draw_text_block, wrap_text
from kiosk.content import localise
from kiosk.ui.qr import qr_surface

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.groups.manager import GroupManager



class StepScreen(Screen):
    """One full-screen step of the running activity; the manager builds a new one per step."""

    def __init__(self, manager: "GroupManager"):
        super().__init__(manager.ctx)
        self.m = manager
        self.runner = manager.runner
        self.index = self.runner.index
        w, h = self.ctx.canvas_size
        self.next_button = Button(pygame.Rect(w // 2 - 260, h - 170, 520, 116), on_press=manager.next_step,
                                  color=THEME.accent, text_color=THEME.on_accent)
        self.choices: list[Button] = []
        step = self.runner.step
        if step is not None and step.kind == "quiz":
            n = len(step.choices)
            gap = 50
            size = min(330, (w - 120 - (n - 1) * gap) // n)
            left = w // 2 - (n * size + (n - 1) * gap) // 2
            self.choices = [Button(pygame.Rect(left + i * (size + gap), 380, size, 330), on_press=lambda i=i: self._answer(i))
                            for i in range(n)]

    def _answer(self, i: int) -> None:
        if not self.runner.answers.get(self.index):
            self.runner.answer(i)

    def handle_event(self, ev) -> bool:
        answered = bool(self.runner.answers.get(self.index))
        if any(b.handle_event(ev) for b in self.choices):
            return True
        step = self.runner.step
        if step is None or step.kind != "quiz" or answered:
            return self.next_button.handle_event(ev)
        return False

    def update(self, dt: float) -> None:
        self.m.poll_results()

    # -- drawing ------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(THEME.background)
        self._header(surface)
        step = self.runner.step
        if self.runner.at_results:
            ResultsView(self.m).draw(surface)
            self.next_button.label = self._("Terminer")
        elif self.m.unavailable:
            self._unavailable(surface)
        elif step.kind == "quiz":
            self._quiz(surface, step)
        else:
            self._instruction(surface, step)
        step = self.runner.step
        if step is None or step.kind != "quiz" or self.runner.answers.get(self.index):
            self.next_button.draw(surface, self.ctx.assets.font(44, True))

    def _header(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        a = self.ctx.assets
        title = localise(self.runner.activity.title, self.ctx.i18n.lang)
        draw_text(surface, a.font(34, True), title, (60, 64), THEME.accent, "midleft")
        total = len(self.runner.steps)
        done = min(self.runner.index, total)
        r = 14
        x0 = w // 2 - (total * 44) // 2
        y = 64 if w > h else 130     # portrait: under the title, which takes the width
        for i in range(total + 1):   # one dot per step, the last one for the results
            color = THEME.accent if i < done else (THEME.text if i == done else THEME.surface_hi)
            pygame.draw.circle(surface, color, (x0 + i * 44 + r, y), r if i != done else r + 4)

    def _instruction(self, surface: pygame.Surface, step) -> None:
        w, h = surface.get_size()
        a, lang, variant = self.ctx.assets, self.ctx.i18n.lang, self.runner.variant
        top, margin = (140, 260) if w > h else (200, 70)
        icon = a.icon(step.icon, 150, THEME.accent)
        surface.blit(icon, icon.get_rect(midtop=(w // 2, top)))
        y = top + 180   # texts flow down: a title may take two lines, a portrait screen more
        y += draw_text_block(surface, a.font(64, True), step.pick("title", variant, lang),
                             pygame.Rect(margin - 60, y, w - 2 * (margin - 60), 400), THEME.text, align="center") + 40
        draw_text_block(surface, a.font(42), step.pick("text", variant, lang), pygame.Rect(margin, y, w - 2 * margin, 800),
                        THEME.text, align="center", line_spacing=1.35)
        self.next_button.label = self._("C’est parti !") if step.kind == "instruction" and self.index == 0 else self._("Suivant")

    def _unavailable(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        a = self.ctx.assets
        icon = a.icon("tools", 150, THEME.warn)
        surface.blit(icon, icon.get_rect(midtop=(w // 2, 200)))
        draw_text_block(surface, a.font(52, True), self._("Cette étape n’est pas disponible pour le moment."),
                        pygame.Rect(200, 400, w - 400, 200), THEME.text, align="center")
        self.next_button.label = self._("Passer à la suite")

    def _quiz(self, surface: pygame.Surface, step) -> None:
        w, h = surface.get_size()
        a, lang, variant = self.ctx.assets, self.ctx.i18n.lang, self.runner.variant
        top, margin = (120, 200) if w > h else (170, 60)
        icon = a.icon("message-question", 96, THEME.accent)
        surface.blit(icon, icon.get_rect(midtop=(w // 2, top)))
        used = draw_text_block(surface, a.font(54, True), step.pick("title", variant, lang),
                               pygame.Rect(margin, top + 105, w - 2 * margin, 300), THEME.text, align="center")
        cards_top = max(380, top + 105 + used + 30)   # below the question, however many lines it takes
        # leave room for the verdict and a two-line explanation above the « Suivant » button
        card_h = max(250, min(330, self.next_button.rect.top - 190 - cards_top))
        pic_size = min(150, card_h - 170)
        tapped = self.runner.answers.get(self.index, [])
        for i, (button, choice) in enumerate(zip(self.choices, step.choices)):
            button.rect.top, button.rect.height = cards_top, card_h
            button.selected = False
            button.draw(surface, a.font(34))
            r = button.rect
            if tapped:
                ring = THEME.good if choice.correct else (THEME.bad if i in tapped else None)
                if ring is not None:
                    pygame.draw.rect(surface, ring, r, width=10, border_radius=THEME.radius)
                    mark = a.icon("check" if choice.correct else "x", 64, ring)
                    surface.blit(mark, mark.get_rect(topright=(r.right - 14, r.top + 14)))
            pic = a.icon(choice.icon, pic_size, THEME.text)
            surface.blit(pic, pic.get_rect(midtop=(r.centerx, r.top + 36)))
            draw_text_block(surface, a.font(34, True), localise(choice.label, lang),
                            pygame.Rect(r.left + 16, r.top + 50 + pic_size, r.width - 32, 110), THEME.text, align="center", line_spacing=1.1)
        below = cards_top + (self.choices[0].rect.height if self.choices else 0)
        if tapped:
            right = step.choices[tapped[0]].correct
            verdict = self._("Bonne réponse !") if right else self._("Pas tout à fait…")
            draw_text(surface, a.font(48, True), verdict, (w // 2, below + 40), THEME.good if right else THEME.warn, "center")
            draw_text_block(surface, a.font(34), step.pick("explanation", variant, lang),
                            pygame.Rect(margin + 60, below + 80, w - 2 * (margin + 60), 300), THEME.text, align="center")
            self.next_button.label = self._("Suivant")
        else:
            draw_text(surface, a.font(36), self._("Touchez la bonne réponse"), (w // 2, below + 50), THEME.text_muted, "center")


class ResultsView:
    """The last screen: each challenge's attempts and best score, the comparison, the take-home QR."""

    def __init__(self, manager: "GroupManager"):
        self.m = manager
        self.ctx = manager.ctx
        self._ = self.ctx.i18n.gettext

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        a = self.ctx.assets
        runner = self.m.runner
        portrait = h > w
        draw_text(surface, a.font(60, True), self.headline(), (80, 210 if portrait else 150), THEME.text, "midleft")
        y = 290 if portrait else 230
        for index in runner.activity.challenges():
            y = self._challenge(surface, index, pygame.Rect(80, y, w - 160 if portrait else 1180, 300)) + 30
        quiz = [i for i, s in enumerate(runner.steps) if s.kind == "quiz"]
        if quiz:
            right = sum(1 for i in quiz if runner.first_answer_right(i))
            text = self._("Quiz : {right} / {n} bonnes réponses du premier coup").format(right=right, n=len(quiz))
            icon = a.icon("message-question", 48, THEME.accent)
            surface.blit(icon, icon.get_rect(midleft=(80, y + 24)))
            draw_text(surface, a.font(36), text, (144, y + 24), THEME.text, "midleft")
        self._takehome(surface, pygame.Rect(w // 2 - 260, h - 870, 520, 640) if portrait else pygame.Rect(w - 580, 200, 520, 640))

    def headline(self) -> str:
        """Warm whatever happened: the class is congratulated on what it did, never told it lost."""
        runner = self.m.runner
        challenges = runner.activity.challenges()
        won = [i for i in challenges if any(a.success for a in runner.attempts_of(i))]
        tried = [i for i in challenges if any(not a.interrupted for a in runner.attempts_of(i))]
        if not challenges or (won and len(won) < len(challenges)):
            return self._("Bravo, activité terminée !")
        if won:
            return self._("Bravo, défi réussi !") if len(challenges) == 1 else self._("Bravo, tous les défis réussis !")
        if tried:
            return self._("Activité terminée : bien essayé !")
        return self._("Activité terminée, merci !")

    def _challenge(self, surface: pygame.Surface, index: int, box: pygame.Rect) -> int:
        a, lang = self.ctx.assets, self.ctx.i18n.lang
        runner = self.m.runner
        step = runner.steps[index]
        title = step.pick("title", runner.variant, lang)
        trophy = a.icon("trophy", 52, THEME.accent)
        surface.blit(trophy, trophy.get_rect(topleft=(box.left, box.top)))
        draw_text(surface, a.font(42, True), title, (box.left + 70, box.top + 26), THEME.text, "midleft")
        attempts = runner.shown_attempts(index)
        limits = step.score_limits(runner.variant)
        x, y = box.left, box.top + 74
        if not attempts:
            draw_text(surface, a.font(34), self._("Pas d’essai mesuré"), (x, y + 30), THEME.text_muted, "midleft")
            return y + 70
        font = a.font(32, True)
        for n, attempt in enumerate(attempts[-8:]):
            if attempt.interrupted:    # neither won nor lost: a neutral chip, only when no attempt ended
                label, icon, color = self._("pas terminé"), "hourglass", THEME.text_muted
            else:
                label = (format_value(attempt.value, step.unit, lang, limits) if attempt.value is not None
                         else self._("trop long"))
                icon, color = ("check", THEME.good) if attempt.success else ("x", THEME.bad)
            chip = pygame.Rect(x, y, font.size(label)[0] + 86, 64)
            if chip.right > box.right:
                break
            pygame.draw.rect(surface, THEME.surface, chip, border_radius=32)
            mark = a.icon(icon, 36, color)
            surface.blit(mark, mark.get_rect(midleft=(chip.left + 16, chip.centery)))
            draw_text(surface, font, label, (chip.left + 62, chip.centery), THEME.text if color != THEME.text_muted else color, "midleft")
            x = chip.right + 14
        y += 84
        best = runner.best(index)
        if best is None:
            lost = any(not at.interrupted for at in attempts)   # lost on time, with nothing measured
            text = (self._("Objectif pas encore atteint : à retenter une prochaine fois !") if lost
                    else self._("Aucun essai mené jusqu’au bout cette fois-ci."))
            draw_text_block(surface, a.font(34), text, pygame.Rect(box.left, y + 8, box.width, 90), THEME.text)
            return y + 70
        succeeded = any(at.success for at in attempts)
        best_label = self._("Meilleur score :") if succeeded else self._("Meilleur essai :")
        draw_text(surface, a.font(36), best_label, (box.left, y + 28), THEME.text_muted, "midleft")
        draw_text(surface, a.font(56, True), format_value(best, step.unit, lang, limits), (box.left + 330, y + 28), THEME.accent, "midleft")
        y += 70
        line = self._comparison_text(index, best, succeeded)
        if line:
            draw_text_block(surface, a.font(34), line, pygame.Rect(box.left, y, box.width, 90), THEME.text)
            y += 50 * len(wrap_text(a.font(34), line, box.width))
        others = self.m.others.get(index) or []
        if succeeded and others and best is not None:
            y = self._strip(surface, pygame.Rect(box.left + 20, y + 10, min(820, box.width - 40), 90), others, best, step) + 10
        return y

    def _strip(self, surface, rect: pygame.Rect, others: list[float], own: float, step) -> int:
        """Every other group's best as a dot on one line, ours as a large yellow dot; better is on the right."""
        a = self.ctx.assets
        values = [*others, own]
        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0

        def x_of(v: float) -> int:
            frac = (v - lo) / span
            return round(rect.left + 30 + (1 - frac if step.better == "lower" else frac) * (rect.width - 60))

        cy = rect.top + 30
        pygame.draw.line(surface, THEME.surface_hi, (rect.left, cy), (rect.right, cy), 6)
        for v in others:
            pygame.draw.circle(surface, THEME.text_muted, (x_of(v), cy), 10)
        pygame.draw.circle(surface, THEME.accent, (x_of(own), cy), 18)
        small = a.font(26)
        draw_text(surface, small, self._("les autres groupes"), (rect.left, cy + 34), THEME.text_muted, "topleft")
        arrow = a.icon("arrow-right", 30, THEME.text_muted)
        surface.blit(arrow, arrow.get_rect(topright=(rect.right, cy + 36)))
        draw_text(surface, small, self._("mieux"), (rect.right - 36, cy + 34), THEME.text_muted, "topright")
        draw_text(surface, a.font(26, True), self._("vous"), (x_of(own), cy - 22), THEME.accent, "midbottom")
        return rect.bottom

    def _comparison_text(self, index: int, best: float | None, succeeded: bool) -> str:
        level = self._(LEVELS[self.m.group.level]).lower()
        if not succeeded:
            return self._("Objectif pas encore atteint : à retenter une prochaine fois !")
        comparison = self.m.comparisons.get(index, ...)
        if comparison is ...:
            return self._("Comparaison avec les autres groupes…")
        if comparison is None:
            return ""
        if comparison.others == 0:
            return self._("Premier groupe de niveau {level} à réussir ce défi ici !").format(level=level)
        if comparison.rank == 1:
            return self._("Meilleur score des {total} groupes de niveau {level} qui ont réussi ce défi ici !").format(
                total=comparison.others + 1, level=level)
        return self._("{rank}e sur {total} groupes de niveau {level} qui ont réussi ce défi ici.").format(
            rank=comparison.rank, total=comparison.others + 1, level=level)

    def _takehome(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        a = self.ctx.assets
        pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
        draw_text_block(surface, a.font(34, True), self._("Pour l’enseignant·e : les résultats à emporter"),
                        pygame.Rect(box.left + 30, box.top + 24, box.width - 60, 90), THEME.text, align="center")
        qr = qr_surface(self.m.takehome_url, 380)
        surface.blit(qr, qr.get_rect(midtop=(box.centerx, box.top + 120)))
        url = self.m.takehome_url.split("://", 1)[-1]
        draw_text_block(surface, a.font(26), url, pygame.Rect(box.left + 20, box.top + 130 + qr.get_height(), box.width - 40, 70),
                        THEME.text_muted, align="center")
