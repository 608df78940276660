"""What a visitor's fingers do to the room: tap = pillar or door, drag = short wall (a mixin of
CrowdStation, which provides `model` and `attempt`)."""
from __future__ import annotations

import numpy as np

WALL_MIN_M, WALL_MAX_M = 0.5, 3.0
MAX_PILLARS, MAX_WALLS = 8, 6
PILLAR_RADIUS = 0.3


class RoomEditing:
    def _tap(self, p: tuple[float, float]) -> None:
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
        geo.add_pillar(p, PILLAR_RADIUS)
        self.attempt.note(t, "add_pillar", x=p[0], y=p[1])

    def _draw_wall(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        a, b, ok = self._clamp_wall(a, b)
        if not ok:
            return
        self.model.geometry.add_wall(a, b)
        self.attempt.note(self.model.time, "add_wall", x1=a[0], y1=a[1], x2=b[0], y2=b[1])

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
        clear = len(seg) == 0 or min(segment_distance(p, s[:2], s[2:]) for s in seg) > margin
        return bool(inside and np.isfinite(nav.distance[0, iy[0], ix[0]]) and clear)


def segment_distance(p, a, b) -> float:
    ax, ay = a
    ux, uy = b[0] - ax, b[1] - ay
    t = ((p[0] - ax) * ux + (p[1] - ay) * uy) / max(ux * ux + uy * uy, 1e-12)
    t = min(1.0, max(0.0, t))
    return float(np.hypot(p[0] - ax - t * ux, p[1] - ay - t * uy))
