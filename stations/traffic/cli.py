"""`kiosk simulate traffic SCENARIO.toml [...]`: run a scenario without a screen and print measurements.

Exit codes: 0 done, 2 bad input (message on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from .detectors import jam_outflow, wave_speed_kmh
from .idm import PARAM_SETS
from .scenario import ScenarioError, apply_overrides, load


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit code 2 with a one-line message
        self.print_usage(sys.stderr)
        raise SystemExit(_fail(message))


def _fail(message: str) -> int:
    print(f"kiosk simulate traffic: {message}", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kiosk simulate traffic", description="Run a traffic scenario headless and print measurements.")
    p.add_argument("scenario", help="scenario TOML file (see config/content/traffic/)")
    p.add_argument("--vehicles", type=int, help="number of vehicles (ring roads)")
    p.add_argument("--seconds", type=float, help="simulated seconds (default: the scenario's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--params", choices=sorted(PARAM_SETS), help="driver parameter set (IDM)")
    p.add_argument("--model", choices=("idm", "nasch"),
                   help="idm (default) or the Nagel-Schreckenberg automaton on the scenario's ring "
                        "(7.5 m cells, 1 s steps; --set nasch.p=0.5 --set nasch.vmax=5)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key, e.g. --set road.lanes=2 --set vehicles.smart_car=true")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--trajectories", type=Path, metavar="FILE", help="write t,id,lane,x,v CSV (one row per vehicle per second)")
    return p


def measure(model, seconds: float, writer=None) -> dict:
    """Run `seconds` and summarise the last half (the first half lets the pattern settle)."""
    start = time.perf_counter()
    steps = max(1, int(math.ceil(seconds)))
    chunk = seconds / steps
    for _ in range(steps):
        model.step(chunk)
        if writer is not None:
            t = round(model.t, 3)
            for vid, lane, x, v in zip(model.vid.tolist(), model.lane.tolist(), model.positions().round(3).tolist(), model.v.round(4).tolist()):
                writer.writerow((t, vid, lane, x, v))
    wall = time.perf_counter() - start
    samples = np.array(model.samples, dtype=float).reshape(-1, 5)
    half = samples[samples[:, 0] >= model.t / 2] if samples.size else samples
    field = model.field.array(min(model.t / 2, 300.0))
    wave = wave_speed_kmh(field, model.field.dx, model.field.sample_s, model.road.ring)
    det = model.detectors.recent(model.t / 2)
    flows = det[:, 2] if det.size else np.zeros(0)
    outflow = jam_outflow(det)
    return {
        "scenario": None,
        "simulated_s": round(model.t, 3),
        "vehicles": int(model.x.size),
        "lanes": model.road.lanes,
        "density_veh_km_lane": round(model.density_veh_km_lane(), 2),
        "mean_speed_kmh": round(float(half[:, 1].mean() * 3.6), 2) if half.size else None,
        "speed_std_kmh": round(float(half[:, 2].mean() * 3.6), 2) if half.size else None,
        "min_speed_kmh": round(float(half[:, 4].min() * 3.6), 2) if half.size else None,
        "flow_veh_h": round(float(flows.mean() * model.road.lanes), 1) if flows.size else None,
        "flow_veh_h_lane": round(float(flows.mean()), 1) if flows.size else None,
        "stopped_vehicles": model.stopped_count(),
        "wave_speed_kmh": None if wave is None else round(wave, 2),
        "jam_outflow_veh_h": None if outflow is None else round(outflow, 1),
        "lane_changes": model.lane_change_count,
        "total_travel_time_s": round(model.total_travel_time_s, 1),
        "collisions": model.collisions,
        "wall_time_s": round(wall, 3),
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        scenario = load(args.scenario)
        overrides = list(args.overrides) + ([f"scenario.model={args.model}"] if args.model else [])
        scenario = apply_overrides(scenario, overrides)
        if scenario.model_kind == "nasch" and args.params:
            return _fail("--params sets IDM drivers; the nasch automaton has none (use --set nasch.p=...)")
        model = scenario.build(seed=args.seed, params=args.params, vehicles=args.vehicles)
    except ScenarioError as exc:
        return _fail(str(exc))
    except (ValueError, TypeError) as exc:
        return _fail(f"{args.scenario}: {exc}")
    seconds = scenario.seconds if args.seconds is None else args.seconds
    if not seconds > 0:
        return _fail("--seconds must be positive")
    handle = None
    try:
        writer = None
        if args.trajectories:
            try:
                handle = open(args.trajectories, "w", newline="", encoding="utf-8")
            except OSError as exc:
                return _fail(f"cannot write {args.trajectories}: {exc.strerror}")
            writer = csv.writer(handle)
            writer.writerow(("t", "id", "lane", "x", "v"))
            for vid, lane, x, v in zip(model.vid.tolist(), model.lane.tolist(), model.positions().round(3).tolist(), model.v.round(4).tolist()):
                writer.writerow((0.0, vid, lane, x, v))
        result = measure(model, seconds, writer)
    finally:
        if handle is not None:
            handle.close()
    result["scenario"] = scenario.id
    result["model"] = scenario.model_kind
    if args.json:
        print(json.dumps(result))
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {'-' if value is None else value}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
