"""Reading one activity file into an Activity: typed getters that collect problems (file, key path,
what was found, what was expected) instead of raising, and the checks of stations, scenarios and
metrics against the station classes when they are given."""
from __future__ import annotations

import difflib
from typing import Any, Mapping

from kiosk.groups.activity import (
    ALL, COMPARATORS, LEVELS, STATION_KINDS, STEP_KINDS, Activity, Choice, Condition, Goal, Step, station_scenarios,
)
from kiosk.content import Checker, Text


def _close(name: str, options) -> str:
    found = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean '{found[0]}'?)" if found else ""


class ActivityReader:
    """Reads one activity file into an Activity, collecting problems instead of raising."""

    def __init__(self, file: str, data: Mapping[str, Any], classes: Mapping[str, type] | None):
        self.c = Checker(file)
        self.file = file
        self.data = data
        self.classes = classes
        self.variants: set[str] = set()

    def varied(self, table: Mapping[str, Any], name: str, key: str, *, required: bool) -> dict[str, Text]:
        """A text shared by every level ({fr, en}) or one per variant ({primaire = {fr, en}, ...})."""
        value = table.get(name)
        if value is None:
            if required:
                self.c.problem(f"{key}.{name}", "missing", 'a text {fr = "…", en = "…"} or one per variant')
            return {}
        if isinstance(value, str) or (isinstance(value, dict) and "fr" in value):
            text = self.c.text(table, name, key)
            return {ALL: text} if text else {}
        if not isinstance(value, dict):
            self.c.problem(f"{key}.{name}", repr(value)[:60], 'a text {fr = "…", en = "…"} or one per variant')
            return {}
        out: dict[str, Text] = {}
        for variant in value:
            if variant not in self.variants:
                self.c.problem(f"{key}.{name}.{variant}", "unknown variant" + _close(variant, self.variants),
                               "one of the variants named in [activity.levels]: " + ", ".join(sorted(self.variants)))
                continue
            text = self.c.text(value, variant, f"{key}.{name}")
            if text:
                out[variant] = text
        missing = sorted(self.variants - set(out)) if required or out else []
        for variant in missing:
            self.c.problem(f"{key}.{name}.{variant}", "missing", "a text for every variant (or one shared text)")
        return out

    def activity(self) -> Activity | None:
        head = self.data.get("activity")
        if not isinstance(head, dict):
            self.c.problem("activity", "missing", "an [activity] table with id, title, summary, icon, levels")
            return None
        self.c.unknown_keys(head, "activity", {"id", "title", "summary", "icon", "levels"})
        for key in self.data:
            if key not in ("activity", "step"):
                self.c.problem(key, "unknown table", "[activity] and [[step]] tables")
        act_id = self.c.string(head, "id", "activity") or ""
        title = self.c.text(head, "title", "activity")
        summary = self.c.text(head, "summary", "activity")
        icon = self.c.icon(head, "icon", "activity") or "school"
        levels = self._levels(head.get("levels"))
        steps = [s for i, raw in enumerate(self.c.table_list(self.data, "step", "step"))
                 if (s := self._step(raw, f"step[{i}]")) is not None]
        if self.c.problems or not act_id or title is None or summary is None:
            return None
        return Activity(act_id, self.file, title, summary, icon, levels, tuple(steps))

    def _levels(self, raw: Any) -> dict[str, str]:
        if not isinstance(raw, dict) or not raw:
            self.c.problem("activity.levels", repr(raw)[:60], 'a table level = "variant", e.g. elementaire = "primaire"')
            return {}
        levels: dict[str, str] = {}
        for level, variant in raw.items():
            if level not in LEVELS:
                self.c.problem(f"activity.levels.{level}", "unknown level" + _close(level, LEVELS), "one of: " + ", ".join(LEVELS))
            elif not isinstance(variant, str) or not variant.strip():
                self.c.problem(f"activity.levels.{level}", repr(variant), "the name of a variant (text)")
            else:
                levels[level] = variant
        self.variants = set(levels.values())
        return levels

    def _step(self, raw: dict, key: str) -> Step | None:
        kind = raw.get("kind")
        if kind not in STEP_KINDS:
            self.c.problem(f"{key}.kind", repr(kind) + _close(str(kind), STEP_KINDS), "one of: " + ", ".join(STEP_KINDS))
            return None
        known = {"kind", "id", "title", "text", "icon"}
        known |= {"station", "scenario", "settings"} if kind in STATION_KINDS else set()
        known |= {"score", "better", "unit", "goal"} if kind == "challenge" else set()
        known |= {"choice", "explanation"} if kind == "quiz" else set()
        self.c.unknown_keys(raw, key, known)
        step_id = self.c.string(raw, "id", key, required=kind in ("challenge", "quiz"), default=key) or key
        fields: dict[str, Any] = dict(kind=kind, id=step_id, title=self.varied(raw, "title", key, required=kind != "explore"),
                                      text=self.varied(raw, "text", key, required=kind in ("instruction", "explore")),
                                      icon=self.c.icon(raw, "icon", key, required=False) or "school")
        if kind in STATION_KINDS:
            fields.update(self._station(raw, key))
        if kind == "challenge":
            fields.update(self._challenge(raw, key, fields.get("station", "")))
        if kind == "quiz":
            fields["choices"] = self._choices(raw, key)
            fields["explanation"] = self.varied(raw, "explanation", key, required=True)
        return Step(**fields)

    def _station(self, raw: dict, key: str) -> dict[str, Any]:
        station = self.c.string(raw, "station", key) or ""
        scenario = self.c.string(raw, "scenario", key) or ""
        settings = raw.get("settings", {})
        if not isinstance(settings, dict):
            self.c.problem(f"{key}.settings", repr(settings)[:60], "a table of scenario settings")
            settings = {}
        if self.classes is not None and station:
            cls = self.classes.get(station)
            if cls is None:
                self.c.problem(f"{key}.station", f"unknown station {station!r}" + _close(station, self.classes),
                               "one of: " + ", ".join(sorted(self.classes)))
            elif not callable(getattr(cls, "start_preset", None)) or not getattr(cls, "metrics", None):
                self.c.problem(f"{key}.station", f"station {station!r} cannot host challenges",
                               "a station implementing kiosk.station.ChallengeSource")
            else:
                scenarios = station_scenarios(cls)
                if scenarios is not None and scenario and scenario not in scenarios:
                    self.c.problem(f"{key}.scenario", f"unknown scenario {scenario!r} of station {station!r}" + _close(scenario, scenarios),
                                   "one of: " + ", ".join(sorted(scenarios)))
        return {"station": station, "scenario": scenario, "settings": dict(settings)}

    def _metric(self, station: str, metric: str, key: str) -> None:
        cls = (self.classes or {}).get(station)
        metrics = getattr(cls, "metrics", None) if cls is not None else None
        if metrics and metric not in metrics:
            self.c.problem(key, f"unknown metric {metric!r} of station {station!r}" + _close(metric, metrics),
                           "one of: " + ", ".join(sorted(metrics)))

    def _challenge(self, raw: dict, key: str, station: str) -> dict[str, Any]:
        score = self.c.string(raw, "score", key) or ""
        if score:
            self._metric(station, score, f"{key}.score")
        better = self.c.string(raw, "better", key, required=False, default="lower")
        if better not in ("lower", "higher"):
            self.c.problem(f"{key}.better", repr(better), '"lower" or "higher"')
            better = "lower"
        unit = self.c.string(raw, "unit", key, required=False, default="") or ""
        goals_raw = raw.get("goal")
        goals: dict[str, Goal] = {}
        if not isinstance(goals_raw, dict):
            self.c.problem(f"{key}.goal", "missing", "one [step.goal.<variant>] table per variant")
            return {"score": score, "better": better, "unit": unit, "goals": goals}
        for variant in sorted(self.variants - set(goals_raw)):
            self.c.problem(f"{key}.goal.{variant}", "missing", "a goal for every variant of [activity.levels]")
        for variant, table in goals_raw.items():
            where = f"{key}.goal.{variant}"
            if variant not in self.variants:
                self.c.problem(where, "unknown variant" + _close(variant, self.variants), "one of: " + ", ".join(sorted(self.variants)))
            elif not isinstance(table, dict):
                self.c.problem(where, repr(table)[:60], "a table with text and all = [...]")
            elif (goal := self._goal(table, where, station)) is not None:
                goals[variant] = goal
        return {"score": score, "better": better, "unit": unit, "goals": goals}

    def _goal(self, table: dict, where: str, station: str) -> Goal | None:
        self.c.unknown_keys(table, where, {"text", "all", "check", "hold_s", "after_s", "limit_s", "after_unmet"})
        text = self.c.text(table, "text", where)
        conditions = []
        raw = table.get("all")
        if not isinstance(raw, list) or not raw:
            self.c.problem(f"{where}.all", repr(raw)[:60], 'a list of conditions, e.g. [{metric = "pillars", max = 2}]')
            raw = []
        for i, cond in enumerate(raw):
            ck = f"{where}.all[{i}]"
            ops = [op for op in COMPARATORS if op in (cond if isinstance(cond, dict) else {})]
            if not isinstance(cond, dict) or not isinstance(cond.get("metric"), str) or len(ops) != 1 \
                    or isinstance(cond[ops[0]], bool) or not isinstance(cond[ops[0]], (int, float)) \
                    or set(cond) - {"metric", "label", "live", *COMPARATORS}:
                self.c.problem(ck, repr(cond)[:60], '{metric = "name", max = N} (or min = N, equals = N; optional label, live)')
                continue
            self._metric(station, cond["metric"], f"{ck}.metric")
            label = self.c.text(cond, "label", ck, required=False)
            live = cond.get("live")
            if live is not None and not isinstance(live, str):
                self.c.problem(f"{ck}.live", repr(live)[:60], "the name of a metric read while the attempt runs (a clock)")
                live = None
            elif live is not None:
                self._metric(station, live, f"{ck}.live")
            conditions.append(Condition(cond["metric"], ops[0], float(cond[ops[0]]), label, live))
        check = table.get("check", "end")
        if check not in ("end", "hold"):
            self.c.problem(f"{where}.check", repr(check), '"end" (judged when the attempt is over) or "hold" (kept true for hold_s)')
        numbers = {}
        for name in ("hold_s", "after_s", "limit_s"):
            value = table.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
                self.c.problem(f"{where}.{name}", repr(value), "a number of seconds >= 0")
                value = None
            numbers[name] = value
        after_unmet = self.c.boolean(table, "after_unmet", where, False)
        if check == "hold" and not numbers["hold_s"]:
            self.c.problem(f"{where}.hold_s", "missing", 'seconds the goal must hold (check = "hold")')
        if text is None or not conditions:
            return None
        return Goal(text, tuple(conditions), check if check in ("end", "hold") else "end", float(numbers["hold_s"] or 0),
                    float(numbers["after_s"] or 0), None if numbers["limit_s"] is None else float(numbers["limit_s"]),
                    after_unmet)

    def _choices(self, raw: dict, key: str) -> tuple[Choice, ...]:
        choices = []
        tables = self.c.table_list(raw, "choice", f"{key}.choice")
        for i, table in enumerate(tables):
            ck = f"{key}.choice[{i}]"
            self.c.unknown_keys(table, ck, {"icon", "label", "correct"})
            icon, label = self.c.icon(table, "icon", ck), self.c.text(table, "label", ck)
            correct = self.c.boolean(table, "correct", ck, False)
            if icon and label:
                choices.append(Choice(icon, label, correct))
        if tables and not (2 <= len(tables) <= 4):
            self.c.problem(f"{key}.choice", f"{len(tables)} choices", "2 to 4 choices (they are shown side by side)")
        if tables and not any(bool(t.get("correct")) for t in tables):
            self.c.problem(f"{key}.choice", "no choice marked correct = true", "at least one right answer")
        return tuple(choices)
