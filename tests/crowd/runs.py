"""The validation runs, as plain functions so that they can run in worker processes.

Each returns small plain data (numbers, lists) that the tests in test_validation.py judge against
the published figures. Geometry follows the RiMEA guideline (version 4.1.1, 2022) and the papers
cited in stations/crowd/README.md.
"""
from __future__ import annotations

import numpy as np

from stations.crowd.measure import lane_order, steady_flow
from stations.crowd.model import CrowdModel
from stations.crowd.scenario import Area, load_scenario, parse_scenario

from tests.crowd import candidates
from tests.crowd.helpers import replica_times, run_until_empty, tiled


def candidate(variant: str | None, room: str | None = None) -> dict | None:
    """The model parameters of a named candidate ('evasion', 'body-deep', 'headway', 'helbing2000';
    None: the default model) for a run in a bundled room: the room's own [model] values win, as they
    would over a new default (the *Évacuation* room keeps Helbing's radii and its panic limits, the
    *Couloir* its rule)."""
    if variant is None:
        return None
    cls, params = candidates.overrides(variant)
    if cls is not CrowdModel:
        raise ValueError(f"{variant!r} is not a parameter set of CrowdModel: the item-4 runs take parameters only")
    own = load_scenario(room).model if room else {}
    return {k: v for k, v in params.items() if k not in own}


def rimea1(seed: int = 0, overrides: dict | None = None) -> dict:
    """One person, 40 m x 2 m corridor, v0 = 1.33 m/s."""
    data = {"walls": [{"points": [[40, 0], [0, 0], [0, 2], [40, 2]]}],
            "exits": [{"name": "fin", "line": [[40, 0], [40, 2]]}]}
    model = parse_scenario(data, "rimea1").build(seed=seed, overrides=overrides)
    model.add_agents(np.array([[0.3, 1.0]]), v0=np.array([1.33]))
    run_until_empty(model, 60)
    return {"time": model.passages[-1][0] if model.passages else None,
            "overlap": max(model.max_overlap, model.max_wall_overlap)}


def rimea6(seed: int = 0, overrides: dict | None = None) -> dict:
    """20 people walk round a left corner of a 2 m corridor; nobody may be inside a wall."""
    data = {"walls": [{"points": [[0, 0], [12, 0], [12, 12]]}, {"points": [[0, 0], [0, 2], [10, 2], [10, 12]]}],
            "exits": [{"name": "haut", "line": [[10, 12], [12, 12]]}],
            "spawns": [{"name": "début", "rect": [0.2, 0.2, 6.0, 1.8], "count": 20}]}
    model = parse_scenario(data, "rimea6").build(seed=seed, overrides=overrides)
    outside = 0
    while model.count and model.time < 120:
        model.step()
        x, y = model.pos[:, 0], model.pos[:, 1]
        r = model.radius
        in_leg1 = (x > r * 0.5) & (x < 12 - r * 0.5) & (y > r * 0.5) & (y < 2 - r * 0.5)
        in_leg2 = (x > 10 + r * 0.5) & (x < 12 - r * 0.5) & (y > r * 0.5) & (y < 12.2)
        outside += int((~(in_leg1 | in_leg2)).sum())
    return {"left": int(model.count), "outside": outside, "crossings": int(model.wall_crossings),
            "overlap": max(model.max_overlap, model.max_wall_overlap)}


def rimea9(closed: tuple[str, ...], seed: int = 0, overrides: dict | None = None) -> dict:
    """1000 people, 30 m x 20 m, four 1 m exits, some closed."""
    model = load_scenario("four-exits").build(seed=seed, overrides=overrides)
    for name in closed:
        model.geometry.set_exit_open(name, False)
    model.geometry_changed()
    run_until_empty(model, 600)
    return {"time": model.time if model.count == 0 else None,
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}


