"""GroupManager: a school group's visit, from the mediator's « Démarrer » to the results.

The chrome asks it every frame for its banner and lets its overlay (kiosk/groups/panel.py) have first
pick of every visitor event; those calls are cheap and never raise (the chrome also guards them).
Full-screen steps are the runtime screen ScreenName.GROUP (kiosk/groups/views.py, shown by the
navigator); station steps open the real station on a preset scenario with a panel over it.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventlog.stamps import new_uuid
from kiosk.groups.activities import LEVELS, STATION_KINDS, Activity, load_activities
from kiosk.groups.results import Comparison, compare, other_groups_best, since_utc, takehome_url
from kiosk.groups.runner import ActivityRunner, Attempt, ChallengeTracker
from kiosk.screens.names import ScreenName
from kiosk.session import VisitRecorder

CHILDREN_LEVELS = ("maternelle", "elementaire")

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.context import RuntimeContext

log = logging.getLogger(__name__)
MAX_COUNT = 99
MAX_LABEL = 12
LABEL_CHARS = re.compile(r"[^0-9A-Za-zÀ-ÿ '°-]")
# A group that explores freely (the youngest, or a class short of time): counted, longer idle, no steps.
FREE_VISIT = "free"


@dataclass(frozen=True)
class Group:
    id: str
    level: str
    pupils: int
    adults: int
    label: str
    activity: str
    started: float      # the frame loop's clock


def clean_label(text: str) -> str:
    """A class label such as "CM2 B": a few letters and digits, nothing else (never a pupil's name:
    the page says so, and the room for it is too small for a list of names)."""
    return re.sub(r"\s+", " ", LABEL_CHARS.sub("", text)).strip()[:MAX_LABEL]


class GroupManager:
    def __init__(self, ctx: "RuntimeContext"):
        self.ctx = ctx
        self.nav = ctx.nav
        self.group: Group | None = None
        self.runner: ActivityRunner | None = None
        self.tracker: ChallengeTracker | None = None
        self.unavailable = False          # the current station step cannot open (station paused)
        self.done = False                 # the group left the results screen
        self.takehome_url = ""
        self.comparisons: dict[int, Comparison | None] = {}
        self.others: dict[int, list[float]] = {}      # other groups' best scores, for the strip chart
        self._futures: dict[int, Any] = {}
        self._finished_at_decision = False
        try:
            # Stations are checked by `kiosk check-config`; here a broken file is only left out.
            self.activities, self.problems = load_activities()
        except Exception:
            log.exception("loading activities failed")
            self.activities, self.problems = [], []
        for problem in self.problems:
            log.warning("activity left out: %s", problem)

    # -- what the chrome reads every frame ------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.group is not None

    @property
    def banner(self) -> str:
        """The group's label for the chrome; empty while the step's panel is on screen: the panel shows
        the label in its own corner (under the chrome's language switch a station has its controls)."""
        if self.group is None or self.on_step_station():
            return ""
        return " · ".join(self.label_lines())

    def label_lines(self) -> tuple[str, str]:
        """The group's label and level (« Groupe 4e », « collège »): the banner, or two lines of the panel."""
        if self.group is None:
            return "", ""
        _ = self.ctx.i18n.gettext
        name = _("Groupe {label}").format(label=self.group.label) if self.group.label else _("Groupe")
        return name, _(LEVELS.get(self.group.level, self.group.level)).lower()

    # -- activities -----------------------------------------------------------------------------------
    def activity(self, activity_id: str) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def missing_stations(self, activity: Activity) -> list[str]:
        """Stations of the activity that this kiosk does not run (not enabled here, or failed to load)."""
        return [sid for sid in activity.stations() if sid not in self.ctx.stations]

    def offers(self, activity: Activity, level: str) -> bool:
        return activity.variant(level) is not None and not self.missing_stations(activity)

    # -- lifecycle ------------------------------------------------------------------------------------
    def start(self, level: str, pupils: int, adults: int, label: str, activity_id: str) -> str:
        """Start a group on an activity (from mediator mode); returns the group id. ValueError on bad input."""
        activity = self.activity(activity_id)
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        if activity_id != FREE_VISIT and (activity is None or activity.variant(level) is None):
            raise ValueError(f"activity {activity_id!r} is not offered for level {level!r}")
        for name, n in (("pupils", pupils), ("adults", adults)):
            if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_COUNT:
                raise ValueError(f"{name} must be a whole number from 0 to {MAX_COUNT}")
        if self.active:
            self.end("mediator")
        group = Group(new_uuid(), level, pupils, adults, clean_label(label), activity_id, self.ctx.clock())
        self.ctx.recorder.record("group.start", {"group_id": group.id, "level": level, "pupils": pupils,
                                                 "adults": adults, "activity": activity_id, "label": group.label})
        self.group = group
        self.takehome_url = takehome_url(self.ctx.config.public_url, group.id)
        self.comparisons, self.others, self._futures, self.done = {}, {}, {}, False
        if self.nav.in_mediator:
            self.nav.close_mediator()
        children = self.ctx.config.children_language
        if children and level in CHILDREN_LEVELS:
            self.ctx.i18n.set_language(children)
        if activity is None:   # free visit: the home menu, with the group's banner and idle timeout
            self.runner, self.done = None, True
            self.nav.visit.start()
            self.nav.go_home()
            return group.id
        self.runner = ActivityRunner(activity, level, group_id=group.id, record=VisitRecorder(self.ctx.recorder, self.nav.visit).record)
        self.runner.go_to(0)
        self._show()
        return group.id

    def end(self, reason: str) -> None:
        if self.group is None:
            return
        self._stop_tracker()
        self.ctx.recorder.record("group.end", {"group_id": self.group.id, "reason": reason,
                                               "step": self.runner.index if self.runner else -1})
        self.group, self.runner, self.tracker = None, None, None
        self.unavailable = False
        if self.nav.screen_name == ScreenName.GROUP and not self.nav.in_mediator:
            self.nav.go_to_attract()

    # -- navigation -----------------------------------------------------------------------------------
    def next_step(self) -> None:
        if self.runner is None:
            return
        if self.runner.at_results:
            self.done = True
            self.nav.go_home()
            return
        self._stop_tracker()
        self.runner.next()
        self._show()

    def resume(self) -> bool:
        """Back to the current step (the pill, the groups page); False when there is none to show."""
        if self.runner is None or self.done:
            return False
        if self.nav.in_mediator:
            self.nav.close_mediator()
        self._show()
        return True

    def retry(self) -> None:
        step = self.runner.step if self.runner else None
        if step is None or step.kind != "challenge" or self.nav.screen_name != step.station:
            return
        self._stop_tracker()
        if self._start_preset(step):
            self._new_tracker()

    def _show(self) -> None:
        if not self.nav.visit.active:
            self.nav.visit.start()  # a group's activity is one visitor session
        step = self.runner.step
        self.tracker, self.unavailable = None, False
        if step is not None and step.kind in STATION_KINDS:
            self.nav.open_station(step.station)
            if self.nav.screen_name == step.station and self._start_preset(step):
                if step.kind == "challenge":
                    self._new_tracker()
                return
            self.unavailable = True
        if self.runner.at_results:
            self._query_comparisons()
        self.nav.show_group_step()

    def _start_preset(self, step) -> bool:
        station = self.ctx.stations.get(step.station)
        started = self.ctx.guard(f"{step.station}.start_preset",
                                 lambda: station.start_preset(step.scenario, dict(step.settings)) or True,
                                 station=step.station)
        return bool(started)

    def _new_tracker(self) -> None:
        step = self.runner.step
        self.tracker = ChallengeTracker(self.runner.index, step.goal(self.runner.variant), step.score)
        self._finished_at_decision = False

    def _stop_tracker(self) -> None:
        if self.tracker is not None and self.runner is not None:
            attempt = self.tracker.stop()
            if attempt is not None:
                self.runner.add_attempt(attempt)
        self.tracker = None

    # -- frame ------------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        step = self.runner.step if self.runner else None
        if step is None or self.tracker is None or self.nav.in_mediator or self.nav.screen_name != step.station:
            return
        sid = step.station
        station = self.ctx.stations.get(sid)
        if station is None:
            return
        finished = bool(self.ctx.guard(f"{sid}.attempt_finished", station.attempt_finished, station=sid))
        if self.nav.screen_name != sid:
            return   # the station just failed and the App sent the group home
        if self.tracker.result is None:
            attempt = self.tracker.update(dt, lambda name: self._read(station, sid, name), finished)
            if attempt is not None:
                self._record(attempt)
                self._finished_at_decision = finished
        elif self._finished_at_decision and not finished:
            self._new_tracker()   # the group restarted the scenario with the station's own button

    def _read(self, station, sid: str, name: str) -> float | None:
        value = self.ctx.guard(f"{sid}.read_metric", station.read_metric, name, station=sid)
        if value is None or isinstance(value, bool):
            return None
        try:
            value = float(value)
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) else None

    def _record(self, attempt: Attempt) -> None:
        self.runner.add_attempt(attempt)

    # -- what the overlay asks -------------------------------------------------------------------------
    def on_step_station(self) -> bool:
        """The step's station is on screen (the panel shows over it)."""
        step = self.runner.step if self.runner else None
        return step is not None and step.kind in STATION_KINDS and self.nav.screen_name == step.station

    # -- results ----------------------------------------------------------------------------------------
    def _query_comparisons(self) -> None:
        runner, group, config = self.runner, self.group, self.ctx.config
        since = since_utc(config.opened_on, config.tz)
        for index in runner.activity.challenges():
            if index in self._futures or index in self.comparisons:
                continue
            step = runner.steps[index]
            self._futures[index] = self.ctx.reader.submit(lambda conn, step=step: other_groups_best(
                conn, activity=runner.activity.id, step=step.id, level=group.level, better=step.better,
                since=since, exclude_group=group.id))

    def poll_results(self) -> None:
        """Collect finished comparison queries (called from the results screen's update)."""
        for index, future in list(self._futures.items()):
            if not future.done():
                continue
            del self._futures[index]
            try:
                others = future.result()
            except Exception:
                log.exception("comparing with other groups failed")
                self.comparisons[index] = None
                continue
            self.others[index] = others
            if self.runner is not None:
                succeeded = any(a.success for a in self.runner.attempts_of(index))
                own = self.runner.best(index) if succeeded else None
                self.comparisons[index] = compare(own, others, self.runner.steps[index].better)
