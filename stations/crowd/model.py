"""CrowdModel: the social force model on a changeable room. No pygame here.

State is a structure of arrays, one row per agent still in the room (rows are removed when agents
leave, so every array stays compact):

    pos     (N, 2) float  m      centre position
    vel     (N, 2) float  m/s    velocity
    radius  (N,)   float  m      body radius, uniform in [radius_min, radius_max]
    v0_base (N,)   float  m/s    own desired speed, Weidmann N(1.34, 0.26) clipped to [0.5, 2.2]
    group   (N,)   int           destination index (which navigation field the agent follows)
    tag     (N,)   int           spawn area index (for "wait until that area is empty")
    hold    (N,)   int           spawn area index the agent waits for (-1: walks at once)
    ident   (N,)   int           persistent id (trajectory files)

One `step()` advances `dt` = 1/120 s: driving force m (v0 e - v) / tau, pair and wall forces
(forces.py), semi-implicit Euler, speed cap v_max = 1.3 v0, then a safety projection that keeps every
centre at least `wall_clearance` x radius from every wall, so that no body ends up inside a wall at
any desired speed. With `max_substeps` > 1 a step is split while someone runs faster than
`substep_speed` (panic), 1/120 s remaining the largest step. With `async_navigation` the navigation
fields are computed in a worker process; until the first one arrives `step()` does nothing.
"""
from __future__ import annotations

import numpy as np

from .constraints import project_out_of_walls, separate_bodies
from .forces import ForceLaw, pair_forces, passage_widths, wall_forces
from .geometry import Geometry, point_segment_distance
from .fieldbuilder import NavigationBuilder
from .navigation import NavigationField
from .evasion import Evasion
from .overtaking import Overtaking, overtake
from .neighbours import VerletList, near_segment_pairs
from .steering import Steering, look_ahead
from .streams import Streams, aside_and_along, side_offsets
from .walking import DEFAULT_WAY, WAY_KEYS, KEEPS_A_GAP, parameters

# How people walk (`walking`): walking.py lists the ways and their parameters.


