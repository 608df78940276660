"""Crowd benchmark: model step time of the default way of walking ("anticipating": discs a body deep,
the headway rule, stepping aside, streams, passing, walls brushed in doors), of the 2000 model
("helbing2000") and of the headway rule alone ("headway") in the same run, wall seconds per simulated second, JuPedSim's
SocialForceModel and CollisionFreeSpeedModel on the same room in the same run, and the station's
frame time headless at 1920x1080 with the simulated seconds it gets through per real second (below
1: the crowd is in slow motion).

The room is a square scaled so that N people stand at 1.25 persons/m2, one 1 m door in the middle of
the east wall; everyone walks to it (the start of an evacuation: the costly, dense phase).
    python -m bench crowd
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import median, percentile
from stations.crowd.scenario import parse_scenario
# the ways of walking timed side by side: model overrides
WALKERS = {"headway": {"walking": "headway"}, "2000": {"walking": "helbing2000"}, "default": {}}

SIZES = (1000, 2000, 5000, 10000)
DENSITY = 1.25
DT = 1 / 120
STEPS = {1000: 240, 2000: 240, 5000: 120, 10000: 90}
PEER_STEPS = {1000: 120, 2000: 60, 5000: 30, 10000: 20}


def room(n: int):
    side = float(np.sqrt(n / DENSITY / 0.85))     # spawn area ~85 % of the room
    lo, hi = side / 2 - 0.5, side / 2 + 0.5
    data = {"walls": [{"points": [[side, lo], [side, 0], [0, 0], [0, side], [side, side], [side, hi]]}],
            "exits": [{"name": "porte", "line": [[side, lo], [side, hi]]}],
            "spawns": [{"name": "salle", "rect": [0.3, 0.3, side - 0.3, side - 0.3], "count": n}]}
    return side, parse_scenario(data, f"bench-{n}")


def station_in_room(station, n: int, overrides: dict | None = None) -> None:
    """The crowd station on the benchmark's room of n people (its field built by the worker process)."""
    _, scenario = room(n)
    station.scenario = scenario
    station.model = scenario.build(seed=1, async_navigation=True, overrides=overrides)
    station.model.desired_speed = 1.34
    station.view.fit(station.model)
    station._new_attempt()


def time_ours(n: int) -> tuple[dict[str, list[float]], np.ndarray, np.ndarray]:
    """Step times (s) of each way of walking in WALKERS on the same room, steps interleaved (one of
    each in turn) so that a busy machine slows them alike; and the start (positions, desired speeds)."""
    _, scenario = room(n)
    models = {name: scenario.build(seed=1, overrides=options) for name, options in WALKERS.items()}
    first = models["headway"]
    start_pos, start_v0 = first.pos.copy(), first.v0_base.copy()
    for model in models.values():
        model.advance(0.25)                       # first neighbour lists, caches
    out: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(STEPS[n]):
        for name, model in models.items():
            t0 = time.perf_counter()
            model.step()
            out[name].append(time.perf_counter() - t0)
    return out, start_pos, start_v0


