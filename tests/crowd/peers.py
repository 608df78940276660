"""JuPedSim's models on our corridors and bottleneck, for the README's comparison (optional: JuPedSim
is in the `bench` extra; `python -m tests.crowd.runs --part peers`).

Same start positions and desired speeds as ours; JuPedSim's default parameters; the collision-free
speed model needs bodies that do not touch at the start, so its radius is its default 0.15 m
(ours: 0.2-0.3 m).
"""
from __future__ import annotations

import numpy as np

from stations.crowd.measure import steady_flow
from stations.crowd.scenario import load_scenario

from tests.crowd import corridors as c


def _agent(jps, kind: str, journey: int, stage: int, x: float, y: float, v0: float, heading: float):
    if kind == "cfsm":
        return jps.CollisionFreeSpeedModelAgentParameters(journey_id=journey, stage_id=stage, position=(x, y),
                                                          desired_speed=v0, radius=0.15)
    return jps.SocialForceModelAgentParameters(journey_id=journey, stage_id=stage, position=(x, y),
                                               orientation=(heading, 0.0), desired_speed=v0, radius=0.2)


def _simulation(jps, kind: str, area):
    model = jps.CollisionFreeSpeedModel() if kind == "cfsm" else jps.SocialForceModel()
    return jps.Simulation(model=model, geometry=area, dt=0.05 if kind == "cfsm" else 0.01)


def two_way_blocks(kind: str, width: float, density: float, seed: int = 0) -> dict:
    import jupedsim as jps

    count = int(round(density * c.BLOCK_LENGTH * width))
    ours = c.corridor(c.CORRIDOR_LENGTH, width, [("E", (1.0, 0, 26.0, width), count),
                                                 ("W", (34.0, 0, 59.0, width), count)], False).build(seed=seed)
    length = c.CORRIDOR_LENGTH
    sim = _simulation(jps, kind, [(0, 0), (length, 0), (length, width), (0, width)])
    east = sim.add_exit_stage([(length - 0.4, 0), (length, 0), (length, width), (length - 0.4, width)])
    west = sim.add_exit_stage([(0, 0), (0.4, 0), (0.4, width), (0, width)])
    journeys = [(sim.add_journey(jps.JourneyDescription([east])), east),
                (sim.add_journey(jps.JourneyDescription([west])), west)]
    placed = 0
    for (x, y), g, v0 in zip(ours.pos, ours.group, ours.v0_base):
        journey, stage = journeys[int(g)]
        try:
            sim.add_agent(_agent(jps, kind, journey, stage, float(x), float(y), float(v0), 1.0 if g == 0 else -1.0))
            placed += 1
        except Exception:   # JuPedSim refuses a start too close to another (its model constraint)
            pass
    bound = c.crossing_bound(density)
    while sim.agent_count() and sim.elapsed_time() < bound:
        sim.iterate()
    return {"placed": placed, "arrived": 1 - sim.agent_count() / placed, "bound": bound}


def bottleneck(kind: str, width: float, seed: int = 0) -> dict:
    import jupedsim as jps

    ours = load_scenario("bottleneck", {"width": width}).build(seed=seed)
    lo, hi = 4 - width / 2, 4 + width / 2
    sim = _simulation(jps, kind, [(0, -8), (8, -8), (8, 0), (hi, 0), (hi, 5), (lo, 5), (lo, 0), (0, 0)])
    stage = sim.add_exit_stage([(lo, 4.6), (hi, 4.6), (hi, 5), (lo, 5)])
    journey = sim.add_journey(jps.JourneyDescription([stage]))
    for (x, y), v0 in zip(ours.pos, ours.v0_base):
        try:
            sim.add_agent(_agent(jps, kind, journey, stage, float(x), float(y), float(v0), 0.0))
        except Exception:
            pass
    times, present = [], {a.id for a in sim.agents()}
    while sim.agent_count() and sim.elapsed_time() < 300:
        sim.iterate()
        now = {a.id for a in sim.agents()}
        times += [sim.elapsed_time()] * len(present - now)
        present = now
    flow = steady_flow(np.array(times))
    return {"flow": flow, "specific": flow / width, "left": sim.agent_count()}


def report() -> None:
    try:
        import jupedsim  # noqa: F401
    except ImportError:
        print("JuPedSim not installed (pip install -e '.[bench]'): no peer figures")
        return
    print("JuPedSim 1.4 on the same cases (seed 0): two-way blocks (share arrived within the bound), "
          "Seyfried's bottleneck (specific flow, 1.6-2.1 /(m s) published)")
    for kind in ("cfsm", "sfm"):
        rows = [two_way_blocks(kind, w, d) for w, d in ((2.5, 0.5), (2.5, 1.0), (2.5, 2.0), (4.0, 2.0))]
        blocks = ", ".join(f"{w} m {d} P/m² {r['arrived']:.0%}" for (w, d), r in
                           zip(((2.5, 0.5), (2.5, 1.0), (2.5, 2.0), (4.0, 2.0)), rows))
        flows = ", ".join(f"{w} m {bottleneck(kind, w)['specific']:.2f}" for w in (0.8, 1.0, 1.2))
        print(f"   {kind}: blocks {blocks}; bottleneck {flows}")