class CrowdModel:
    def __init__(self, geometry: Geometry, destinations: list[list[str]] | None = None, *,
                 tau: float = 0.5, A: float | None = None, B: float = 0.08, k: float = 1.2e5, kappa: float = 2.4e5,
                 mass: float = 80.0, radius_min: float | None = None, radius_max: float | None = None,
                 v0_mean: float = 1.34, v0_std: float = 0.26, speed_cap: float = 1.3,
                 desired_speed: float | None = None, anisotropy: float = 1.0,
                 A_social: float = 0.0, B_social: float = 0.3, social_anisotropy: float = 0.3,
                 side_preference: float = 0.0, side_range: float = 0.5, cutoff: float = 1.2,
                 wall_A: float | None = None, wall_B: float | None = None,
                 skin: float = 0.3, dt: float = 1 / 120, nav_resolution: float = 0.1, nav_clearance: float = 0.2,
                 noise: float | None = None, noise_period: float = 0.5,
                 max_body_overlap: float | None = None, max_substeps: int = 1, substep_speed: float = 2.5,
                 exit_reach: float = 0.15, wall_clearance: float = 0.6,
                 wall_overlap_limit: float | None = None, period_x: tuple[float, float] | None = None,
                 async_navigation: bool = False, walking: str = DEFAULT_WAY, time_gap: float | None = None,
                 body_depth: float | None = None, short_gap: float | None = None, evade_reach: float | None = None,
                 follow: float | None = None, fidget_below: float | None = None, oncoming_gap: float | None = None,
                 headway_core: float | None = None, sidestep_max: float | None = None,
                 stream_pull: float | None = None, stream_imitate: float | None = None,
                 stream_join: float | None = None, stream_offsets: tuple[float, ...] | None = None,
                 push_from: float | None = None,
                 push_by_hurry: bool | None = None, overtake_reach: float | None = None,
                 brush_A: float | None = None, brush_B: float | None = None, brush_below: float | None = None,
                 seed: int = 0):
        # a parameter left None takes the value of the way of walking (walking.py)
        way = parameters(walking, {name: value for name, value in locals().items() if name in WAY_KEYS})
        A, radius_min, radius_max, noise = way["A"], way["radius_min"], way["radius_max"], way["noise"]
        time_gap, body_depth, short_gap = way["time_gap"], way["body_depth"], way["short_gap"]
        evade_reach, follow, fidget_below, oncoming_gap = (way["evade_reach"], way["follow"], way["fidget_below"],
                                                           way["oncoming_gap"])
        headway_core, wall_A, wall_B, sidestep_max = way["headway_core"], way["wall_A"], way["wall_B"], way["sidestep_max"]
        stream_pull, stream_imitate, stream_join = way["stream_pull"], way["stream_imitate"], way["stream_join"]
        stream_offsets = side_offsets(way["stream_offsets"])
        push_from, push_by_hurry = way["push_from"], way["push_by_hurry"]
        overtake_reach = way["overtake_reach"]
        brush_A, brush_B, brush_below = way["brush_A"], way["brush_B"], way["brush_below"]
        self.geometry = geometry
        self.destinations = destinations if destinations is not None else [[e.name for e in geometry.exits]]
        self.law = ForceLaw(A=A, B=B, k=k, kappa=kappa, cutoff=cutoff, anisotropy=anisotropy,
                            A_social=A_social, B_social=B_social, social_anisotropy=social_anisotropy,
                            side_preference=side_preference, side_range=side_range, wall_A=wall_A, wall_B=wall_B,
                            brush_A=brush_A if brush_below > 0 else None, brush_B=brush_B)
        # m; 0 = off: in a passage narrower than this (a door, a bottleneck) walls repel with
        # brush_A, brush_B (fading in over 0.5 m of width around it)
        self.brush_below = brush_below
        self.walking = walking
        self.steering = (Steering(time_gap=time_gap, short_gap=short_gap, depth=body_depth, oncoming_gap=oncoming_gap,
                                  core=headway_core, push_from=push_from, push_by_hurry=push_by_hurry)
                         if walking in KEEPS_A_GAP else None)
        # evade_reach (m; 0 = off): people step aside for oncoming people seen this far ahead, and
        # with follow (1/s) fall in behind whoever walks their way ahead (evasion.py; headway only)
        self.evasion = Evasion(reach=evade_reach, follow=follow, widest=sidestep_max) if evade_reach > 0 else None
        # overtake_reach (m; 0 = off): people pass a slower walker ahead when the space beside is free
        self.overtaking = (Overtaking(reach=overtake_reach, widest=sidestep_max)
                           if overtake_reach > 0 and self.steering is not None else None)
        # with evasion, people also join a stream walking their way (streams.py; all 0 = off)
        self.streams = Streams(pull=stream_pull, imitate=stream_imitate, join=stream_join, offsets=stream_offsets)
        if self.streams.active and self.evasion is None:
            raise ValueError("stream_pull, stream_imitate and stream_join add to stepping aside: "
                             "they need evade_reach > 0")
        self.tau, self.mass, self.dt = tau, mass, dt
        self.radius_range = (radius_min, radius_max)
        self.v0_mean, self.v0_std, self.speed_cap = v0_mean, v0_std, speed_cap
        self.desired_speed = desired_speed      # None: everybody walks at their own Weidmann speed
        self.noise = noise                      # N, std of a random force (fluctuations)
        # m/s; 0: everybody feels the random force. Else only people slower than this, fully when
        # standing: it still undoes standoffs (which stand still) but leaves walkers' lanes alone
        self.fidget_below = fidget_below
        self._noise_steps = max(1, int(round(noise_period / dt)))
        self.max_body_overlap = max_body_overlap   # m; None: bodies compress as the forces say
        # While someone runs faster than substep_speed (m/s), a step is split into up to
        # max_substeps equal parts, so that nobody moves more than substep_speed * dt per part:
        # collisions at panic speeds then compress bodies as the forces say, not as a late step does.
        self.max_substeps, self.substep_speed = max_substeps, substep_speed
        self.exit_reach = exit_reach
        self.wall_clearance = wall_clearance
        # m; None: only the clearance above. Else a body never sinks deeper than this into a wall
        # (the centre stays at least r - limit away), for large radii pressed hard against a wall.
        self.wall_overlap_limit = wall_overlap_limit
        self.period = period_x
        self.period_x = None if period_x is None else period_x[1] - period_x[0]
        self.seed = seed
        self.verlet = VerletList(cutoff, skin)
        bounds = None
        if period_x is not None:
            _, ymin, _, ymax = geometry.bounds()
            bounds = (period_x[0], ymin, period_x[1], ymax)
        self.navigator = NavigationBuilder(self.destinations, asynchronous=async_navigation,
                                           resolution=nav_resolution, clearance=nav_clearance, bounds=bounds,
                                           pad=0.0)
        # Asynchronous (the station): the first field is computed off the frame loop too, and the
        # room waits for it (no step advances time or moves anyone until it is there).
        self.navigation: NavigationField | None = None
        if async_navigation:
            self.navigator.request(geometry)
        else:
            self.navigation = self.navigator.build_now(geometry)
        self._seen_geometry = geometry.version
        self.reset()

    # -- state -------------------------------------------------------------------------------
    def reset(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.pos = np.zeros((0, 2))
        self.vel = np.zeros((0, 2))
        self.radius = np.zeros(0)
        self.v0_base = np.zeros(0)
        self.group = np.zeros(0, np.int64)
        self.tag = np.zeros(0, np.int64)
        self.hold = np.zeros(0, np.int64)
        self.ident = np.zeros(0, np.int64)
        self.time = 0.0
        self.steps = 0
        self.next_ident = 0
        self.passages: list[tuple[float, int, int]] = []   # (time s, exit index, agent ident)
        self.spawned_per_tag: dict[int, int] = {}
        self.max_overlap = 0.0
        self.max_wall_overlap = 0.0
        self.wall_crossings = 0
        self._wall_seg = self.geometry.segments()
        self._frames = self.geometry.frames()
        self._open_exits: list[int] | None = None
        self.verlet = VerletList(self.verlet.cutoff, self.verlet.skin)
        self._wall_a = self._wall_s = np.zeros(0, np.int64)
        self._brushing = np.zeros(0)          # per agent, 0-1: in a narrow passage (brush_below)
        self._noise_force = np.zeros((0, 2))
        self._target = np.zeros((0, 2))
        self._next_look = 0.0

    @property
    def count(self) -> int:
        return len(self.pos)

    def desired_speeds(self) -> np.ndarray:
        if self.desired_speed is None:
            return self.v0_base
        return self.v0_base * (self.desired_speed / self.v0_mean)

    def add_agents(self, positions: np.ndarray, group: int = 0, tag: int = 0, hold: int = -1,
                   v0: np.ndarray | None = None) -> None:
        n = len(positions)
        lo, hi = self.radius_range
        base = v0 if v0 is not None else np.clip(self.rng.normal(self.v0_mean, self.v0_std, n), 0.5, 2.2)
        self.pos = np.vstack([self.pos, np.asarray(positions, float).reshape(n, 2)])
        self.vel = np.vstack([self.vel, np.zeros((n, 2))])
        self.radius = np.concatenate([self.radius, self.rng.uniform(lo, hi, n)])
        self.v0_base = np.concatenate([self.v0_base, np.broadcast_to(base, (n,)).astype(float)])
        self.group = np.concatenate([self.group, np.full(n, group, np.int64)])
        self.tag = np.concatenate([self.tag, np.full(n, tag, np.int64)])
        self.hold = np.concatenate([self.hold, np.full(n, hold, np.int64)])
        self.ident = np.concatenate([self.ident, self.next_ident + np.arange(n)])
        self.next_ident += n
        self.spawned_per_tag[tag] = self.spawned_per_tag.get(tag, 0) + n
        self.verlet = VerletList(self.verlet.cutoff, self.verlet.skin)   # forces a rebuild

    # -- geometry edits ----------------------------------------------------------------------
    def geometry_changed(self) -> None:
        """Call after editing self.geometry: walls take effect at once, navigation follows."""
        self._seen_geometry = self.geometry.version
        self._wall_seg = self.geometry.segments()
        self._frames = self.geometry.frames()
        self._open_exits = None
        for pillar in self.geometry.pillars:   # nobody may stand inside a freshly placed pillar
            d = self.pos - np.asarray(pillar.center)
            dist = np.sqrt((d * d).sum(axis=1))
            need = pillar.radius + self.wall_clearance * self.radius + 0.02
            inside = dist < need
            if inside.any():
                safe = np.maximum(dist[inside], 1e-9)[:, None]
                direction = np.where(safe > 1e-6, d[inside] / safe, np.array([1.0, 0.0]))
                self.pos[inside] = np.asarray(pillar.center) + direction * need[inside][:, None]
        self.verlet = VerletList(self.verlet.cutoff, self.verlet.skin)
        field = self.navigator.request(self.geometry)
        if field is not None:
            self.navigation = field

    @property
    def navigation_pending(self) -> bool:
        return self.navigator.busy

    @property
    def ready(self) -> bool:
        """False until the first navigation field has arrived (asynchronous models only)."""
        return self.navigation is not None

    # -- dynamics ----------------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        for _ in range(int(round(seconds / self.dt))):
            self.step()

    def step(self) -> None:
        if self.geometry.version != self._seen_geometry:
            self.geometry_changed()
        fresh = self.navigator.poll()
        if fresh is not None:
            self.navigation = fresh
        if self.navigation is None:
            return                       # the room's first field is still being computed
        if self.count == 0:
            self.time += self.dt
            self.steps += 1
            return
        parts = 1
        if self.max_substeps > 1:
            fastest = float(np.sqrt((self.vel * self.vel).sum(axis=1).max()))
            parts = int(min(self.max_substeps, max(1, np.ceil(fastest / self.substep_speed))))
        for _ in range(parts):
            self._integrate(self.dt / parts)
        self.time += self.dt
        self.steps += 1
        if self.period is None:
            self._remove_arrived()

    def _integrate(self, dt: float) -> None:
        if self.verlet.stale(self.pos, self.period_x):
            self.verlet.rebuild(self.pos, self.period_x)
            self._wall_a, self._wall_s = near_segment_pairs(self.pos, self._wall_seg, self.verlet.cutoff + self.verlet.skin)
            self._brushing = np.zeros(0)
        if self.brush_below > 0 and len(self._brushing) != self.count:
            framing = self._frames[self._wall_s]
            width = passage_widths(self.pos, self._wall_seg, self._wall_a[framing], self._wall_s[framing])
            self._brushing = np.clip((self.brush_below + 0.25 - width) / 0.5, 0.0, 1.0)
        heading, _, _ = self.navigation.lookup(self.group, self.pos[:, 0], self.pos[:, 1])
        heading = self._held(heading)
        v0 = self.desired_speeds()
        force = self.mass * (self._target_velocity(heading, v0) - self.vel) / self.tau
        if self.noise > 0:
            force += self._fluctuation()
        f_pairs, overlap = pair_forces(self.law, self.pos, self.vel, self.radius, heading,
                                       self.verlet.i, self.verlet.j, self.period_x)
        f_walls, wall_overlap = wall_forces(self.law, self.pos, self.vel, self.radius, self._wall_seg,
                                            self._wall_a, self._wall_s,
                                            self._brushing if self.brush_below > 0 else None)
        self.max_overlap = max(self.max_overlap, overlap)
        self.max_wall_overlap = max(self.max_wall_overlap, wall_overlap)
        self.vel += (force + f_pairs + f_walls) * (dt / self.mass)
        speed = np.sqrt((self.vel * self.vel).sum(axis=1))
        cap = self.speed_cap * v0
        too_fast = speed > cap
        if too_fast.any():
            self.vel[too_fast] *= (cap[too_fast] / speed[too_fast])[:, None]
        previous = self.pos.copy()
        self.pos += self.vel * dt
        if self.max_body_overlap is not None and overlap > 0.5 * self.max_body_overlap:
            separate_bodies(self.pos, self.vel, self.radius, self.verlet.i, self.verlet.j, self.period_x,
                            self.max_body_overlap)
            speed = np.sqrt((self.vel * self.vel).sum(axis=1))
            too_fast = speed > cap
            if too_fast.any():
                self.vel[too_fast] *= (cap[too_fast] / speed[too_fast])[:, None]
        self.wall_crossings += project_out_of_walls(self.pos, self.vel, self.radius, previous,
                                                    (self._wall_a, self._wall_s, self._wall_seg),
                                                    self.wall_clearance, self.wall_overlap_limit)
        if self.period is not None:
            self.pos[:, 0] = self.period[0] + np.mod(self.pos[:, 0] - self.period[0], self.period_x)

    def _target_velocity(self, heading: np.ndarray, v0: np.ndarray) -> np.ndarray:
        if self.steering is None:
            return v0[:, None] * heading
        if len(self._target) != self.count or self.time + 1e-9 >= self._next_look:
            heading, coming = self._evaded(heading, v0)
            if self.overtaking is not None:
                passing = overtake(self.overtaking, self.pos, self.vel, self.radius, heading, v0, self.ident,
                                   self.verlet.i, self.verlet.j, self.period_x,
                                   (self._wall_a, self._wall_s, self._wall_seg))
                # nobody passes with someone coming towards them: lanes hold (README, Validation)
                heading = np.where(coming[:, None], heading, passing)
            self._target = look_ahead(self.steering, self.pos, self.radius, heading, v0,
                                      self.verlet.i, self.verlet.j, self.period_x,
                                      hurry=self.desired_speed or self.v0_mean)
            self._next_look = self.time + self.steering.period
        return self._target

    def _evaded(self, heading: np.ndarray, v0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Headings turned aside for oncoming people and towards one's stream, and who sees someone
        coming towards them (they pass nobody meanwhile: overtaking.py)."""
        # Only people going to different destinations can walk into each other (evasion.py): a
        # one-destination room pays nothing.
        if self.evasion is None or self.count == 0 or self.group.min() == self.group.max():
            return heading, np.zeros(self.count, bool)
        g = self.navigation.grid
        bounds = (g.x0, g.y0, g.x0 + g.nx * g.h, g.y0 + g.ny * g.h)
        if self.period is not None:
            bounds = (self.period[0], bounds[1], self.period[1], bounds[3])
        return aside_and_along(self.evasion, self.streams, bounds, self.period_x, self.pos, self.vel, self.radius,
                               heading, v0, self.ident, self.group)

    def _fluctuation(self) -> np.ndarray:
        # A random force held for `noise_period` s (not redrawn every 1/120 s step, whose effect
        # would average out): it breaks the perfectly symmetric standoffs of two walkers at a door.
        if len(self._noise_force) != self.count or self.steps % self._noise_steps == 0:
            self._noise_force = self.rng.normal(0.0, self.noise, (self.count, 2))
        if self.fidget_below > 0:
            speed = np.sqrt((self.vel * self.vel).sum(axis=1))
            return self._noise_force * np.clip(1.0 - speed / self.fidget_below, 0.0, 1.0)[:, None]
        return self._noise_force

    def _held(self, heading: np.ndarray) -> np.ndarray:
        waiting = self.hold >= 0
        if not waiting.any():
            return heading
        present = np.bincount(self.tag, minlength=int(self.hold.max()) + 1)
        still = waiting & (present[np.maximum(self.hold, 0)] > 0)
        self.hold[waiting & ~still] = -1
        if still.any():
            heading = heading.copy()
            heading[still] = 0.0
        return heading

    def _remove_arrived(self) -> None:
        # Anyone whose centre comes within exit_reach of an open exit leaves through it, whatever
        # their destination (a boarder pushed down the stairs has left the platform too).
        if self._open_exits is None:
            self._open_exits = [k for k, e in enumerate(self.geometry.exits) if e.is_open]
            self._exit_seg = np.array([[*self.geometry.exits[k].a, *self.geometry.exits[k].b]
                                       for k in self._open_exits]).reshape(-1, 4)
        if not self._open_exits:
            return
        dist = point_segment_distance(self.pos, self._exit_seg)
        nearest = dist.argmin(axis=1)
        arrived = dist[np.arange(len(dist)), nearest] < self.exit_reach
        if not arrived.any():
            return
        exit_id = np.asarray(self._open_exits)[nearest]
        for e, ident in zip(exit_id[arrived], self.ident[arrived]):
            self.passages.append((self.time, int(e), int(ident)))
        self.remove(arrived)

    def remove(self, mask: np.ndarray) -> None:
        keep = ~mask
        new_index = np.cumsum(keep) - 1
        if len(self._noise_force) == len(keep):
            self._noise_force = self._noise_force[keep]
        if len(self._target) == len(keep):
            self._target = self._target[keep]
        if len(self._brushing) == len(keep):
            self._brushing = self._brushing[keep]
        for name in ("pos", "vel", "radius", "v0_base", "group", "tag", "hold", "ident"):
            setattr(self, name, getattr(self, name)[keep])
        v = self.verlet
        if len(v._anchor) == len(keep):   # remap the neighbour lists instead of rebuilding them
            ok = keep[v.i] & keep[v.j]
            v.i, v.j = new_index[v.i[ok]], new_index[v.j[ok]]
            v._anchor = v._anchor[keep]
            ok = keep[self._wall_a]
            self._wall_a, self._wall_s = new_index[self._wall_a[ok]], self._wall_s[ok]

    # -- queries -----------------------------------------------------------------------------
    def speeds(self) -> np.ndarray:
        return np.sqrt((self.vel * self.vel).sum(axis=1))

    def close(self) -> None:
        self.navigator.close()
