"""`kiosk simulate crowd SCENARIO.toml [--agents N] [--seconds S] [--seed K] [--set key=value ...]
[--json] [--trajectories FILE]`: run a scenario headless and print its measurements."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from .measure import Probe, summary
from .scenario import MODEL_KEYS, ScenarioError, load_scenario

TRAJECTORY_FPS = 10


def parse_value(text: str):
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def parse_setting(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), parse_value(value)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk simulate crowd", description="Run a crowd scenario without a screen.")
    p.add_argument("scenario", help="a scenario TOML file, or the name of a bundled one (evacuation, corridor...)")
    p.add_argument("--agents", type=int, help="total number of people (spawn counts scaled)")
    p.add_argument("--seconds", type=float, help="simulated seconds at most (default: the scenario's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--set", dest="settings", type=parse_setting, action="append", default=[], metavar="KEY=VALUE",
                   help="a model parameter (desired_speed=3, tau=0.5...) or a scenario parameter (width=0.8)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--trajectories", type=Path, help="write JuPedSim/PedPy text trajectories (id frame x y z)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.agents is not None and args.agents < 0 or args.seconds is not None and args.seconds <= 0:
        print("error: --agents must be >= 0 and --seconds > 0", file=sys.stderr)
        return 2
    model_settings = {k: v for k, v in args.settings if k in MODEL_KEYS}
    scenario_settings = {k: v for k, v in args.settings if k not in MODEL_KEYS}
    try:
        scenario = load_scenario(args.scenario, scenario_settings)
        model = scenario.build(agents=args.agents, seed=args.seed, overrides=model_settings)
    except (ScenarioError, TypeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = args.seconds if args.seconds is not None else scenario.seconds
    probe = Probe(scenario.areas)
    out: TextIO | None = None
    if args.trajectories is not None:
        try:
            out = args.trajectories.open("w", encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.trajectories}: {exc.strerror}", file=sys.stderr)
            return 2
        out.write(f"# scenario: {scenario.id}\n# framerate: {TRAJECTORY_FPS:.1f}\n# unit: m\n# id frame x y z\n")
    every = max(1, round(1 / (TRAJECTORY_FPS * model.dt)))
    start = time.perf_counter()
    total_steps = int(round(seconds / model.dt))
    try:
        for step in range(total_steps):
            if out is not None and step % every == 0:
                frame = step // every
                out.writelines(f"{i} {frame} {x:.4f} {y:.4f} 0\n" for i, (x, y) in zip(model.ident, model.pos))
            model.step()
            probe.sample(model)
            if model.count == 0 and model.period is None:
                break
    finally:
        if out is not None:
            out.close()
        model.close()
    result = summary(model, probe, time.perf_counter() - start)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_report(scenario.title, result)
    return 0


def print_report(title: str, r: dict) -> None:
    evac = r["evacuation_time_s"]
    print(f"{title}: {r['simulated_s']:.1f} s simulated in {r['wall_time_s']:.1f} s")
    print(f"  evacuation time: {'-' if evac is None else f'{evac:.1f} s'}   remaining: {r['agents_remaining']}")
    for ex in r["exits"]:
        print(f"  exit {ex['name']}: {ex['persons']} persons, {ex['flow_per_s']:.2f} /s, "
              f"{ex['specific_flow_per_m_s']:.2f} /(m s)")
    for a in r["areas"]:
        print(f"  area {a['name']}: density {a['density_per_m2']} /m2, speed {a['speed_m_s']} m/s")
    print(f"  max overlap {r['max_overlap_m']:.3f} m, wall crossings {r['wall_crossings']}")
