"""Traffic benchmarks: vehicle-updates per second, the 22-car ring step, SUMO on the same
ring, and the station's frame time. Figures only: nothing here fails on time."""
from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from bench.common import median, percentile
from stations.traffic.idm import EXHIBIT
from stations.traffic.model import TrafficModel
from stations.traffic.roads import Road

RUNS = 5


def _updates_per_s(road: Road, n: int, substeps: int, measure: bool = False) -> float:
    m = TrafficModel(road=road, params=EXHIBIT, vehicles=n, seed=1, measure=measure)
    m.step(2.0)                                      # warm-up (allocations, caches)
    rates = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        for _ in range(substeps):
            m._substep(0.2)
        rates.append(n * substeps / (time.perf_counter() - t0))
    return median(rates)


def ring_step_us() -> tuple[float, float]:
    """Median µs per 0.2 s step of the Sugiyama ring (22 cars, 230 m, exhibit set with noise), without
    and with the measurements the station uses; runs interleaved so that machine load hits both alike."""
    models = [TrafficModel(road=Road(length=230), params=EXHIBIT, vehicles=22, seed=1, measure=flag) for flag in (False, True)]
    runs: list[list[float]] = [[], []]
    for m in models:
        m.step(10)
    for _ in range(2 * RUNS):
        for k, m in enumerate(models):
            t0 = time.perf_counter()
            for _ in range(1000):
                m._substep(0.2)
            runs[k].append((time.perf_counter() - t0) / 1000 * 1e6)
    return median(runs[0]), median(runs[1])


def _sumo_home() -> Path | None:
    try:
        import sumo  # the eclipse-sumo wheel (optional `bench` extra)
    except ImportError:
        return None
    return Path(sumo.SUMO_HOME)


def _write_sumo_ring(folder: Path, length: float, cars: int, step: float, steps: int, home: Path) -> Path:
    """A one-lane circular net of `length` m (curved edges of at most 500 m, like a city's blocks, and at
    least 4), `cars` IDM vehicles looping on it."""
    radius = length / (2 * math.pi)
    count = max(4, math.ceil(length / 500.0))
    angles = np.linspace(0, 2 * math.pi, count + 1)
    (folder / "ring.nod.xml").write_text("<nodes>" + "".join(
        f'<node id="n{k}" x="{radius * math.cos(a):.3f}" y="{radius * math.sin(a):.3f}"/>'
        for k, a in enumerate(angles[:-1])) + "</nodes>")
    edges = []
    for k in range(count):
        shape = " ".join(f"{radius * math.cos(a):.3f},{radius * math.sin(a):.3f}"
                         for a in np.linspace(angles[k], angles[k + 1], 12))
        edges.append(f'<edge id="e{k}" from="n{k}" to="n{(k + 1) % count}" numLanes="1" speed="30" shape="{shape}"/>')
    (folder / "ring.edg.xml").write_text("<edges>" + "".join(edges) + "</edges>")
    subprocess.run([str(home / "bin" / "netconvert"), "-n", "ring.nod.xml", "-e", "ring.edg.xml", "-o", "ring.net.xml",
                    "--no-turnarounds", "true", "--junctions.corner-detail", "0", "--no-warnings", "true"],
                   cwd=folder, check=True, capture_output=True)
    laps = int(steps * step * 30 / length) + 2
    # The edges are polygons, a little shorter than the arcs: place the cars on the lengths netconvert built.
    net = (folder / "ring.net.xml").read_text()
    edge_lengths = [float(re.search(rf'<lane id="e{k}_0"[^>]*length="([0-9.]+)"', net).group(1)) for k in range(count)]
    starts = np.concatenate(([0.0], np.cumsum(edge_lengths)))
    vehicles = []
    for i in range(cars):
        pos = i * starts[-1] / cars
        edge = min(count - 1, int(np.searchsorted(starts, pos, side="right") - 1))
        r = " ".join(f"e{(edge + k) % count}" for k in range(count * laps))
        vehicles.append(f'<vehicle id="v{i}" type="idm" depart="0" departPos="{min(pos - starts[edge] + 4.5, edge_lengths[edge]):.2f}" '
                        f'departSpeed="0"><route edges="{r}"/></vehicle>')
    (folder / "ring.rou.xml").write_text(
        '<routes><vType id="idm" carFollowModel="IDM" accel="1.6" decel="3" tau="0.6" minGap="1.5" length="4.5" '
        'maxSpeed="30.5" sigma="0"/>' + "".join(vehicles) + "</routes>")
    return folder


