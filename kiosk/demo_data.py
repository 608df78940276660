"""A realistic simulated month of events at a venue, for screenshots, benchmarks and demonstrations.

    from kiosk.demo_data import simulate_month
    summary = simulate_month(data_dir, kiosk_id="demo", end=datetime.now(timezone.utc), days=30, seed=7)

Everything goes through the Recorder with explicit timestamps, exactly as the kiosk would write it.
The venue is a library open on its configured hours (default Tuesday-Saturday 10:00-18:00):
- footfall.minute for each minute with passages (door counter "porte", local minutes, with the
  board's id, boot, line number and totals, as its reader logs them) and sensor.status at each kiosk start and change; arrivals drawn per minute
  from a weekday x hour profile (quiet lunch, busy Wednesday afternoons and Saturdays, school classes
  on some Tuesday/Thursday/Friday mornings), departures after a lognormal stay;
- sensor.air every minute (CO2 following occupancy);
- one kiosk: visitor sessions queue for the single screen (station.enter/exit, session.end with the
  idle timeout), survey passes (most finished, some abandoned), wall messages with varied texts and
  drawings (PNG files in <data_dir>/attachments/, as the wall station writes them) moderated the next
  opening morning, crowd and traffic attempts; kiosk.demo_visitors says what visitors write, draw,
  answer and play;
- school groups on the real activities and levels (kiosk.demo_groups), kiosk.start/stop each day, two crashes, a few
  station errors, kiosk.health every five minutes of opening (kiosk.demo_health), a door-counter outage of about a day, an air-sensor gap, a holiday with nobody.
"""
from __future__ import annotations

import argparse
import os
import sys
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

import numpy as np

from eventlog.sqlite import connect
from eventlog.stamps import new_uuid, utc_iso
from eventlog.wire import db_path
from kiosk.commandline import config_for_command
from kiosk.demo_groups import GroupWriter
from kiosk.demo_health import health_reports
from kiosk.demo_visitors import SECONDS_PER_QUESTION, WallWriter, crowd_attempt, survey_pass, traffic_attempt
from kiosk.paths import CONTENT_DIR
from kiosk.store.periods import WEEKDAYS
from kiosk.store.recorder import Recorder

DEFAULT_HOURS = {d: (time(10), time(18)) for d in WEEKDAYS[1:6]} | {"monday": None, "sunday": None}
# Arrivals per minute by local hour (a library in Seine-Saint-Denis), times a weekday factor.
HOUR_PROFILE = {9: 0.05, 10: 0.16, 11: 0.24, 12: 0.14, 13: 0.13, 14: 0.30, 15: 0.42, 16: 0.50, 17: 0.36}
WEEKDAY_FACTOR = (0.5, 0.75, 1.25, 0.75, 0.85, 1.6, 0.4)
WEDNESDAY_AFTERNOON = 1.5          # no school on Wednesday afternoons in France
HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


@lru_cache(maxsize=1)
def _survey_questions() -> list[tuple[str, list[str], bool]]:
    """(question id, choice ids, multiple) from the season's survey content, as a kiosk would answer."""
    with open(CONTENT_DIR / "survey.toml", "rb") as fh:
        content = tomllib.load(fh)
    return [(q["id"], [c["id"] for c in q.get("choice", [])], bool(q.get("multiple", False)))
            for q in content.get("question", []) if q.get("choice")]


# Station id -> (share of choices, median dwell seconds)
STATIONS = {"crowd": (0.30, 110), "traffic": (0.24, 90), "survey": (0.15, 70), "wall": (0.14, 80),
            "agenda": (0.08, 30), "air": (0.09, 45)}
IDLE_RESET_S = 100                 # idle timeout 90 s + 10 s warning: the screen is taken until then
KIOSK_USE_SHARE = 0.33             # visitors who walk up to the kiosk


@dataclass
class DayPlan:
    day: date
    opening: datetime              # UTC
    closing: datetime
    holiday: bool
    counter_off: tuple[datetime, datetime] | None = None
    air_off: tuple[datetime, datetime] | None = None


class DoorBoard:
    """The door counter as its reader logs it (hardware/footfall_reader.py): each minute with passages
    carries the board's id, its boot (8 hex digits drawn at power-on), the line number since the boot
    (one line per passage, one heartbeat every 10 s) and the totals since the boot."""

    DEVICE = "porte1"

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.unplugged = False
        self.boot()

    def boot(self) -> None:
        self.boot_id = f"{int(self.rng.integers(0, 2**32)):08X}"
        self.seq = self.total_in = self.total_out = 0
        self.unplugged = False

    def minute(self, minute: str, n_in: int, n_out: int) -> dict:
        self.seq += n_in + n_out + 6
        self.total_in += n_in
        self.total_out += n_out
        return {"sensor": "porte", "minute": minute, "in": n_in, "out": n_out, "device": self.DEVICE,
                "boot_id": self.boot_id, "seq": self.seq, "total_in": self.total_in, "total_out": self.total_out}