def time_jupedsim(n: int, pos: np.ndarray, v0: np.ndarray, model: str) -> list[float] | None:
    """JuPedSim's SocialForceModel ("sfm") or CollisionFreeSpeedModel ("cfsm") on the same room."""
    try:
        import jupedsim as jps
    except ImportError:
        return None
    side, _ = room(n)
    lo, hi = side / 2 - 0.5, side / 2 + 0.5
    # the same room as a polygon with a 0.5 m deep doorway, the exit stage just outside it
    area = [(0, 0), (side, 0), (side, lo), (side + 0.5, lo), (side + 0.5, hi), (side, hi), (side, side), (0, side)]
    operational = jps.SocialForceModel() if model == "sfm" else jps.CollisionFreeSpeedModel()
    sim = jps.Simulation(model=operational, geometry=area, dt=DT)
    exit_id = sim.add_exit_stage([(side + 0.3, lo), (side + 0.5, lo), (side + 0.5, hi), (side + 0.3, hi)])
    journey = sim.add_journey(jps.JourneyDescription([exit_id]))
    rng = np.random.default_rng(1)
    for (x, y), speed in zip(pos, v0):
        radius = float(rng.uniform(0.2, 0.3))
        if model == "sfm":
            agent = jps.SocialForceModelAgentParameters(
                journey_id=journey, stage_id=exit_id, position=(float(x), float(y)), orientation=(1.0, 0.0),
                desired_speed=float(speed), radius=radius)
        else:   # a first-order model: bodies may not touch at the start, so everyone starts slimmer
            agent = jps.CollisionFreeSpeedModelAgentParameters(
                journey_id=journey, stage_id=exit_id, position=(float(x), float(y)), desired_speed=float(speed),
                radius=0.15)
        sim.add_agent(agent)
    for _ in range(30):
        sim.iterate()
    out = []
    for _ in range(PEER_STEPS[n]):
        t0 = time.perf_counter()
        sim.iterate()
        out.append(time.perf_counter() - t0)
    return out


