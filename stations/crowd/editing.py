"""What a visitor's fingers do to the room: tap = pillar or door, drag = short wall (a mixin of
CrowdStation, which provides `model`, `view` and `attempt`).

Nothing a visitor does may lock people in. A wall, a pillar or a closed door takes effect at once;
when the navigation field that includes it comes back from the worker (a fraction of a second
later), anyone who had a way out before and has none now means the edit is undone, and a short
caption says why (`caption`). Edits made before a room's first field is ready wait for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .geometry import point_segment_distance, segment_distance

WALL_MIN_M, WALL_MAX_M = 0.5, 3.0
MAX_PILLARS, MAX_WALLS = 8, 6
PILLAR_RADIUS = 0.4      # m: a column wider than anyone (README "The station": it still helps in panic)
CAPTION_SHOWN_S = 4.0
LOCKS_IN = {   # French msgids (crowd.po)
    "wall": "Ce mur enfermerait des gens : il est retiré.",
    "pillar": "Ce pilier enfermerait des gens : il est retiré.",
    "door": "Fermer cette porte enfermerait des gens : elle reste ouverte.",
}


@dataclass
class Unchecked:
    """An edit waiting for the navigation field that includes it (geometry version `version`)."""

    version: int
    kind: str                                   # wall | pillar | door
    shape: tuple                                # ((x1, y1), (x2, y2)) or ((x, y), radius)
    undo: Callable[[], None]


@dataclass
class Caption:
    """A short message over the room for CAPTION_SHOWN_S; `shape` (if any) is drawn in red: what was undone."""

    text: str                                   # French msgid
    kind: str | None = None
    shape: tuple | None = None
    shown_s: float = 0.0


class RoomEditing:
    def _reset_editing(self) -> None:
        self._unchecked: list[Unchecked] = []
        self._checked_field = None             # the last field judged: the baseline of the next
        self._stale_below = 0                  # fields older than the last undo still hold what it undid
        self._queued: list[tuple] = []
        self.caption: Caption | None = None

    # -- gestures ----------------------------------------------------------------------------
    def _tap(self, p: tuple[float, float]) -> None:
        if not self.model.ready:
            self._queued.append(("tap", p))
            return
        geo, t = self.model.geometry, self.model.time
        if self.model.period is None:
            for ex in geo.exits:
                if ex.name in self.view.hidden_exits:
                    continue     # a target inside a room (the train's seats), not a door to close
                if segment_distance(p, ex.a, ex.b) < 0.8:
                    open_after = not ex.is_open
                    if not open_after and sum(e.is_open for e in geo.exits) <= 1:
                        return   # the last open door stays open: nobody gets locked in
                    geo.set_exit_open(ex.name, open_after)
                    self.attempt.note(t, "open_exit" if open_after else "close_exit", exit=ex.name)
                    if not open_after:
                        self._watch("door", (ex.a, ex.b), lambda name=ex.name: geo.set_exit_open(name, True))
                    return
        for pillar in geo.pillars:
            if pillar.by_visitor and np.hypot(p[0] - pillar.center[0], p[1] - pillar.center[1]) < pillar.radius + 0.5:
                geo.remove_pillar(pillar)
                self.attempt.note(t, "remove_pillar", x=pillar.center[0], y=pillar.center[1])
                return
        for k, wall in enumerate(geo.visitor_walls):
            if segment_distance(p, wall[0], wall[1]) < 0.4:
                geo.remove_visitor_wall(k)
                self.attempt.note(t, "remove_wall")
                return
        if sum(pl.by_visitor for pl in geo.pillars) >= MAX_PILLARS or not self._walkable(p, PILLAR_RADIUS + 0.1):
            return
        pillar = geo.add_pillar(p, PILLAR_RADIUS)
        self.attempt.note(t, "add_pillar", x=p[0], y=p[1])
        self._watch("pillar", (pillar.center, pillar.radius),
                    lambda: geo.remove_pillar(pillar) if pillar in geo.pillars else None)

    def _draw_wall(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        if not self.model.ready:
            self._queued.append(("wall", a, b))
            return
        a, b, ok = self._clamp_wall(a, b)
        if not ok:
            return
        geo = self.model.geometry
        geo.add_wall(a, b)
        wall = geo.visitor_walls[-1]
        self.attempt.note(self.model.time, "add_wall", x1=a[0], y1=a[1], x2=b[0], y2=b[1])
        self._watch("wall", (a, b), lambda: self._remove_wall(wall))

    def _remove_wall(self, wall: list) -> None:
        geo = self.model.geometry
        for k, w in enumerate(geo.visitor_walls):
            if w is wall:
                geo.remove_visitor_wall(k)
                return

    def _clamp_wall(self, a, b):
        length = float(np.hypot(b[0] - a[0], b[1] - a[1]))
        if length > WALL_MAX_M:
            f = WALL_MAX_M / length
            b = (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f)
            length = WALL_MAX_M
        ok = (length >= WALL_MIN_M and len(self.model.geometry.visitor_walls) < MAX_WALLS
              and self._walkable(a, 0.05) and self._walkable(b, 0.05))
        return a, b, ok

    def _walkable(self, p, margin: float) -> bool:
        nav = self.model.navigation
        if nav is None:
            return False     # the room's first field is not there yet (a fraction of a second)
        ix, iy = nav.grid.cell(np.array([p[0]]), np.array([p[1]]))
        inside = nav.grid.x0 <= p[0] <= nav.grid.x0 + nav.grid.nx * nav.grid.h and \
            nav.grid.y0 <= p[1] <= nav.grid.y0 + nav.grid.ny * nav.grid.h
        seg = self.model.geometry.segments()
        clear = len(seg) == 0 or point_segment_distance(np.array([p], dtype=float), seg).min() > margin
        return bool(inside and np.isfinite(nav.distance[0, iy[0], ix[0]]) and clear)

    # -- nobody locked in --------------------------------------------------------------------
    def _watch(self, kind: str, shape: tuple, undo: Callable[[], None]) -> None:
        self._unchecked.append(Unchecked(self.model.geometry.version, kind, shape, undo))
        self._edited()

    def _edited(self) -> None:
        """Hook: the station restarts its "nobody leaves any more" clock."""

    def _check_edits(self, dt: float) -> None:
        """Once per frame: replay gestures made before the first field, judge edits whose field is
        back, and age the caption."""
        model = self.model
        if self.caption is not None:
            self.caption.shown_s += dt
            if self.caption.shown_s > CAPTION_SHOWN_S:
                self.caption = None
        field = model.navigation
        if field is None or field is self._checked_field:
            return
        if field.version < self._stale_below:
            model.navigation = self._checked_field
            return
        before, self._checked_field = self._checked_field, field
        for gesture in self._queued:
            self._tap(gesture[1]) if gesture[0] == "tap" else self._draw_wall(gesture[1], gesture[2])
        self._queued = []
        due = [e for e in self._unchecked if e.version <= field.version]
        if not due or before is None:
            return
        self._unchecked = [e for e in self._unchecked if e.version > field.version]
        locked = before.reachable(model.group, model.pos) & ~field.reachable(model.group, model.pos)
        if not locked.any():
            return
        for edit in reversed(due):
            edit.undo()
            self.attempt.note(model.time, "undone", what=edit.kind, reason="locks_in", people=int(locked.sum()))
        model.navigation = self._checked_field = before   # the room is back to what that field describes
        self._stale_below = model.geometry.version
        self.caption = Caption(LOCKS_IN[due[-1].kind], due[-1].kind, due[-1].shape)