def rimea12(seed: int = 0, overrides: dict | None = None) -> dict:
    """150 people leave a 10 m x 10 m room through a 1 m x 4 m corridor into a second room and
    out of a 1 m exit: the jam must stay at the first bottleneck."""
    data = {"walls": [{"points": [[10, 5.5], [10, 10], [0, 10], [0, 0], [10, 0], [10, 4.5], [14, 4.5],
                                  [14, 0], [24, 0], [24, 4.5]]},
                      {"points": [[10, 5.5], [14, 5.5], [14, 10], [24, 10], [24, 5.5]]}],
            "exits": [{"name": "sortie", "line": [[24, 4.5], [24, 5.5]]}],
            "spawns": [{"name": "salle", "rect": [0.3, 0.3, 9.0, 9.7], "count": 150}]}
    model = parse_scenario(data, "rimea12").build(seed=seed, overrides=overrides)
    first_passage: dict[int, float] = {}
    # 2 m x 3 m in front of each bottleneck (the corridor's entrance, the exit), while both are in
    # use: someone has left and at least 10 people still wait in the first room
    before_first, before_last = Area("first", (8.0, 3.5, 10.0, 6.5)), Area("last", (22.0, 3.5, 24.0, 6.5))
    density: dict[str, list[float]] = {"first": [], "last": []}
    while model.count and model.time < 400:
        model.step()
        if model.steps % 6 == 0:   # the corridor's entrance line x = 10.3, sampled every 0.05 s
            crossed = model.pos[:, 0] > 10.3
            for ident in model.ident[crossed].tolist():
                first_passage.setdefault(ident, model.time)
            if model.passages and (model.pos[:, 0] < 10.0).sum() >= 10:
                for area in (before_first, before_last):
                    density[area.name].append(float(area.contains(model.pos).sum()) / area.size)
    return {"first": steady_flow(np.array(list(first_passage.values()))),
            "last": steady_flow(np.array([p[0] for p in model.passages])), "left": int(model.count),
            "density_first": float(np.mean(density["first"])), "density_last": float(np.mean(density["last"])),
            "overlap": max(model.max_overlap, model.max_wall_overlap)}


def seyfried(width: float, seed: int = 0, overrides: dict | None = None) -> dict:
    model = load_scenario("bottleneck", {"width": width}).build(seed=seed, overrides=overrides)
    run_until_empty(model, 300)
    flow = steady_flow(np.array([p[0] for p in model.passages]))
    return {"width": width, "flow": flow, "specific": flow / width, "left": int(model.count),
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}


def _corridor(counts: list[int], length: float, width: float = 4.0):
    data = {"periodic": {"x": [0, length]},
            "walls": [{"points": [[0, 0], [length, 0]]}, {"points": [[0, width], [length, width]]}],
            "exits": [{"name": "e", "line": [[length, 0], [length, width]]},
                      {"name": "w", "line": [[0, 0], [0, width]]}],
            "destinations": [{"name": "E", "exits": ["e"]}, {"name": "W", "exits": ["w"]}],
            "spawns": [{"name": f"s{k}", "rect": [0, 0, length, width], "count": c, "destination": "EW"[k]}
                       for k, c in enumerate(counts) if c]}
    return parse_scenario(data, "corridor")


def weidmann(density: float, seed: int = 0, overrides: dict | None = None) -> dict:
    """Mean walking speed in a periodic 20 m x 4 m corridor at a given density (persons/m2)."""
    model = _corridor([int(round(density * 80))], 20.0).build(seed=seed, overrides=overrides)
    model.advance(3.0)                       # the lattice start settles
    model.max_overlap = model.max_wall_overlap = 0.0
    model.advance(7.0)
    speeds = []
    for _ in range(10):
        model.advance(1.0)
        speeds.append(float(model.vel[:, 0].mean()))
    return {"density": density, "speed": float(np.mean(speeds)),
            "overlap": max(model.max_overlap, model.max_wall_overlap)}


def lanes(seed: int = 0, keep_right: int = 1, overrides: dict | None = None) -> dict:
    """The station's counterflow corridor: the lane order parameter at the start and every second
    for 60 s (keep_right = 0: « Aucune règle », people only step aside for each other)."""
    model = load_scenario("corridor", {"keep_right": keep_right}).build(seed=seed, overrides=overrides)
    order = [lane_order(model.pos, np.where(model.group == 0, 1, -1))]
    for _ in range(60):
        model.advance(1.0)
        order.append(lane_order(model.pos, np.where(model.group == 0, 1, -1)))
    return {"order": order, "overlap": max(model.max_overlap, model.max_wall_overlap)}


