"""Each kiosk's health as operators see it in the back office: green, amber or red, with the reasons.

The rules are plain functions of what the hub holds about a kiosk (`KioskFacts`) and of "now", so that
tests fix the moment. A kiosk reports `kiosk.health` every five minutes while it is open by its hours
(kiosk/health.py), and those hours travel in the report: the hub can tell a silent kiosk from a closed
venue. Restarts are the kiosk's own unclean-stop rule (a kiosk.start with no kiosk.stop since the
previous start: a crash, a hang the watchdog ended, a power cut), counted over the kiosk's local day.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from eventlog.kinds import count_restarts
from eventlog.stamps import parse_ts, utc_iso
from eventlog.wire import CLOCK_FLAGS
from hub.db import Db

SILENT_RED = timedelta(minutes=30)       # of opening time without a word from the kiosk
SILENT_AMBER = timedelta(minutes=15)     # three reports missed
DISK_RED, DISK_AMBER = 0.10, 0.20        # share of the data disk still free
RESTARTS_RED = 3                         # more than this many unclean restarts today
FRAME_P99_AMBER_MS = 100.0               # a visitor sees the screen stutter
BACKLOG_AMBER = timedelta(hours=1)       # the oldest event still waiting for upload
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LEVELS = ("green", "amber", "red")
# Not by colour alone: each level has its word and its shape.
WORDS = {"green": N_("En forme"), "amber": N_("À surveiller"), "red": N_("Alerte")}
SHAPES = {"green": "●", "amber": "▲", "red": "■"}
# A kiosk's signs of life are its health reports and its starts and stops, each kind with its partial index
# (events_kiosk_health, events_kiosk_restarts: migration 0008) whose condition each query repeats word for
# word, so that both databases use it.
LAST_REPORT = ("SELECT ts, received_at, payload FROM events WHERE kind = 'kiosk.health' AND kiosk_id = %s "
               "ORDER BY ts DESC LIMIT 1")
RESTARTS = "kind IN ('kiosk.start', 'kiosk.stop')"
LAST_RESTART = f"SELECT ts, received_at FROM events WHERE {RESTARTS} AND kiosk_id = %s ORDER BY ts DESC LIMIT 1"
STARTS_STOPS = f"SELECT ts, kind FROM events WHERE {RESTARTS} AND kiosk_id = %s AND ts < %s ORDER BY ts, seq"


@dataclass(frozen=True)
class KioskFacts:
    name: str
    venue: str = ""
    last_seen: datetime | None = None          # its latest sign of life (ts, capped at its arrival)
    health: Mapping[str, Any] | None = None     # its latest kiosk.health payload
    health_at: datetime | None = None
    restarts_today: int = 0                     # unclean restarts since local midnight
    revoked: bool = False


@dataclass(frozen=True)
class Verdict:
    level: str                                  # green | amber | red
    reasons: tuple[tuple[str, str], ...] = field(default=())   # (level, sentence), worst first
    open_now: bool | None = None                # by its hours; None when they are not known yet

    @property
    def word(self) -> str:
        return _(WORDS[self.level])

    @property
    def shape(self) -> str:
        return SHAPES[self.level]


def duration_text(minutes: int) -> str:
    """25 minutes, 29 heures, 40 jours: a length of time as an operator reads it."""
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if minutes < 48 * 60:
        return ngettext("%(n)d heure", "%(n)d heures", minutes // 60) % {"n": minutes // 60}
    return ngettext("%(n)d jour", "%(n)d jours", minutes // 1440) % {"n": minutes // 1440}


def clock_text(clock: Mapping[str, Any]) -> str:
    """A kiosk's distrusted clock as an operator reads it: which way and by how much."""
    correction = clock.get("correction_s")
    if not isinstance(correction, (int, float)) or abs(correction) < 60:
        return _("horloge de la borne fausse : vérifier sa mise à l’heure")
    duration = duration_text(int(abs(correction) // 60))
    if correction > 0:
        return _("horloge de la borne en retard de %(duration)s : vérifier sa mise à l’heure") % {"duration": duration}
    return _("horloge de la borne en avance de %(duration)s : vérifier sa mise à l’heure") % {"duration": duration}


def open_since(hours: Mapping[str, str] | None, tz: ZoneInfo, now: datetime) -> tuple[bool, datetime | None]:
    """(open now by these hours, since when: today's opening; None when open all the time)."""
    if hours is None:
        return True, None
    local = now.astimezone(tz)
    window = str(hours.get(WEEKDAYS[local.weekday()], "closed"))
    if window == "closed":
        return False, None
    try:
        start, end = (datetime.strptime(part, "%H:%M").time() for part in window.split("-"))
    except ValueError:
        return False, None
    opening = datetime.combine(local.date(), start, tzinfo=tz)
    return start <= local.time() < end, opening


def kiosk_zone(facts: KioskFacts, default: str) -> ZoneInfo:
    name = (facts.health or {}).get("timezone") or default
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def assess(facts: KioskFacts, now: datetime, default_zone: str = "Europe/Paris") -> Verdict:
    """Red when a kiosk open by its hours has been silent for 30 minutes of them, its disk is under 10 %
    free, a sensor is offline or it restarted uncleanly more than 3 times today; amber on the way there."""
    reasons: list[tuple[str, str]] = []
    health = facts.health or {}
    known_hours = facts.health is not None
    is_open, since = open_since(health.get("hours"), kiosk_zone(facts, default_zone), now) if known_hours \
        else (None, None)
    if facts.revoked:
        reasons.append(("amber", _("jeton révoqué : ses envois sont refusés")))
    if facts.last_seen is None:
        reasons.append(("red" if is_open and since is not None and now - since >= SILENT_RED else "amber",
                        _("jamais vue par le site")))
    elif is_open is not False:
        quiet = now - max(facts.last_seen, since) if since is not None else now - facts.last_seen
        duration = duration_text(int(quiet.total_seconds() // 60))
        text = _("silencieuse depuis %(duration)s d’ouverture") % {"duration": duration}
        if not known_hours and quiet >= SILENT_AMBER:
            reasons.append(("amber", _("silencieuse depuis %(duration)s (horaires inconnus)") % {"duration": duration}))
        elif quiet >= SILENT_RED:
            reasons.append(("red", text))
        elif quiet >= SILENT_AMBER:
            reasons.append(("amber", text))
    if not known_hours and facts.last_seen is not None:
        reasons.append(("amber", _("aucun bilan de santé reçu")))
    free = health.get("disk_free_share")
    if isinstance(free, (int, float)) and free < DISK_AMBER:
        reasons.append(("red" if free < DISK_RED else "amber",
                        _("disque presque plein : %(pct)d %% libre") % {"pct": round(free * 100)}))
    reasons += storage_reasons(health)
    offline = sorted(name for name, state in (health.get("sensors") or {}).items() if state == "offline")
    if offline:
        reasons.append(("red", ngettext("capteur hors ligne : %(names)s", "capteurs hors ligne : %(names)s",
                                        len(offline)) % {"names": ", ".join(offline)}))
    if facts.restarts_today:
        reasons.append(("red" if facts.restarts_today > RESTARTS_RED else "amber",
                        ngettext("%(n)d redémarrage imprévu aujourd’hui", "%(n)d redémarrages imprévus aujourd’hui",
                                 facts.restarts_today) % {"n": facts.restarts_today}))
    errors = health.get("errors")
    if isinstance(errors, int) and errors > 0:
        reasons.append(("amber", ngettext("%(n)d erreur dans son dernier bilan", "%(n)d erreurs dans son dernier bilan",
                                          errors) % {"n": errors}))
    p99 = health.get("frame_ms_p99")
    if isinstance(p99, (int, float)) and p99 > FRAME_P99_AMBER_MS:
        reasons.append(("amber", _("écran saccadé : %(ms)d ms pour 1 image sur 100") % {"ms": round(p99)}))
    oldest = health.get("oldest_unsent_age_s")
    if isinstance(oldest, (int, float)) and oldest > BACKLOG_AMBER.total_seconds():
        reasons.append(("amber", _("envoi en retard : %(n)s événements en attente depuis %(h)d h")
                        % {"n": health.get("upload_backlog"), "h": oldest // 3600}))
    clock = health.get("clock")
    if isinstance(clock, dict) and clock.get("state") in CLOCK_FLAGS:
        reasons.append(("amber", clock_text(clock)))
    reasons.sort(key=lambda r: -LEVELS.index(r[0]))
    level = reasons[0][0] if reasons else "green"
    return Verdict(level, tuple(reasons), is_open)


def storage_reasons(health: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Red for a data disk the kiosk's own watch finds under its reserve, full or read-only (kiosk/storage.py).
    A kiosk whose disk refuses its events records this report in memory too: it reaches the hub once the
    disk takes it, and until then the kiosk's silence turns its line red."""
    state, held = health.get("storage"), health.get("events_held")
    held = held if isinstance(held, int) else 0
    if state == "read-only":
        return [("red", ngettext("disque en lecture seule : %(n)d événement gardé en mémoire",
                                 "disque en lecture seule : %(n)d événements gardés en mémoire", held) % {"n": held})]
    if state == "full":
        return [("red", ngettext("disque plein : %(n)d événement gardé en mémoire",
                                 "disque plein : %(n)d événements gardés en mémoire", held) % {"n": held})]
    if state == "low":
        return [("red", _("disque sous sa réserve : les dessins des visiteurs ne sont plus enregistrés"))]
    return []


# -- what the hub holds about each kiosk ----------------------------------------------------------

def kiosk_facts(db: Db, kiosk: Any, now: datetime, default_zone: str) -> KioskFacts:
    """One registered kiosk's facts: index probes on events_kiosk_health and events_kiosk_restarts."""
    report = db.one(LAST_REPORT, [kiosk.name])
    restart = db.one(LAST_RESTART, [kiosk.name])
    seen = [moment for moment in (_seen(*row[:2]) for row in (report, restart) if row) if moment is not None]
    health = _payload(report[2]) if report else None
    facts = KioskFacts(kiosk.name, kiosk.venue, max(seen, default=None), health,
                       _when(report[0]) if report else None, revoked=bool(kiosk.revoked_at))
    midnight = datetime.combine(now.astimezone(kiosk_zone(facts, default_zone)).date(), datetime.min.time(),
                                tzinfo=kiosk_zone(facts, default_zone))
    hi = utc_iso(now)
    rows = db.execute(STARTS_STOPS, [kiosk.name, hi])
    _starts, unclean = count_restarts(rows, utc_iso(midnight), hi)
    return KioskFacts(facts.name, facts.venue, facts.last_seen, health, facts.health_at, unclean, facts.revoked)


def _when(ts: str) -> datetime | None:
    try:
        return parse_ts(ts)
    except (TypeError, ValueError):
        return None


def _seen(ts: str, received_at: str) -> datetime | None:
    """When the kiosk was last heard of: its own time, never later than the hub received it (a clock ahead)."""
    moments = [m for m in (_when(ts), _when(received_at)) if m is not None]
    return min(moments) if moments else None


def _payload(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
