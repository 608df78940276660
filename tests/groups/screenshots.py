"""Headless screenshots of the group pages, an activity's steps and its results, on the real stations
when they load (fake ones otherwise):

    python -m tests.groups.screenshots OUT_DIR [--level college] [--activity crowds] [--lang fr]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from kiosk.app import App  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.registry import discover  # noqa: E402
from tests.groups.drive import Script, open_groups_page, start_group  # noqa: E402
from tests.groups.fakes import CLASSES  # noqa: E402
from tests.groups.test_headless_run import NEXT, panel_next, quiz_choice  # noqa: E402

STATION_OF = {"crowds": "crowd", "phantom-jams": "traffic"}


def seed_other_groups(app: App, level: str, activity: str) -> None:
    """Six earlier groups of the same level, so the results screen has someone to compare with."""
    import random

    from kiosk.groups.activities import load_activities
    from kiosk.store.db import new_uuid

    act = next(a for a in load_activities()[0] if a.id == activity)
    rng = random.Random(4)
    for _ in range(6):
        gid = new_uuid()
        app.recorder.record("group.start", {"group_id": gid, "level": level, "pupils": 25, "adults": 2, "activity": activity})
        for step in (s for s in act.steps if s.kind == "challenge"):
            value = rng.uniform(60, 110) if step.better == "lower" else rng.uniform(20, 30)
            app.recorder.record("group.challenge", {"group_id": gid, "metric": step.score, "value": round(value, 1),
                                                    "success": True, "activity": activity, "step": step.id})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--level", default="college")
    parser.add_argument("--activity", default="crowds")
    parser.add_argument("--challenge-s", type=float, default=20.0, help="seconds to watch the challenge")
    parser.add_argument("--english", action="store_true", help="switch the kiosk to English first")
    parser.add_argument("--fake", action="store_true", help="use the fake stations even when the real ones load")
    parser.add_argument("--pillar", type=float, nargs=2, default=None, metavar=("X", "Y"),
                        help="tap here once the challenge has started (a pillar in the crowd station)")
    args = parser.parse_args(argv)
    found, _ = discover()
    classes = dict(CLASSES)
    real = STATION_OF[args.activity]
    if real in found and not args.fake:
        classes[real] = found[real]
    print(f"{real}: {'real station' if classes[real] is found.get(real) else 'fake station'}")
    with tempfile.TemporaryDirectory() as tmp:
        venue = Path(tmp) / "venue.toml"
        venue.write_text('[kiosk]\nid = "shots"\npublic_url = "https://qsec2.example.org"\n'
                         '[stations]\nenabled = ["crowd", "traffic", "survey"]\n', encoding="utf-8")
        config = dataclasses.replace(load_config(venue, classes=classes, check_content=False), data_dir=Path(tmp) / "data")
        app = App(config, headless=True, classes=classes)
        seed_other_groups(app, args.level, args.activity)
        out = args.out
        s = Script()
        s.tap((1920 - 126, 64) if args.english else (960, 540), 1.0)   # the chrome's FR/EN switch, or the attract loop
        open_groups_page(app, s)
        s.shot(out / "g1-page-empty.png")
        start_group(app, s, args.level, args.activity, label_preset={"college": "4e", "elementaire": "CM2"}.get(args.level))
        s.shot(out / "g2-instruction.png")
        s.tap(NEXT).wait(4.0).shot(out / "g3-explore.png")
        s.tap(panel_next()).shot(out / "g4-quiz.png")
        s.tap(quiz_choice(3, 1)).shot(out / "g5-quiz-answered.png")
        s.tap(NEXT).wait(1.0)
        if args.pillar:
            s.tap(tuple(args.pillar))
        s.wait(args.challenge_s).shot(out / "g6-challenge.png")
        s.tap(panel_next()).tap(quiz_choice(3, 0)).tap(NEXT).wait(1.5).shot(out / "g7-results.png")
        open_groups_page(app, s)
        s.shot(out / "g8-page-active.png")
        app.run(frames=round(s.seconds * 60), script=s.steps)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
