"""Example contributions for demonstrations and screenshots (never used by the station itself).

    python -m stations.wall.demo DATA_DIR

Writes a few wall messages through the Recorder — some approved, one rejected, two still pending
(one of them flagged by the pre-check), and two approved drawings (one alone, one with a sentence) —
so the wall, the attract loop and the moderation queue have something to show.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from kiosk.store.recorder import Recorder
from stations.wall.drawing import Drawing
from stations.wall.drawing_view import save_drawing
from stations.wall.precheck import default_precheck

EXAMPLES = [  # (question id, text, decision)
    ("others", "Dans le bus 143 je croise toujours les mêmes personnes. On a fini par se dire bonjour.", "approved"),
    ("collective", "Une foule, ce n'est pas juste des gens : chacun regarde les autres pour savoir où aller.", "approved"),
    ("city", "Quand le tram est arrivé, la rue a changé : plus de vélos, plus de terrasses.", "approved"),
    ("dream_trip", "Un téléphérique de chez moi jusqu'au lycée, au-dessus des bouchons !", "approved"),
    ("cultures", "Ma grand-mère a pris le bateau pour venir. Moi je prends le RER B. On voyage tous.", "approved"),
    ("others", "À vélo je dis bonjour aux gens, en voiture je klaxonne. Bizarre, non ?", "approved"),
    ("collective", "Le matin sur le quai tout le monde se pousse, et pourtant personne ne veut pousser.", "approved"),
    ("city", "écrivez-moi sur jean.dupont@example.org pour en parler", "pending"),
    ("others", "Le RER c'est nul, les gens sont des c0nnards", "pending"),
    ("others", "hors sujet", "rejected"),
]


def _stroke(d: Drawing, color: int, points) -> None:
    d.tool = color
    d.begin(*points[0])
    for p in points[1:]:
        d.extend(*p)
    d.end()


def cable_car() -> Drawing:
    """The « trajet de vos rêves » as a child might draw it: a cable over roofs, a cabin, a sun."""
    d = Drawing()
    _stroke(d, 0, [(60, 140), (1140, 420)])                                          # the cable
    _stroke(d, 2, [(520, 275), (520, 330), (440, 330), (440, 460), (620, 460), (620, 330), (520, 330)])
    _stroke(d, 0, [(0, 640), (200, 640), (200, 540), (330, 540), (330, 640), (700, 640), (700, 500), (860, 500),
                   (860, 640), (1199, 640)])                                         # roofs
    _stroke(d, 4, [(1000 + 70 * math.cos(t / 8), 130 + 70 * math.sin(t / 8)) for t in range(52)])
    return d


def bike_lane() -> Drawing:
    d = Drawing()
    _stroke(d, 3, [(0, 600), (1199, 600)])
    _stroke(d, 3, [(0, 700), (1199, 700)])
    for cx in (430, 690):
        _stroke(d, 1, [(cx + 80 * math.cos(t / 8), 480 + 80 * math.sin(t / 8)) for t in range(52)])
    _stroke(d, 1, [(430, 480), (540, 330), (690, 480), (560, 480), (430, 480)])
    _stroke(d, 1, [(540, 330), (520, 290), (580, 290)])
    return d


DRAWINGS = [  # (question id, text, drawing)
    ("dream_trip", "", cable_car),
    ("city", "Une piste cyclable devant l'école, séparée des voitures.", bike_lane),
]


def seed(data_dir: Path, kiosk_id: str = "demo") -> int:
    check = default_precheck()
    recorder = Recorder(data_dir, kiosk_id, flush_interval=0.1)
    try:
        for question, text, decision in EXAMPLES:
            uuid = recorder.record("wall.message", {"question": question, "text": text, "flags": check.flags(text),
                                                    "lang": "fr"}, station="wall", session_id=None)
            if decision != "pending":
                recorder.record(f"moderation.{decision}", {"target": uuid}, station="wall", session_id=None)
        for question, text, make in DRAWINGS:
            payload = {"question": question, "flags": check.flags(text), "lang": "fr",
                       "drawing_sha256": save_drawing(make(), data_dir), **({"text": text} if text else {})}
            uuid = recorder.record("wall.message", payload, station="wall", session_id=None)
            recorder.record("moderation.approved", {"target": uuid}, station="wall", session_id=None)
        recorder.flush()
    finally:
        recorder.close()
    return len(EXAMPLES) + len(DRAWINGS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stations.wall.demo", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args(argv)
    print(f"{seed(args.data_dir)} example wall messages written to {args.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
