"""The ways of walking a room can choose (`[model] walking = ...`), each a set of model parameters.

A scenario or a caller names a way; any parameter it also gives explicitly wins over the way's own
value (the *Évacuation* room keeps Helbing's body radii whatever the way). README, "The model",
says where each value comes from.

- "helbing2000": the social force model of Helbing, Farkas & Vicsek (2000) alone (the default
  until 2026-12-07);
- "headway": the same forces, people keeping a time gap to whoever walks ahead of them their way
  (steering.py: Weidmann's speeds in a one-way stream);
- "anticipating", the default (README, Validation, "The default", has its figures item by item
  and what it still misses): the headway rule with discs a body deep (people turn their
  shoulders) and a zipper's gaps, walls kept at a distance but brushed in a door or a narrow
  passage, stepping aside for oncoming people (evasion.py), joining one's stream (streams.py),
  passing a slower walker where there is room (overtaking.py) and pushing with the crowd's hurry.
"""
from __future__ import annotations

from typing import Any

_FORCES_2000 = {"A": 2000.0, "radius_min": 0.2, "radius_max": 0.3, "noise": 100.0, "fidget_below": 0.0,
                "time_gap": 0.7, "short_gap": 0.3, "body_depth": 0.6, "oncoming_gap": 0.0,
                "evade_reach": 0.0, "follow": 0.0, "headway_core": 0.5, "wall_A": None, "wall_B": None,
                "sidestep_max": 0.5, "stream_pull": 0.0, "stream_imitate": 0.0, "stream_join": 0.0,
                "stream_offsets": (0.75,), "push_from": 1.6, "push_by_hurry": False, "overtake_reach": 0.0,
                "brush_A": None, "brush_B": None, "brush_below": 0.0}

WAYS: dict[str, dict[str, Any]] = {
    "helbing2000": _FORCES_2000,
    "headway": _FORCES_2000,
    # the candidates `walk-b` + `stream-join` + `evasion-hurry` of tests/crowd/candidates.py together
    "anticipating": {**_FORCES_2000, "A": 1000.0, "radius_min": 0.15, "radius_max": 0.2, "fidget_below": 0.3,
                     "time_gap": 1.0, "short_gap": 0.1, "body_depth": 0.5, "headway_core": 0.65,
                     "wall_A": 1000.0, "wall_B": 0.08, "brush_A": 250.0, "brush_B": 0.02, "brush_below": 1.5,
                     "oncoming_gap": 0.2, "evade_reach": 4.0, "follow": 0.0,
                     "sidestep_max": 0.8, "stream_pull": 1.0, "stream_imitate": 2.0, "stream_join": 3.0,
                     "stream_offsets": (0.5, 1.0, 1.5),
                     "push_from": 1.34, "push_by_hurry": True, "overtake_reach": 1.5},
}
DEFAULT_WAY = "anticipating"
WAY_KEYS = frozenset(_FORCES_2000)     # the parameters a way sets
KEEPS_A_GAP = {"headway", "anticipating"}     # ways whose target speed comes from steering.py


def parameters(walking: str, given: dict[str, Any]) -> dict[str, Any]:
    """The way's parameters, overridden by the ones `given` (None: not given)."""
    if walking not in WAYS:
        raise ValueError(f"walking: {walking!r} is not one of {', '.join(WAYS)}")
    return {**WAYS[walking], **{k: v for k, v in given.items() if v is not None}}
