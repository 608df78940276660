"""One candidate against the bands of the model's requirements, seed by seed (README, "Candidates"):
Weidmann's one-way speeds, Seyfried's bottleneck flows, the rotated corridor, overlaps and wall
crossings. Runs one simulation after the other (a few minutes per seed on one core):

    python -m tests.crowd.candidate_check walk-b --seeds 0 1 2
"""
from __future__ import annotations

import argparse
import time

from tests.crowd import candidates, corridors, runs

SEYFRIED_WIDTHS = (0.8, 1.0, 1.2)
SEYFRIED_BAND = (1.6, 2.1)          # /(m s), Seyfried et al., Transp. Sci. 43 (2009)
ANGLES = (0, 30, 45, 60, 90)
ROTATION_TOLERANCE = 0.05
OVERLAP_LIMIT = 0.1


def check(variant: str, seed: int) -> tuple[list[str], bool]:
    """Printable lines for one seed, and whether every band holds."""
    cls, base = candidates.overrides(variant)
    lines, ok = [], True
    speeds = []
    for d in runs.WEIDMANN_BANDS:
        r = corridors.one_way(d, seed, variant=variant)
        lo, hi = runs.WEIDMANN_BANDS[d]
        good = lo <= r["speed"] <= hi and r["overlap"] < OVERLAP_LIMIT and r["crossings"] == 0
        speeds.append(r["speed"])
        ok &= good
        lines.append(f"  one way {d} P/m²: {r['speed']:.3f} m/s (band {lo}-{hi}; Voronoi density "
                     f"{r['voronoi_density']:.2f}) overlap {r['overlap']:.3f} m{'' if good else '  <-- out'}")
    falling = speeds == sorted(speeds, reverse=True)
    ok &= falling
    lines.append(f"  falling with density: {'yes' if falling else 'NO'}")
    if cls is not candidates.CrowdModel:
        lines.append("  Seyfried: skipped (the bottleneck runs the product's model class only)")
        ok = False
    else:
        flows = []
        for w in SEYFRIED_WIDTHS:
            r = runs.seyfried(w, seed, base)
            good = (SEYFRIED_BAND[0] <= r["specific"] <= SEYFRIED_BAND[1] and r["overlap"] < OVERLAP_LIMIT
                    and r["crossings"] == 0 and r["left"] == 0)
            flows.append(r["flow"])
            ok &= good
            lines.append(f"  Seyfried {w} m: specific {r['specific']:.3f} /(m s) (band 1.6-2.1), {r['flow']:.2f} /s, "
                         f"overlap {r['overlap']:.3f} m, crossings {r['crossings']}{'' if good else '  <-- out'}")
        rising = flows == sorted(flows)
        ok &= rising
        lines.append(f"  flow rising with width: {'yes' if rising else 'NO'}")
    times = {}
    for a in ANGLES:
        r = corridors.rotated(a, seed, variant=variant)
        times[a] = r["mean"]
        ok &= r["overlap"] < OVERLAP_LIMIT and r["crossings"] == 0 and r["last"] is not None
    worst = max(abs(times[a] / times[0] - 1) for a in ANGLES)
    ok &= worst <= ROTATION_TOLERANCE
    lines.append("  rotated: " + ", ".join(f"{a}° {times[a]:.2f} s" for a in ANGLES)
                 + f" (worst {worst:.1%} from 0°, 5 % asked)")
    return lines, ok


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m tests.crowd.candidate_check")
    p.add_argument("variant")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = p.parse_args(argv)
    for seed in args.seeds:
        start = time.time()
        lines, ok = check(args.variant, seed)
        print(f"{args.variant}, seed {seed}: {'every band holds' if ok else 'NOT every band holds'} "
              f"({time.time() - start:.0f} s)")
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