def evacuation_replicas(desired_speed: float, copies: int = 10, pillar: bool = False, seed: int = 0,
                        overrides: dict | None = None) -> dict:
    """Helbing's room x `copies` seeds side by side; optionally his column before the door."""
    extra = [{"center": [13.8, 7.0], "radius": 0.3}] if pillar else None
    model = tiled("evacuation", copies, extra_obstacles=extra).build(
        seed=seed, overrides={**(overrides or {}), "desired_speed": desired_speed})
    run_until_empty(model, 300)
    times = replica_times(model, copies, 1)
    return {"speed": desired_speed, "pillar": pillar, "times": times,
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}


def _pool():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("fork"))


WORKERS = 2


def _run_all(jobs: dict) -> dict:
    if WORKERS == 1:      # one process: a shared machine
        return {k: fn(*args, **kwargs) for k, (fn, args, kwargs) in jobs.items()}
    with _pool() as pool:
        futures = {k: pool.submit(fn, *args, **kwargs) for k, (fn, args, kwargs) in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


MODELS = ("helbing2000", "headway", "body-deep", "evasion", "walk-b", "stream-join", "anticipating")
FD_DENSITIES = (0.5, 1.0, 2.0, 3.0, 4.0)
TWO_WAY = [(w, d) for w in (2.5, 4.0) for d in (0.5, 1.0, 1.5, 2.0)]
CANDIDATES = ("helbing2000", "headway", "body-deep", "evasion", "stream", "stream-imitate", "stream-wide",
              "stream-join-follow", "stream-join", "time-to-collision", "grid-vision", "pair-vision", "pair-vision-far")


def report_corridors(seeds: int) -> None:
    """Items 1-3 of the model's requirements, each with the published figure beside ours."""
    from tests.crowd import corridors as c

    jobs = {}
    for m in MODELS:
        for d in FD_DENSITIES:
            for s in range(min(seeds, 3)):
                jobs[("fd", m, d, s)] = (c.one_way, (d, s), {"variant": m})
        for d in (0.5, 1.0, 2.0):
            jobs[("zhang", m, d)] = (c.two_way_periodic, (d, 0), {"variant": m})
        for w, d in TWO_WAY:
            for s in range(seeds):
                jobs[("blocks", m, w, d, s)] = (c.two_way_blocks, (w, d, s), {"variant": m})
        for a in (0, 30, 45, 60, 90):
            jobs[("rot", m, a)] = (c.rotated, (a, 0), {"variant": m})
    res = _run_all(jobs)
    print("1. Fundamental diagram, one way: periodic corridor 30 m x 4 m, PedPy Voronoi speed in 10 m x 4 m "
          f"(mean of {min(seeds, 3)} seeds, min-max)")
    print(f"   {'P/m²':>5} {'Weidmann':>9} {'band':>10} " + " ".join(f"{m:>24}" for m in MODELS))
    for d in FD_DENSITIES:
        cells = []
        for m in MODELS:
            v = [res[("fd", m, d, s)]["speed"] for s in range(min(seeds, 3))]
            cells.append(f"{np.mean(v):.2f} ({min(v):.2f}-{max(v):.2f})")
        lo, hi = WEIDMANN_BANDS[d]
        print(f"   {d:>5} {c.weidmann_speed(d):>9.2f} {lo:>4.2f}-{hi:<5.2f} " + " ".join(f"{x:>24}" for x in cells))
    print("   bidirectional, half each way (Zhang et al. 2012: close to the one-way diagram up to ~2 P/m²), "
          "seed 0, order = Rex-Löwen after 30 s:")
    for d in (0.5, 1.0, 2.0):
        print(f"   {d:>5} " + " ".join(f"{m}: {res[('zhang', m, d)]['speed']:.2f} m/s (order {res[('zhang', m, d)]['order']:.2f})"
                                      for m in MODELS))
    print(f"2. Two-way blocks 25 m long in a 60 m corridor, {seeds} seeds: worst share arrived within the bound "
          "(the slowest 5 % at Weidmann's speed for 2 x density); lane order while crossing (median over the crossing, "
          ">= 0.8 asked in every run): lowest and median run, and the median order the same positions give "
          "sorted into two perfect lanes")
    for w, d in TWO_WAY:
        cells = []
        for m in MODELS:
            rows = [res[("blocks", m, w, d, s)] for s in range(seeds)]
            orders = [r["order"] for r in rows if r["order"] is not None]
            perfect = [r["perfect"] for r in rows if r["perfect"] is not None]
            cells.append(f"{m}: {min(r['arrived'] for r in rows):.0%} arrived, order "
                         + (f"{min(orders):.2f} / {np.median(orders):.2f} (perfect lanes {np.median(perfect):.2f})"
                            if orders else "-"))
        print(f"   {w} m, {d} P/m² ({rows[0]['people']} people, {rows[0]['bound']:.0f} s): " + "; ".join(cells))
    print("3. Rotation: 20 m x 2.5 m corridor walked end to end, mean time to the exit (within 5 % of 0°)")
    for m in MODELS:
        ref = res[("rot", m, 0)]["mean"]
        print(f"   {m}: " + ", ".join(f"{a}° {res[('rot', m, a)]['mean']:.2f} s ({res[('rot', m, a)]['mean'] / ref - 1:+.1%})"
                                       for a in (0, 30, 45, 60, 90)))


def report_candidates() -> None:
    """The candidate models of the README, seed 0: a few densities one way, two-way blocks in 2.5 m."""
    from tests.crowd import corridors as c

    jobs = {}
    for v in CANDIDATES:
        for d in (1.0, 2.0, 3.0):
            jobs[("fd", v, d)] = (c.one_way, (d, 0), {"variant": v})
        for d in (0.5, 1.0):
            jobs[("blocks", v, d)] = (c.two_way_blocks, (2.5, d, 0), {"variant": v})
    res = _run_all(jobs)
    print("Candidates (seed 0): one-way v(1), v(2), v(3) m/s; two-way blocks 2.5 m at 0.5 and 1 P/m²: arrived, order")
    for v in CANDIDATES:
        fd = ", ".join(f"{res[('fd', v, d)]['speed']:.2f}" for d in (1.0, 2.0, 3.0))
        tw = "; ".join(f"{res[('blocks', v, d)]['arrived']:.0%} arrived, order "
                       + ("-" if res[("blocks", v, d)]["order"] is None else f"{res[('blocks', v, d)]['order']:.2f}")
                       for d in (0.5, 1.0))
        print(f"   {v:>16}: {fd}  |  {tw}")


WEIDMANN_BANDS = {0.5: (1.1, 1.4), 1.0: (0.85, 1.25), 2.0: (0.4, 0.85), 3.0: (0.15, 0.6), 4.0: (0.0, 0.4)}


def report(variant: str | None = None) -> None:
    """Print every validation figure of item 4 (takes a few minutes): today's default model, or with
    `variant` a candidate's parameters in the same rooms (each room's own [model] values winning)."""

    def over(room: str | None = None) -> dict:
        return {"overrides": candidate(variant, room)}

    speeds = (1.0, 1.5, 2.0, 3.0, 5.0)
    jobs = {f"fis {v}": (evacuation_replicas, (v,), over("evacuation")) for v in speeds}
    jobs.update({
        "pillar": (evacuation_replicas, (5.0, 10, True), over("evacuation")),
        "rimea9 4": (rimea9, ((),), over("four-exits")),
        "rimea9 2": (rimea9, (("ouest-sud", "ouest-nord"),), over("four-exits")),
        "rimea12": (rimea12, (), over()), "rimea6": (rimea6, (), over()), "rimea1": (rimea1, (), over()),
        **{f"seyfried {w}": (seyfried, (w,), over("bottleneck")) for w in (0.8, 1.0, 1.2)},
        **{f"weidmann {d}": (weidmann, (d,), over()) for d in (1.0, 2.0, 4.0)},
        **{f"lanes {s}": (lanes, (s,), over("corridor")) for s in range(5)},
        **{f"lanes free {s}": (lanes, (s, 0), over("corridor")) for s in range(5)},
    })
    others = ("headway", "body-deep", "evasion") if variant is None else ()
    jobs.update({f"seyfried {m} {w}": (seyfried, (w, 0, candidate(m, "bottleneck")), {})
                 for m in others for w in (0.8, 1.0, 1.2)})
    res = _run_all(jobs)

    def med(times):
        return float(np.median([np.inf if t is None else t for t in times]))

    print(f"4. What held before ({variant or 'the default model'}"
          + ("; Seyfried also with the headway rule, body-deep and evasion" if others else "") + "):")
    print(f"RiMEA 1: {res['rimea1']['time']:.1f} s (26-34 s)")
    r6 = res["rimea6"]
    print(f"RiMEA 6: inside a wall {r6['outside']} agent-steps, crossings {r6['crossings']}, left {r6['left']}")
    t4, t2 = res["rimea9 4"]["time"], res["rimea9 2"]["time"]
    if t4 is None or t2 is None:
        print(f"RiMEA 9: T4 = {t4}, T2 = {t2} (None: people still inside after 600 s)")
    else:
        print(f"RiMEA 9: T4 = {t4:.1f} s, T2 = {t2:.1f} s, |T2 - 2 T4| / 2 T4 = {abs(t2 - 2 * t4) / (2 * t4):.2f} "
              "(<= 0.5)")
    r12 = res["rimea12"]
    print(f"RiMEA 12: flow first bottleneck {r12['first']:.2f} /s, last exit {r12['last']:.2f} /s; mean density "
          f"before the first {r12['density_first']:.2f} /m², before the last {r12['density_last']:.2f} /m², "
          f"left {r12['left']}")
    for w in (0.8, 1.0, 1.2):
        r = res[f"seyfried {w}"]
        print(f"Seyfried b = {w} m: {r['flow']:.2f} /s, specific {r['specific']:.2f} /(m s) (1.6-2.1)"
              + "".join(f"; {m} {res[f'seyfried {m} {w}']['specific']:.2f}" for m in others))
    for d in (1.0, 2.0, 4.0):
        print(f"Weidmann rho = {d}: v = {res[f'weidmann {d}']['speed']:.2f} m/s")
    for rule in ("", "free "):
        for s in range(5):
            o = res[f"lanes {rule}{s}"]["order"]
            first = next((t for t, x in enumerate(o) if x >= 0.8), None)
            print(f"lanes {'(no keep right) ' if rule else ''}seed {s}: start {o[0]:.2f}, best within 20 s "
                  f"{max(o[1:21]):.2f}, first >= 0.8 at {first} s, mean 45-60 s {np.mean(o[45:]):.2f}")
    print("faster is slower (median of 10 seeds, inf = some still inside after 300 s): "
          + ", ".join(f"v0 {v}: {med(res[f'fis {v}']['times']):.1f} s" for v in speeds))
    print(f"pillar in panic (v0 5): {med(res['pillar']['times']):.1f} s vs {med(res['fis 5.0']['times']):.1f} s without")
    overlaps = {k: round(v["overlap"], 3) for k, v in res.items()}
    print(f"max overlap per run (m): {overlaps}")
    crossings = {k: v["crossings"] for k, v in res.items() if v.get("crossings")}
    print(f"wall crossings: {crossings or 'none'}")


def main(argv: list[str] | None = None) -> None:
    """python -m tests.crowd.runs [--seeds N] [--part corridors,validation,candidates,peers]
    [--variant evasion] [--workers 1] (all parts and 10 seeds by default: an hour or more on two cores)."""
    import argparse

    global WORKERS
    p = argparse.ArgumentParser(prog="python -m tests.crowd.runs")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--part", default="corridors,validation,candidates,peers")
    p.add_argument("--variant", default=None,
                   help="validation: a candidate's parameters (evasion, body-deep, headway) instead of the default")
    p.add_argument("--workers", type=int, default=2, help="worker processes (1: everything in this one)")
    args = p.parse_args(argv)
    WORKERS = args.workers
    parts = args.part.split(",")
    if "corridors" in parts:
        report_corridors(args.seeds)
    if "validation" in parts:
        report(args.variant)
    if "candidates" in parts:
        report_candidates()
    if "peers" in parts:
        from tests.crowd import peers
        peers.report()


if __name__ == "__main__":
    main()