def frame_times(n: int, frames: int = 90, overrides: dict | None = None) -> tuple[float, float, float]:
    """update + draw of the station with N people, headless 1920x1080: ms median and p99, and the
    simulated seconds per real second. Each update gets the previous frame's duration (at least
    1/60 s, at most 0.1 s) as the app's clock gives it; past its `model_budget_ms` the station steps
    less than asked, so a slow frame rate and a slowed crowd show up here, not only the fps."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from kiosk.testing import canvas, close_context, make_context
    from stations.crowd.station import CrowdStation

    ctx = make_context("crowd", tmp_path=Path(tempfile.mkdtemp()), station_cls=CrowdStation)
    station = CrowdStation(ctx)
    station.reset()
    station_in_room(station, n, overrides)
    while not station.model.ready:                # the field comes from the worker process
        station.update(1 / 60)
        time.sleep(0.01)
    surface = canvas(ctx)
    out, dt = [], 1 / 60
    for k in range(frames):
        if k == 10:
            sim_start, real = station.model.time, 0.0
        t0 = time.perf_counter()
        station.update(dt)
        station.draw(surface)
        took = time.perf_counter() - t0
        dt = min(max(took, 1 / 60), 0.1)
        out.append(took)
        if k >= 10:
            real += dt
    rate = (station.model.time - sim_start) / real
    station.model.close()
    close_context(ctx)
    return median(out[10:]) * 1e3, percentile(out[10:], 99) * 1e3, rate


def time_stepping_aside(n: int = 2000, steps: int = 360) -> tuple[np.ndarray, np.ndarray]:
    """Step times (s) in a two-way periodic corridor 100 m x 10 m, half the people each way, walking
    as the default way walks there (stepping aside 4 m, joining one's stream) and the same without
    either, steps interleaved. The look every 0.1 s (a 4 m pair list, the streams' grid) is the cost."""
    box = [0, 0, 100, 10]
    data = {"periodic": {"x": [0, 100]},
            "walls": [{"points": [[0, 0], [100, 0]]}, {"points": [[0, 10], [100, 10]]}],
            "exits": [{"name": "e", "line": [[100, 0], [100, 10]]}, {"name": "w", "line": [[0, 0], [0, 10]]}],
            "destinations": [{"name": "E", "exits": ["e"]}, {"name": "W", "exits": ["w"]}],
            "spawns": [{"name": "e", "rect": box, "count": n // 2, "destination": "E"},
                       {"name": "w", "rect": box, "count": n - n // 2, "destination": "W"}]}
    scenario = parse_scenario(data, "bench-two-way")
    without = {"evade_reach": 0.0, "stream_pull": 0.0, "stream_imitate": 0.0, "stream_join": 0.0}
    models = [scenario.build(seed=1, overrides={"noise": 0.0, **extra}) for extra in ({}, without)]
    for model in models:
        model.advance(0.25)
    out: tuple[list[float], list[float]] = ([], [])
    for _ in range(steps):
        for model, times in zip(models, out):
            t0 = time.perf_counter()
            model.step()
            times.append(time.perf_counter() - t0)
    return np.array(out[0]), np.array(out[1])


def main() -> None:
    print(f"crowd model step at dt = 1/120 s, room at {DENSITY} persons/m2 (median of {min(STEPS.values())}+ steps)")
    print("'headway' (the rule alone), '2000' (the default until 2026-12-07) and 'default' ('anticipating') step in turn")
    print("in one run; wall s per simulated s = mean step time x 120 (neighbour-list rebuilds included), for every")
    print("simulator; JuPedSim 'SFM' and 'CFSM' (Collision Free Speed Model) get the same room, start and desired")
    print("speeds, dt = 1/120 s; 'x' = their time / ours (headway, default). One door: everyone walks one way, so")
    print("the look for oncoming people is skipped (its cost: the two-way corridor below)")
    print(f"{'N':>6} {'headway ms':>10} {'p95':>6} {'2000 ms':>8} {'/ 2000':>7} {'default ms':>10} {'p95':>6} "
          f"{'/ 2000':>7} {'wall s/sim s h, e':>17} {'SFM s/sim s':>12} {'x h, e':>11} {'CFSM s/sim s':>13} {'x h, e':>11}")
    for n in SIZES:
        steps, pos, v0 = time_ours(n)
        per_sim_s = {name: float(np.mean(t)) / DT for name, t in steps.items()}
        cells = []
        for peer_model in ("sfm", "cfsm"):
            peer = time_jupedsim(n, pos, v0, peer_model)
            if peer is None:
                cells += ["not installed", "-"]
            else:
                peer_s = float(np.mean(peer)) / DT
                cells += [f"{peer_s:.3f}",
                          f"{peer_s / per_sim_s['headway']:.1f}x {peer_s / per_sim_s['default']:.1f}x"]
        med = {name: median(t) for name, t in steps.items()}
        print(f"{n:>6} {med['headway'] * 1e3:>10.2f} {percentile(steps['headway'], 95) * 1e3:>6.2f} "
              f"{med['2000'] * 1e3:>8.2f} {med['headway'] / med['2000']:>6.2f}x {med['default'] * 1e3:>10.2f} "
              f"{percentile(steps['default'], 95) * 1e3:>6.2f} {med['default'] / med['2000']:>6.2f}x "
              f"{per_sim_s['headway']:>10.3f} {per_sim_s['default']:>6.3f} {cells[0]:>12} {cells[1]:>11} "
              f"{cells[2]:>13} {cells[3]:>11}", flush=True)
    aside, plain = time_stepping_aside()
    print(f"two-way corridor, 2000 people, stepping aside and streams (one look every 0.1 s): mean step "
          f"{aside.mean() * 1e3:.2f} ms vs {plain.mean() * 1e3:.2f} ms without ({aside.mean() / plain.mean():.2f}x), "
          f"medians {median(list(aside)) * 1e3:.2f} / {median(list(plain)) * 1e3:.2f} ms; "
          f"{aside.mean() / DT:.3f} wall s per simulated s", flush=True)
    print("station frame (update + draw; each update gets the previous frame's duration), headless 1920x1080:")
    for n in (2000, 10000):
        for name, options in (("default", None), ("2000 model", {"walking": "helbing2000"})):
            med, p99, rate = frame_times(n, overrides=options)
            print(f"  N = {n:>5}, {name:>14}: median {med:.1f} ms ({min(60, 1000 / med):.0f} fps), p99 {p99:.1f} ms, "
                  f"{rate:.2f} simulated s per real s" + ("" if rate > 0.95 else
                                                          " (slow motion: the station keeps the frame rate, not the pace)"),
                  flush=True)


if __name__ == "__main__":
    main()
