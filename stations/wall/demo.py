"""Example contributions for demonstrations and screenshots (never used by the station itself).

    python -m stations.wall.demo DATA_DIR

Writes a few wall messages through the Recorder — some approved, one rejected, two still pending
(one of them flagged by the pre-check) — so the wall, the attract loop and the moderation queue
have something to show.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.store.recorder import Recorder
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


def seed(data_dir: Path, kiosk_id: str = "demo") -> int:
    check = default_precheck()
    recorder = Recorder(data_dir, kiosk_id, flush_interval=0.1)
    try:
        for question, text, decision in EXAMPLES:
            uuid = recorder.record("wall.message", {"question": question, "text": text, "flags": check.flags(text),
                                                    "lang": "fr"}, station="wall", session_id=None)
            if decision != "pending":
                recorder.record(f"moderation.{decision}", {"target": uuid}, station="wall", session_id=None)
        recorder.flush()
    finally:
        recorder.close()
    return len(EXAMPLES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stations.wall.demo", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args(argv)
    print(f"{seed(args.data_dir)} example wall messages written to {args.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
