"""School groups benchmark: what a running activity adds to a frame, and how long the results
screen's comparison query takes on a log holding many earlier groups.

Figures: per-frame cost of the group service alone (update + overlay, the chrome calls them every
frame), the crowd station's whole frame with and without a group challenge on it (the ratio is the
group's share), the results screen's frame, and the median latency of the comparison query (run on
the reader thread, never in the frame loop) with 200 and 2,000 earlier groups in the log.
"""
from __future__ import annotations

import time

from bench.common import median, percentile, timings
from bench.kiosk import frame_times, headless_app

FRAMES = 300


def _seed(app, groups: int) -> None:
    from eventlog.stamps import new_uuid

    for i in range(groups):
        gid = new_uuid()
        level = ("elementaire", "college", "lycee")[i % 3]
        app.recorder.record("group.start", {"group_id": gid, "level": level, "pupils": 25, "adults": 2, "activity": "crowds"})
        for k in range(3):
            app.recorder.record("group.challenge", {"group_id": gid, "metric": "evacuation_time_s", "value": 60.0 + (i * 7 + k) % 50,
                                                    "success": k > 0, "activity": "crowds", "step": "empty-room"})
        app.recorder.record("group.end", {"group_id": gid, "reason": "mediator"})
    app.recorder.flush()


def _query_ms(app, runs: int = 7) -> float:
    from kiosk.groups.results import other_groups_best

    def once():
        app.ctx.reader.query(lambda conn: other_groups_best(conn, activity="crowds", step="empty-room",
                                                            level="college", better="lower", since="",
                                                            exclude_group="x"))
    return median(timings(once, runs, warmup=1)) * 1e3


def _timed(fn, sink: list[float]):
    """The same method, timing each call (the chrome calls update and draw_overlay once a frame)."""
    def wrapper(*args):
        t0 = time.perf_counter()
        try:
            return fn(*args)
        finally:
            sink.append(time.perf_counter() - t0)
    return wrapper


def main() -> None:
    with headless_app() as (app, canvas):
        manager = app.groups
        if manager is None or "crowd" not in app.stations:
            print("skipped: the group service or the crowd station is not available")
            return
        app.nav.start_visit()
        app.nav.open_station("crowd")
        app.stations["crowd"].start_preset("evacuation", {})
        plain = frame_times(app, canvas, FRAMES)
        app.nav.go_home()
        app.nav.open_mediator_menu()
        manager.start("college", 25, 2, "4e B", "crowds")
        for _ in range(3):
            manager.next_step()
        assert app.nav.screen_name == "crowd" and manager.tracker is not None
        own_per_frame: list[float] = []
        for name in ("update", "draw_overlay", "handle_overlay_event"):
            setattr(manager, name, _timed(getattr(manager, name), own_per_frame))
        group = frame_times(app, canvas, FRAMES)
        own = [sum(own_per_frame[i:i + 2]) for i in range(0, len(own_per_frame) - 1, 2)]   # update + draw per frame
        print("frame (1920x1080)                 median_ms  p99_ms")
        print(f"crowd station, no group           {median(plain)*1e3:9.2f}  {percentile(plain, 99)*1e3:6.2f}")
        print(f"crowd station, group challenge    {median(group)*1e3:9.2f}  {percentile(group, 99)*1e3:6.2f}")
        print(f"group service alone (update+draw) {median(own)*1e3:9.2f}  {percentile(own, 99)*1e3:6.2f}")
        print(f"group share of the frame: {median(own) / median(group):.1%}; "
              f"ratio with/without group: {median(group) / median(plain):.2f}")
        manager.next_step()
        manager.runner.answer(0)
        manager.next_step()
        results = frame_times(app, canvas, FRAMES)
        print(f"results screen                    {median(results)*1e3:9.2f}  {percentile(results, 99)*1e3:6.2f}")
        print("comparison query (reader thread)  groups  median_ms")
        seeded = 0
        for total in (200, 2000):
            _seed(app, total - seeded)
            seeded = total
            print(f"                                  {total:6d}  {_query_ms(app):9.2f}")
        app.shutdown()
