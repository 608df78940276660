"""Who may decide on a wall message, and which decision stands.

A wall message reaches the site only through its own kiosk's mediators (`moderation.approved` /
`moderation.rejected` naming its uuid), and the hub's side may only take it down (site_takedown: a
moderator in the back office, or the visitor holding its printed code). Two rules keep every other
kiosk out, whatever its token:
- at ingest, a decision is answered `invalid` unless its target is a wall message of the deciding
  kiosk, stored already or earlier in the same batch: another kiosk's decision is never stored;
- when reading, only decisions of the message's own kiosk count (rows an older hub accepted included),
  the latest by its time capped at the moment the hub received it, then by arrival: a clock running
  47 h ahead cannot put a decision beyond the reach of the ones that follow it.
"""
from __future__ import annotations

from typing import Any

from hub.db import Db

DECISIONS = ("moderation.approved", "moderation.rejected")
UNKNOWN_TARGET = "moderation target is no wall message the hub holds (a decision comes after its message)"
FOREIGN_TARGET = "moderation of another kiosk's wall message: only the message's own kiosk decides on it"


def refused_decisions(db: Db, events: list[Any], checked: list[tuple[dict | None, str | None, str]],
                      kiosk_id: str) -> dict[int, str]:
    """{position in the batch: reason} for the batch's decisions this kiosk may not make. `checked`
    holds check_event's answers for `events` (a valid decision names a uuid: eventlog.kinds); call it
    inside the ingest transaction, so that no target can appear or change meanwhile."""
    decisions = {i: events[i]["payload"]["target"] for i, (clean, _, _) in enumerate(checked)
                 if clean is not None and clean["kind"] in DECISIONS}
    if not decisions:
        return {}
    owners = _owners(db, sorted(set(decisions.values())))
    refused, sent_before = {}, set()
    for i, (clean, _, _) in enumerate(checked):
        if clean is None:
            continue
        if clean["kind"] == "wall.message":
            sent_before.add(clean["uuid"])
        elif i in decisions:
            target = decisions[i]
            owner = owners.get(target, kiosk_id if target in sent_before else None)
            if owner is None:
                refused[i] = UNKNOWN_TARGET
            elif owner != kiosk_id:
                refused[i] = FOREIGN_TARGET
    return refused


def _owners(db: Db, targets: list[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for start in range(0, len(targets), 500):   # under SQLite's bound-parameter limit
        chunk = targets[start:start + 500]
        marks = ",".join(["%s"] * len(chunk))
        owners.update(db.execute(f"SELECT uuid, kiosk_id FROM events WHERE kind = 'wall.message' "
                                 f"AND uuid IN ({marks})", chunk))
    return owners


def standing_decision(db: Db, uuid: str, kiosk_id: str) -> str | None:
    """The kind of the decision that stands on one wall message of `kiosk_id` (None: none yet). One
    probe of the partial index events_moderation_target (the query repeats its expression and kinds);
    a message has a handful of decisions, ranked here."""
    rows = db.execute(f"SELECT kind, kiosk_id, ts, received_at, seq FROM events WHERE {db.json('payload', 'target')} = %s "
                      "AND kind IN ('moderation.approved', 'moderation.rejected')", (uuid,))
    own = [(min(ts, received_at), seq, kind) for kind, kiosk, ts, received_at, seq in rows if kiosk == kiosk_id]
    return max(own)[2] if own else None


def approved_join(db: Db, message: str) -> str:
    """SQL: a JOIN keeping the wall messages (events rows aliased `message`) whose standing decision is
    an approval. The decisions are ranked once for all messages (a window per target and kiosk), not
    looked up message by message."""
    target = db.json("payload", "target")
    return (f"JOIN (SELECT target, kiosk_id FROM (SELECT {target} AS target, kiosk_id, kind, ROW_NUMBER() OVER "
            f"(PARTITION BY {target}, kiosk_id ORDER BY CASE WHEN ts < received_at THEN ts ELSE received_at END "
            "DESC, seq DESC) AS standing FROM events WHERE kind IN ('moderation.approved', 'moderation.rejected')) d "
            f"WHERE d.standing = 1 AND d.kind = 'moderation.approved') approved "
            f"ON approved.target = {message}.uuid AND approved.kiosk_id = {message}.kiosk_id")
