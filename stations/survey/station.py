"""« Mes mobilités »: glue between the survey model, its view, the recorder and the log queries."""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Mapping

from eventlog.shortcode import contribution_url, short_code
from kiosk.config import ConfigProblem
from kiosk.content import read_content
from kiosk.station import Station, StationContext
from stations.survey.model import Question, SurveyFlow, load_survey, parse_survey
from stations.survey.tally import Periods, snapshot, with_own_answers
from kiosk.content import localise
from stations.survey.view import SurveyView


class SurveyStation(Station):
    id = "survey"
    title = "Mes mobilités"
    teaser = "Comment êtes-vous venus ? Comparez avec les autres visiteurs."
    icon = "chart-bar"
    config_defaults = {"content": "survey.toml"}

    def __init__(self, ctx: StationContext):
        super().__init__(ctx)
        self.questions: list[Question] = load_survey(ctx.config["content"])   # ContentError if bad
        self.view = SurveyView(self)
        self.now = ctx.now   # the runtime's wall clock (tests may fix the day)
        self.reset()

    @classmethod
    def check_content(cls, section: Mapping[str, Any], key_path: str) -> list[ConfigProblem]:
        name = section.get("content", cls.config_defaults["content"])
        file, data, problems = read_content(name)
        if data is None:
            return problems
        return parse_survey(data, file)[1]

    # -- lifecycle ---------------------------------------------------------------------------
    def reset(self) -> None:
        self.flow = SurveyFlow(list(self.questions))
        self.phase = "question"            # question | results | thanks
        self.run = "%016x" % int(self.ctx.rng.integers(0, 2**63))   # groups this pass's answers
        self.result_page = 0
        self.snapshot: dict[str, Any] | None = None
        self._pending: Future | None = None
        self.completion_uuid: str | None = None
        self.view.zones.cancel()

    def handle_event(self, ev) -> bool:
        return self.view.zones.handle_event(ev)

    def update(self, dt: float) -> None:
        if self._pending is not None and self._pending.done():
            future, self._pending = self._pending, None
            try:
                raw = future.result()
            except Exception:   # a failed query shows the visitor's answers alone rather than crash
                raw = {"today": {}, "opened": {}, "hub": None}
            answers = self.flow.answers
            self.snapshot = {"today": with_own_answers(raw["today"], answers),
                             "opened": with_own_answers(raw["opened"], answers), "hub": raw["hub"]}
            self.invalidate()           # "Vous et les autres" has its figures

    def frame_rate(self) -> float:
        """Nothing moves: the screen changes with a tap, or when the figures arrive (above)."""
        return 0.0

    def draw(self, surface) -> None:
        self.view.draw(surface)

    # -- actions (from the view's tap zones) --------------------------------------------------
    def describe(self) -> str:
        _ = self.ctx._
        lang = self.ctx.i18n.lang
        if self.phase == "question" and self.flow.current is not None:
            q = self.flow.current
            hint = _("Plusieurs réponses possibles, puis « Valider »") if q.multiple else _("Touchez votre réponse")
            choices = ", ".join(localise(c.label, lang) for c in q.choices)
            return f"{_('Mes mobilités')}. {localise(q.text, lang)} {hint}. {choices}."
        if self.phase == "results":
            return _("Vous et les autres : votre réponse parmi celles des autres visiteurs.") + " " + " ".join(
                self.view.last_readings)
        return _("Merci ! Le QR code et le code à l’écran ouvrent vos réponses sur votre téléphone.")

    def choose(self, choice_id: str) -> None:
        self._record(self.flow.choose(choice_id))

    def confirm(self) -> None:
        self._record(self.flow.confirm())

    def skip(self) -> None:
        if self.flow.skip() and self.flow.finished:
            self._complete()

    def back(self) -> None:
        if self.phase == "results":       # back to the question just answered, to change the answer
            self.phase = "question"
            self.flow.go_to(self.questions.index(self.result_questions[self.result_page]))
            return
        self.flow.back()

    def next_page(self) -> None:
        """From a question's « vous et les autres » to the next question, or to the thanks and the QR code."""
        if self.flow.finished:
            self._complete()
        else:
            self.phase = "question"

    def restart(self) -> None:
        self.reset()

    def _record(self, answer) -> None:
        if answer is None:
            return
        question, choices = answer
        self.ctx.recorder.record("survey.answer", {"question": question, "choices": list(choices), "run": self.run},
                                 station=self.id)
        self._show_results(question)

    def _show_results(self, question_id: str) -> None:
        """Each answer is followed at once by how it compares with everyone's: a first « vous et les
        autres » two taps after the home menu, not after the whole survey."""
        self.phase = "results"
        self.result_page = [q.id for q in self.result_questions].index(question_id)
        self.snapshot = None
        periods = Periods.at(self.now(), self.ctx.kiosk.tz, self.ctx.kiosk.opened_on)
        run = self.run
        self._pending = self.ctx.reader.submit(lambda conn: snapshot(conn, periods, run))

    def _complete(self) -> None:
        answered = len(self.flow.answers)
        if answered and self.completion_uuid is None:
            self.completion_uuid = self.ctx.recorder.record(
                "survey.complete", {"answered": answered, "run": self.run}, station=self.id)
        self.phase = "thanks"

    # -- what the view reads ------------------------------------------------------------------
    @property
    def result_questions(self) -> list[Question]:
        return [q for q in self.questions if q.id in self.flow.answers]

    @property
    def code(self) -> str | None:
        return short_code(self.completion_uuid) if self.completion_uuid else None

    @property
    def url(self) -> str | None:
        return contribution_url(self.ctx.kiosk.public_url, self.completion_uuid) if self.completion_uuid else None
