"""Guided activities for school groups: content files in config/content/activities/*.toml.

An activity is a sequence of steps; texts and goals vary by school level through named *variants*
(the file maps each level it welcomes to one variant, e.g. élémentaire -> "primaire"). Every problem
names the file, the key path, what was found and what was expected, as `kiosk check-config` does for
the kiosk's own configuration. The file format is documented at the top of each shipped file.

The activity's data classes are in kiosk/groups/activity.py (re-exported here), one file is read by
kiosk/groups/reading.py; this module loads and checks the whole folder.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping

from kiosk.content import read_content
from kiosk.groups.activity import (  # noqa: F401  (the activity vocabulary, for callers of the loader)
    ACTIVITIES_DIR, ALL, COMPARATORS, LEVELS, STATION_KINDS, STEP_KINDS, Activity, Choice, Condition, Goal, Step,
    station_scenarios,
)
from kiosk.groups.reading import ActivityReader
from kiosk.problems import ConfigProblem

log = logging.getLogger(__name__)


def read_activity(path: Path | str, classes: Mapping[str, type] | None = None) -> tuple[Activity | None, list[ConfigProblem]]:
    file, data, problems = read_content(str(path))
    if data is None:
        return None, problems
    reader = ActivityReader(file, data, classes)
    activity = reader.activity()
    return activity, reader.c.problems


def load_activities(folder: Path | None = None, classes: Mapping[str, type] | None = None
                    ) -> tuple[list[Activity], list[ConfigProblem]]:
    """Every valid activity of the folder (sorted by file name) and the problems of the others.
    Without `classes` the stations, scenarios and metrics named are not checked."""
    folder = ACTIVITIES_DIR if folder is None else folder
    activities: list[Activity] = []
    problems: list[ConfigProblem] = []
    seen: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.toml")):
        activity, found = read_activity(path, classes)
        problems += found
        if activity is None:
            continue
        if activity.id in seen:
            problems.append(ConfigProblem(str(path), "activity.id", f"{activity.id!r} already used by {seen[activity.id]}", "a unique id"))
            continue
        seen[activity.id] = str(path)
        activities.append(activity)
    return activities, problems


def check_activities(classes: Mapping[str, type], folder: Path | None = None) -> list[ConfigProblem]:
    """Called by `kiosk check-config`: every problem of every activity file, never raises."""
    try:
        return load_activities(folder, classes)[1]
    except Exception as exc:  # a checker must never crash check-config
        log.exception("checking activities failed")
        return [ConfigProblem(str(folder), "(activities)", f"check failed: {exc}", "valid activity files")]
