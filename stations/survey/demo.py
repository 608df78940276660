"""Plausible survey answers for demonstrations and screenshots (never used by the station itself).

    python -m stations.survey.demo DATA_DIR [--visitors 300] [--days 20] [--seed 7] [--hub-venues 6]

With --hub-venues N it also stores all-venue totals as the uploader would after GET /api/v1/totals
(sync_state 'hub_totals'), so the « Toute l'exposition » column shows, as after a sync with the hub.

Writes through the Recorder with explicit timestamps, like a kiosk would, using the real question and
choice ids of config/content/survey.toml. Shares are rough guesses for a library in Seine-Saint-Denis
(most visitors come on foot or by public transport), not data.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from eventlog.stamps import utc_iso
from kiosk.demo_visitors import survey_pass   # the same visitors as every demo
from kiosk.store.recorder import Recorder
from stations.survey.model import Question, load_survey


def demo_answers(questions: list[Question], rng: np.random.Generator) -> list[tuple[str, list[str]]]:
    """One visitor's answers, as kiosk.demo_data's visitors answer (most finish, a few skip or leave)."""
    return survey_pass([(q.id, [c.id for c in q.choices], q.multiple) for q in questions], rng)[0]


def seed(data_dir: Path, *, visitors: int = 300, days: int = 20, seed: int = 7, kiosk_id: str = "demo",
         now: datetime | None = None) -> int:
    rng = np.random.default_rng(seed)
    questions = load_survey("survey.toml")
    now = now or datetime.now(timezone.utc)
    recorder = Recorder(data_dir, kiosk_id, flush_interval=0.1)
    try:
        for v in range(visitors):
            # a third of the visitors today (before now), the others over the previous days
            back = timedelta(minutes=float(rng.uniform(5, 300))) if v % 3 == 0 else \
                timedelta(days=float(rng.uniform(1, days)))
            t = now - back
            run = "%016x" % int(rng.integers(0, 2**63))
            answers = demo_answers(questions, rng)
            for i, (question, choices) in enumerate(answers):
                recorder.record("survey.answer", {"question": question, "choices": choices, "run": run},
                                station="survey", session_id=None, ts=utc_iso(t + timedelta(seconds=8 * i)))
            if answers:
                recorder.record("survey.complete", {"answered": len(answers), "run": run}, station="survey",
                                session_id=None, ts=utc_iso(t + timedelta(seconds=8 * len(answers))))
        recorder.flush()
    finally:
        recorder.close()
    return visitors


def seed_hub_totals(data_dir: Path, *, venues: int = 6, visitors: int = 2500, seed: int = 11) -> None:
    """Plausible all-venue totals in the uploader's shape ({fetched_at, totals}) in sync_state."""
    import json

    from eventlog.sqlite import atomic, connect
    from eventlog.wire import db_path
    from kiosk.sync import state

    rng = np.random.default_rng(seed)
    survey = {}
    for q in load_survey("survey.toml"):
        answered, counts = 0, {}
        for _ in range(visitors):
            for _qid, choices in demo_answers([q], rng):
                answered += 1
                for c in choices:
                    counts[c] = counts.get(c, 0) + 1
        survey[q.id] = {"answers": answered, "choices": counts}
    totals = {"venues": venues, "survey": survey}
    conn = connect(db_path(data_dir))
    try:
        with atomic(conn):
            state.put(conn, "hub_totals", json.dumps({"fetched_at": utc_iso(), "totals": totals}))
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stations.survey.demo", description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--visitors", type=int, default=300)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--hub-venues", type=int, default=0,
                        help="also store all-venue totals from this many venues (as if synced with the hub)")
    args = parser.parse_args(argv)
    if args.visitors < 0 or args.days < 1:
        parser.error("--visitors must be >= 0 and --days >= 1")
    seed(args.data_dir, visitors=args.visitors, days=args.days, seed=args.seed)
    print(f"{args.visitors} demo visitors written to {args.data_dir}")
    if args.hub_venues > 0:
        seed_hub_totals(args.data_dir, venues=args.hub_venues)
        print(f"all-venue totals from {args.hub_venues} venues stored in {args.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