class MonthSimulator:
    def __init__(self, data_dir: Path | str, *, tz: ZoneInfo = ZoneInfo("Europe/Paris"), hours: Mapping | None = None,
                 seed: int = 7):
        self.tz = tz
        self.hours = DEFAULT_HOURS if hours is None else hours
        self.rng = np.random.default_rng(seed)
        self.wall = WallWriter(Path(data_dir), np.random.default_rng([seed, 1]))  # texts and drawings
        self.groups = GroupWriter(np.random.default_rng([seed, 2]))
        self.door = DoorBoard(np.random.default_rng([seed, 3]))
        self.events: list[tuple] = []  # (ts, kind, payload, station, session, key)
        self.waiting_messages: list[tuple[str, bool]] = []   # (event key, off topic)

    def add(self, moment: datetime, kind: str, payload: dict, station: str | None = None,
            session: str | None = None) -> str:
        key = f"m{len(self.events)}"
        self.events.append((utc_iso(moment), kind, payload, station, session, key))
        return key

    def write(self, data_dir: Path | str, kiosk_id: str, *, before: str | None = None,
              first: int | None = None) -> list[str]:
        """Record the events in time order (those before `before`, the `first` ones) through the kiosk's
        Recorder, as the kiosk would have; keep only those in self.events; return their uuids."""
        events = sorted((e for e in self.events if before is None or e[0] < before), key=lambda e: e[0])
        self.events = events[:first]
        recorder = Recorder(data_dir, kiosk_id, batch_size=2000)
        uuids: dict[str, str] = {}
        try:
            for ts, kind, payload, station, session, key in self.events:
                if "target" in payload:  # moderation targets the message's real uuid
                    payload = dict(payload, target=uuids[payload["target"]])
                uuids[key] = recorder.record(kind, payload, station=station, session_id=session, ts=ts)
            if not recorder.flush(timeout=120):
                raise RuntimeError(f"the recorder could not write {len(self.events)} simulated events")
        finally:
            recorder.close()
        return list(uuids.values())

    # -- plan ------------------------------------------------------------------------------------
    def plan(self, end: datetime, days: int) -> list[DayPlan]:
        last = end.astimezone(self.tz).date()
        plans = []
        for offset in range(days - 1, -1, -1):
            d = last - timedelta(days=offset)
            span = self.hours.get(WEEKDAYS[d.weekday()])
            if span is None:
                continue
            o = datetime.combine(d, span[0], tzinfo=self.tz).astimezone(timezone.utc)
            c = datetime.combine(d, span[1], tzinfo=self.tz).astimezone(timezone.utc)
            plans.append(DayPlan(d, o, c, (d.month, d.day) in HOLIDAYS))
        if len(plans) > 8:  # a door-counter outage from a late morning to the next afternoon
            i = len(plans) // 2
            while plans[i].holiday or plans[i + 1].holiday:
                i -= 1
            a, b = plans[i], plans[i + 1]
            a.counter_off = (a.opening + timedelta(hours=1, minutes=20), b.opening + timedelta(hours=5, minutes=5))
            b.counter_off = a.counter_off
            g = plans[len(plans) // 3]
            g.air_off = (g.opening + timedelta(hours=2), g.opening + timedelta(hours=5))
        return plans

    # -- one day ---------------------------------------------------------------------------------
    def day(self, p: DayPlan, end: datetime, crash: bool) -> None:
        rng = self.rng
        start = p.opening - timedelta(minutes=15)
        n_min = int((p.closing - start).total_seconds() // 60) + 15
        minutes = [start + timedelta(minutes=i) for i in range(n_min)]
        local_hours = np.array([m.astimezone(self.tz).hour for m in minutes])
        is_open = np.array([p.opening <= m < p.closing for m in minutes])
        rate = np.array([HOUR_PROFILE.get(h, 0.0) for h in local_hours]) * WEEKDAY_FACTOR[p.day.weekday()]
        if p.day.weekday() == 2:
            rate[local_hours >= 13] *= WEDNESDAY_AFTERNOON
        rate *= rng.lognormal(0.0, 0.2) * is_open * (0.0 if p.holiday else 1.0)
        arrivals = rng.poisson(rate)
        group = None
        if not p.holiday and p.day.weekday() in (1, 3, 4) and rng.random() < 0.55:
            at = 15 + int(rng.integers(0, 30))           # 10:00-10:30
            size = int(rng.integers(22, 30)) + int(rng.integers(2, 4))
            arrivals[at:at + 3] += np.bincount(rng.integers(0, 3, size), minlength=3)
            group = (at, size)
        departures = self._departures(arrivals, is_open)
        occupancy = np.cumsum(arrivals - departures)

        starts = [p.opening - timedelta(minutes=10)]
        if crash:  # the kiosk dies mid-day (no kiosk.stop) and the watchdog starts it again
            at = p.opening + timedelta(hours=float(rng.uniform(1, 6)))
            self.add(at, "error", {"where": "app.frame", "message": "MemoryError"})
            starts.append(at + timedelta(seconds=40))
        self.door.boot()      # the counter is powered with the kiosk each morning
        for t in starts:
            self.add(t, "kiosk.start", {"version": "0.1.0"})
            for sensor, off in (("porte", p.counter_off), ("air", p.air_off)):
                down = off is not None and off[0] <= t < off[1]
                self.add(t + timedelta(seconds=3), "sensor.status", {"sensor": sensor, "state": "offline" if down else "connected"})
        for sensor, off in (("porte", p.counter_off), ("air", p.air_off)):
            if off and starts[0] <= off[0] < p.closing:
                self.add(off[0], "sensor.status", {"sensor": sensor, "state": "offline"})
            if off and starts[0] <= off[1] < p.closing:
                self.add(off[1], "sensor.status", {"sensor": sensor, "state": "connected"})
        for i, m in enumerate(minutes):
            if m + timedelta(minutes=1) > end:
                break  # this minute is not over yet
            minute = m.astimezone(self.tz).strftime("%Y-%m-%dT%H:%M")  # local, as hardware/ writes it
            counter_on = not (p.counter_off and p.counter_off[0] <= m < p.counter_off[1])
            if not counter_on:
                self.door.unplugged = True
            elif self.door.unplugged:
                self.door.boot()      # plugged back in: a new boot, totals from zero
            if counter_on and (arrivals[i] or departures[i]):  # like the reader: only minutes with passages
                self.add(m + timedelta(seconds=61), "footfall.minute",
                         self.door.minute(minute, int(arrivals[i]), int(departures[i])))
            if not (p.air_off and p.air_off[0] <= m < p.air_off[1]):
                co2 = 430 + 9.0 * occupancy[i] + rng.normal(0, 12)
                self.add(m + timedelta(seconds=62), "sensor.air", {"sensor": "air", "minute": minute,
                         "co2_ppm": int(co2), "pm25": round(float(rng.gamma(4, 2)), 1)})

        self._moderate(p.opening + timedelta(minutes=int(rng.integers(5, 40))))   # yesterday's messages
        busy_until = p.opening
        if group is not None:
            arrived = minutes[group[0]] + timedelta(minutes=4)
            visit = self.groups.visit(self.add, arrived, group[1])
            busy_until = visit.free_at
            t = arrived + timedelta(minutes=1)
            while visit.free_visit and t < visit.free_at - timedelta(minutes=5):   # pupils take turns
                t = self.visit(t, min(p.closing, visit.free_at), end) + timedelta(seconds=float(rng.uniform(5, 30)))
        requests = sorted(minutes[i] + timedelta(seconds=float(rng.uniform(60, 1200)))
                          for i in np.repeat(np.arange(n_min), arrivals) if rng.random() < KIOSK_USE_SHARE)
        for t in requests:
            if t >= p.closing or t >= end:
                break
            if t < busy_until:
                if busy_until - t > timedelta(minutes=3):
                    continue  # someone else is on it: they walk on
                t = busy_until + timedelta(seconds=float(rng.uniform(2, 20)))
            busy_until = self.visit(t, p.closing, end)
        if rng.random() < 0.3:
            sid = str(rng.choice(["crowd", "traffic", "wall"]))
            self.add(p.opening + timedelta(hours=float(rng.uniform(0.5, 7))), "error",
                     {"where": f"{sid}.update", "message": "ValueError: simulated"}, station=sid)
        if p.closing + timedelta(minutes=10) < end:
            self.add(p.closing + timedelta(minutes=10), "kiosk.stop", {"reason": "closing"})

    def _departures(self, arrivals: np.ndarray, is_open: np.ndarray) -> np.ndarray:
        """Each visitor leaves after a lognormal stay (median 35 min), and before closing."""
        n = len(arrivals)
        last_open = int(np.flatnonzero(is_open)[-1]) if is_open.any() else n - 1
        who = np.repeat(np.arange(n), arrivals)
        leave = who + np.round(self.rng.lognormal(np.log(35), 0.6, who.size)).astype(int)
        late = leave > last_open
        leave[late] = last_open + self.rng.integers(0, 8, late.sum())
        return np.bincount(np.minimum(leave, n - 1), minlength=n)

    def visit(self, t: datetime, closing: datetime, end: datetime, *, stations: list[str] | None = None,
              drawing: bool | None = None) -> datetime:
        """One visitor's use of the kiosk; returns when the screen is free again. `stations` and
        `drawing` impose where they go and whether they leave a drawing on the wall (test logs)."""
        rng = self.rng
        sid_session = new_uuid(int(t.timestamp() * 1000))
        self.add(t, "session.start", {}, session=sid_session)
        lang = "fr"
        if rng.random() < 0.08:
            lang = "en"
            self.add(t + timedelta(seconds=2), "language.change", {"lang": lang}, session=sid_session)
        names = list(STATIONS)
        shares = np.array([STATIONS[s][0] for s in names])
        n = min(len(names), 1 + int(rng.poisson(1.1)))
        chosen = rng.choice(names, size=n, replace=False, p=shares / shares.sum()) if stations is None else stations
        now = t + timedelta(seconds=float(rng.uniform(3, 10)))
        dwell: dict[str, float] = {}
        reason = "timeout"
        for sid in chosen:
            sid = str(sid)
            seconds = float(np.clip(rng.lognormal(np.log(STATIONS[sid][1]), 0.7), 5, 900))
            survey = None
            if sid == "survey":  # the pass decides the time it takes: each question read, results shown
                survey = survey_pass(_survey_questions(), rng)
                _, seen, finished = survey
                needed = seen * SECONDS_PER_QUESTION * float(rng.uniform(0.7, 1.3)) + (20 if finished else 4)
                seconds = float(min(900.0, max(seconds * 0.5, needed)))
            if now + timedelta(seconds=seconds) >= min(closing, end):
                seconds = max(1.0, (min(closing, end) - now).total_seconds() - 1)
                reason = "closing"
            self.add(now, "station.enter", {}, station=sid, session=sid_session)
            self._station_activity(sid, now, seconds, sid_session, lang, survey, drawing)
            now += timedelta(seconds=seconds)
            self.add(now, "station.exit", {"seconds": round(seconds, 1)}, station=sid, session=sid_session)
            dwell[sid] = dwell.get(sid, 0.0) + round(seconds, 1)
            if reason == "closing":
                break
            now += timedelta(seconds=float(rng.uniform(3, 12)))
        if reason == "timeout" and rng.random() < 0.05:
            reason = "mediator"
        free = now + timedelta(seconds=IDLE_RESET_S if reason == "timeout" else 5)
        if free < end:
            self.add(free, "session.end", {"reason": reason, "duration_s": round((now - t).total_seconds(), 1),
                                           "stations": [{"id": k, "seconds": v} for k, v in dwell.items()]},
                     session=sid_session)
        return free

    def _station_activity(self, sid: str, t: datetime, seconds: float, session: str, lang: str = "fr",
                          survey: tuple | None = None, drawing: bool | None = None) -> None:
        rng = self.rng
        at = t + timedelta(seconds=seconds * float(rng.uniform(0.4, 0.9)))
        if sid == "crowd":
            self.add(at, "crowd.attempt", crowd_attempt(rng, seconds), sid, session)
        elif sid == "traffic":
            self.add(at, "traffic.attempt", traffic_attempt(rng, seconds), sid, session)
        elif sid == "survey" and survey is not None:
            self._survey(t, seconds, session, *survey)
        elif sid == "wall" and (drawing or rng.random() < 0.45):
            payload, off_topic = self.wall.message(lang, drawing=drawing)
            key = self.add(at, "wall.message", payload, sid, session)
            self.waiting_messages.append((key, off_topic))

    def _survey(self, t: datetime, seconds: float, session: str, answers: list, seen: int, finished: bool) -> None:
        """Answers spread over the visit, survey.complete with the last one (as stations/survey records:
        only a finished pass with at least one answer). A visit cut short (closing) ends unfinished."""
        run = "%016x" % int(self.rng.integers(0, 2**63))
        fits = int(seconds // (SECONDS_PER_QUESTION * 0.7))
        if fits < seen:
            answers, finished = answers[:fits], False
        step = seconds / (len(answers) + (2 if finished else 1))
        for i, (question, choices) in enumerate(answers):
            self.add(t + timedelta(seconds=step * (i + 1)), "survey.answer",
                     {"question": question, "choices": choices, "run": run}, "survey", session)
        if finished and answers:
            self.add(t + timedelta(seconds=step * len(answers) + 0.5), "survey.complete",
                     {"answered": len(answers), "run": run}, "survey", session)

    def _moderate(self, t: datetime) -> None:
        """The mediator moderates yesterday's messages at the start of the day: off-topic ones rejected,
        now and then an on-topic one too (a duplicate, a message hard to read)."""
        if not self.waiting_messages:
            return
        self.add(t, "mediator.login", {"ok": True})
        for i, (key, off_topic) in enumerate(self.waiting_messages):
            verdict = "moderation.rejected" if off_topic or self.rng.random() < 0.04 else "moderation.approved"
            self.add(t + timedelta(seconds=20 * (i + 1)), verdict, {"target": key})
        self.waiting_messages = []


def simulate_month(data_dir: Path | str, *, kiosk_id: str = "demo", end: datetime | None = None, days: int = 30,
                   seed: int = 7, tz: ZoneInfo | None = None, hours: Mapping | None = None) -> dict[str, int]:
    """Write `days` days of events ending at `end` (UTC, default now) into data_dir; return counts by kind."""
    end = datetime.now(timezone.utc) if end is None else end
    sim = MonthSimulator(data_dir, tz=ZoneInfo("Europe/Paris") if tz is None else tz, hours=hours, seed=seed)
    plans = sim.plan(end, days)
    crashes = set(sim.rng.choice(len(plans), size=min(2, len(plans)), replace=False).tolist()) if plans else set()
    for i, p in enumerate(plans):
        if p.opening - timedelta(minutes=15) < end:
            sim.day(p, end, crash=i in crashes)
    for moment, payload in health_reports(sim.events, plans, end, hours=sim.hours, tz=sim.tz, version="0.1.0",
                                          rng=np.random.default_rng([seed, 4])):
        sim.add(moment, "kiosk.health", payload)
    sim.write(data_dir, kiosk_id, before=utc_iso(end))     # nothing from the future
    counts: dict[str, int] = {}
    for event in sim.events:
        counts[event[1]] = counts.get(event[1], 0) + 1
    return counts


def demo_main(argv: list[str] | None = None) -> int:
    """`kiosk demo-data [--days N] [--end YYYY-MM-DD] [--seed S] [--data-dir DIR] [--config FILE] [--append]`.

    Writes a simulated month into an EMPTY event log (a real venue's figures must never mix with
    simulated ones): the config's data directory, or --data-dir."""

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    parser = argparse.ArgumentParser(prog="kiosk demo-data", description=demo_main.__doc__)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", type=date.fromisoformat, default=None,
                        help="last simulated day (default: up to now), e.g. a past stop of the tour")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: the config's data directory")
    parser.add_argument("--config", default=None)
    parser.add_argument("--append", action="store_true", help="write even if the log already has events")
    args = parser.parse_args(argv)
    if not 1 <= args.days <= 400:
        print("kiosk demo-data: --days must be from 1 to 400", file=sys.stderr)
        return 2

    cfg = config_for_command(args.config)
    if cfg is None:
        return 2
    target = args.data_dir if args.data_dir is not None else cfg.data_dir
    if db_path(target).exists() and not args.append:
        conn = connect(db_path(target), readonly=True)
        try:
            has_events = conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None
        except Exception:
            has_events = False
        finally:
            conn.close()
        if has_events:
            print(f"kiosk demo-data: {db_path(target)} already holds events; use an empty --data-dir "
                  "(or --append if you really mean it)", file=sys.stderr)
            return 2
    end = None if args.end is None else datetime.combine(args.end, time(23, 59), cfg.tz).astimezone(timezone.utc)
    if end is not None and end > datetime.now(timezone.utc):
        print("kiosk demo-data: --end must not be in the future", file=sys.stderr)
        return 2
    counts = simulate_month(target, kiosk_id=cfg.kiosk_id, end=end, days=args.days, seed=args.seed, tz=cfg.tz,
                            hours=cfg.hours)
    print(f"{sum(counts.values())} simulated events written to {db_path(target)}")
    for kind, n in sorted(counts.items()):
        print(f"  {kind:<22}{n:>8}")
    return 0