def _ours_step_us(cars: int, length: float, rounds: int) -> float:
    """Median µs per 0.2 s step of our one-lane ring (exhibit set, detectors off)."""
    m = TrafficModel(road=Road(length=length), params=EXHIBIT, vehicles=cars, seed=1, measure=False)
    m.step(2.0)
    steps = max(20, 20_000 // cars)
    runs = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(steps):
            m._substep(0.2)
        runs.append((time.perf_counter() - t0) / steps * 1e6)
    return median(runs)


def sumo_vs_ours(cars: int = 22, length: float = 230.0, step: float = 0.2, rounds: int = 3,
                 ours: Callable[[], tuple[float, float]] = ring_step_us):
    """SUMO's µs per step on the same ring, and ours, measured in alternation (machine load hits both).

    SUMO's time is (long run - short run) / extra steps, so start-up and file parsing cancel out.
    `ours()` gives our (bare, measuring) µs per step on the same ring. Returns (sumo µs, ours bare µs,
    ours measuring µs, median ratio bare, median ratio measuring) or None.
    """
    home = _sumo_home()
    if home is None or not (home / "bin" / "sumo").exists():
        return None
    long_steps = max(300, 440_000 // cars)
    short_steps = long_steps // 10
    folder = Path(tempfile.mkdtemp(prefix="sumo-ring-"))
    try:
        _write_sumo_ring(folder, length, cars, step, long_steps, home)

        def run(steps: int) -> float:
            t0 = time.perf_counter()
            subprocess.run([str(home / "bin" / "sumo"), "-n", "ring.net.xml", "-r", "ring.rou.xml", "--step-length", str(step),
                            "--end", str(steps * step), "--no-step-log", "true", "--no-warnings", "true",
                            "--collision.action", "none"], cwd=folder, check=True, capture_output=True,
                           env={**os.environ, "SUMO_HOME": str(home)})
            return time.perf_counter() - t0

        sumo, bare, measuring = [], [], []
        for _ in range(rounds):
            sumo.append((run(long_steps) - run(short_steps)) / (long_steps - short_steps) * 1e6)
            b, mz = ours()
            bare.append(b)
            measuring.append(mz)
        ratio_bare = median([s_ / b_ for s_, b_ in zip(sumo, bare)])
        ratio_meas = median([s_ / m_ for s_, m_ in zip(sumo, measuring)])
        return median(sumo), median(bare), median(measuring), ratio_bare, ratio_meas
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _station_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("kiosk.testing", "stations.traffic.station"))


@contextmanager
def _running_station() -> Iterator[tuple]:
    """The traffic station entered on a headless 1920x1080 canvas, with a throw-away data directory."""
    from kiosk.testing import canvas, close_context, make_context
    from stations.traffic.station import TrafficStation
    with tempfile.TemporaryDirectory() as tmp:
        ctx = make_context("traffic", tmp_path=Path(tmp), station_cls=TrafficStation)
        station = TrafficStation(ctx)
        station.reset()
        station.enter()
        try:
            yield station, canvas(ctx)
        finally:
            station.exit()
            close_context(ctx)


def station_frames(frames: int = 300) -> tuple[float, float, float] | None:
    """(median ms, p99 ms, model ms per frame) of update+draw at 1920x1080, headless."""
    if not _station_available():
        return None
    with _running_station() as (station, surface):
        for _ in range(30):
            station.update(1 / 60)
            station.draw(surface)
        total, model = [], []
        for k in range(frames):
            t0 = time.perf_counter()
            station.update(1 / 60)
            t1 = time.perf_counter()
            station.draw(surface)
            total.append(time.perf_counter() - t0)
            model.append(t1 - t0)
    return median(total) * 1e3, percentile(total, 99) * 1e3, median(model) * 1e3


def scenario_switches(rounds: int = 3) -> dict[str, tuple[float, float, float, int]] | None:
    """Per visitor action that opens an open road (« Bretelle », « Travaux », the ramp challenge), headless
    at 1920x1080, medians over `rounds`: (ms of the call itself, median and worst frame in ms until the
    road is ready, frames until ready); frames are update + draw. "sugiyama" is the baseline measured in
    the same run: as many ordinary frames of the Sugiyama ring (worst frames there are the machine's)."""
    if not _station_available():
        return None
    actions = {"onramp": lambda st: st.load_scenario("onramp"), "roadworks": lambda st: st.load_scenario("roadworks"),
               "challenge": lambda st: st.start_challenge(), "sugiyama": lambda st: None}
    found: dict[str, list[tuple[float, float, float, int]]] = {k: [] for k in actions}
    with _running_station() as (station, surface):
        for _ in range(rounds):
            for name, action in actions.items():
                station.load_scenario("sugiyama")
                station.update(1 / 60)
                station.draw(surface)
                t0 = time.perf_counter()
                action(station)
                call = time.perf_counter() - t0
                frames: list[float] = []
                while len(frames) < 10_000:
                    t0 = time.perf_counter()
                    station.update(1 / 60)
                    station.draw(surface)
                    frames.append(time.perf_counter() - t0)
                    if len(frames) >= 60 if name == "sugiyama" else not getattr(station, "preparing", False):
                        break
                found[name].append((call * 1e3, median(frames) * 1e3, max(frames) * 1e3, len(frames)))
    return {k: (median([r[0] for r in rows]), median([r[1] for r in rows]), median([r[2] for r in rows]),
                int(median([r[3] for r in rows]))) for k, rows in found.items()}


def main() -> None:
    print("IDM ring, one lane (detectors off)          vehicle-updates/s")
    for n in (1_000, 10_000, 100_000):
        substeps = max(5, 200_000 // n)
        rate = _updates_per_s(Road(length=25.0 * n), n, substeps)
        print(f"  N = {n:>7,}                                  {rate / 1e6:8.1f} M/s")
    print("IDM + MOBIL ring, three lanes (detectors off)")
    for n in (1_000, 10_000):
        rate = _updates_per_s(Road(length=25.0 * n / 3, lanes=3), n, max(5, 100_000 // n))
        print(f"  N = {n:>7,}                                  {rate / 1e6:8.1f} M/s")
    pair = sumo_vs_ours()
    if pair is None:
        ours_bare, ours = ring_step_us()
        print(f"22-car ring (230 m), µs per 0.2 s step       {ours_bare:8.1f} µs (with detectors and field: {ours:.1f} µs)")
        print("SUMO: not installed (pip install '.[bench]'), skipped")
    else:
        sumo, ours_bare, ours, ratio_bare, ratio = pair
        print(f"22-car ring (230 m), µs per 0.2 s step       {ours_bare:8.1f} µs (with detectors and field: {ours:.1f} µs)")
        print(f"SUMO, same ring, µs per 0.2 s step           {sumo:8.1f} µs  -> ours is {ratio_bare:.1f}x faster "
              f"({ratio:.1f}x with detectors and field)")
        # Numpy pays off with the number of cars: the same comparison on the large one-lane rings.
        for n in (1_000, 10_000):
            big = sumo_vs_ours(cars=n, length=25.0 * n, rounds=1 if n > 1_000 else 3,
                               ours=lambda n=n: (_ours_step_us(n, 25.0 * n, RUNS),) * 2)
            if big is not None:
                print(f"SUMO, one-lane ring N = {n:>6,}, µs per step {big[0]:10.0f} µs  -> ours ({big[1]:.0f} µs) "
                      f"is {big[3]:.1f}x faster")
    frames = station_frames()
    if frames is None:
        print("station frame time: kiosk.testing or the station not available, skipped")
    else:
        med, p99, model_ms = frames
        print(f"station frame 1920x1080 headless             median {med:.2f} ms, p99 {p99:.2f} ms "
              f"(simulation {model_ms:.2f} ms of each frame)")
    switches = scenario_switches()
    if switches is not None:
        print("opening an open road (90 s warm-up)          the tap's call | frames until ready: median, worst, count")
        for name, (call, med, worst, frames) in switches.items():
            print(f"  {name:<12}                              {call:8.1f} ms | {med:6.1f} ms, {worst:6.1f} ms, {frames}")


if __name__ == "__main__":
    main()
