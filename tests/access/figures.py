"""The figures of the accessibility audit, measured again on the kiosk as it is:

    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy .venv/bin/python -m tests.access.figures [--skip-crowd]

reach of every visitor control on both venue files, colour distances of the scales as colour-blind
visitors see them, non-text contrast of the palette, taps to a first survey comparison, and a visitor who
only watches « Foules »: when the room is empty, when « Encore là ? » shows, how long the visit counts."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from kiosk.access.controls import AREA  # noqa: E402
from tests.access.driver import VENUES, Visitor  # noqa: E402


def reach_figures(tmp: Path) -> None:
    from tests.access.test_reach import screens
    for venue in sorted(VENUES):
        v = Visitor(tmp / f"reach-{venue}", venue, fake_sensors=True)
        reach = v.app.access.reach
        heights, out = [], 0
        for _name, problems in screens(v):
            controls = [c for c in v.controls if c.kind != AREA]
            heights += [reach.control_heights(c.rect) for c in controls]
            out += len(problems)
        v.close()
        low, high = min(h[0] for h in heights), max(h[1] for h in heights)
        print(f"reach {venue}: {len(heights)} visitor controls over all screens, {out} outside 0.90-1.30 m "
              f"({100 * out / len(heights):.0f} %); lowest edge {low:.2f} m, highest edge {high:.2f} m")


def colour_figures() -> None:
    from stations.crowd.view import SPEED_COLOURS, heat_legend
    from stations.traffic.view import SPEED_CLASS_COLOURS
    from tests.access.colour import DEFICIENCIES, ciede2000, seen_with, worst_distances
    for name, scale in (("crowd speeds", SPEED_COLOURS), ("crowd densities 1..5+ /m² over the floor", heat_legend()),
                        ("traffic speeds (stopped, then 4 classes)", list(SPEED_CLASS_COLOURS))):
        neighbours, ends = worst_distances(scale)
        print(f"colour {name}: worst neighbouring classes ΔE00 {neighbours:.1f}, ends {ends:.1f} "
              "(worst of typical vision, deuteranopia, protanopia, tritanopia)")
    lab = seen_with([SPEED_CLASS_COLOURS[0], SPEED_CLASS_COLOURS[-1]], DEFICIENCIES[0])
    print(f"colour traffic stopped vs fastest under deuteranopia: ΔE00 {float(ciede2000(lab[0], lab[1])):.1f}")
    dense = heat_legend()
    lab = seen_with([dense[2], dense[4]], DEFICIENCIES[0])
    print(f"colour densities 3 vs 5+ /m² under deuteranopia: ΔE00 {float(ciede2000(lab[0], lab[1])):.1f}")


def contrast_figures() -> None:
    from kiosk.access.focus import RING_DARK, RING_LIGHT
    from kiosk.ui.theme import THEME, contrast_ratio
    for where, bg in (("page", THEME.background), ("card", THEME.surface), ("pressed", THEME.surface_hi)):
        ring = max(contrast_ratio(RING_LIGHT, bg), contrast_ratio(RING_DARK, bg))
        print(f"contrast on the {where}: control outline {contrast_ratio(THEME.outline, bg):.2f}:1, "
              f"primary fill {contrast_ratio(THEME.accent, bg):.2f}:1, muted text {contrast_ratio(THEME.text_muted, bg):.2f}:1, "
              f"focus ring {ring:.2f}:1")
    # a disabled control: one fill whatever its colour; what a dimmed yellow button showed before
    dimmed_yellow = tuple(int(c * 0.6) for c in THEME.accent)
    print(f"contrast of a disabled control: label {contrast_ratio(THEME.text_muted, THEME.disabled):.2f}:1 on its fill "
          f"(a dimmed yellow button's: {contrast_ratio(THEME.text_muted, dimmed_yellow):.2f}:1), edge "
          f"{min(contrast_ratio(THEME.text_muted, THEME.background), contrast_ratio(THEME.text_muted, THEME.surface)):.2f}:1 "
          "against the page and the cards")
    from stations.wall.drawing import Drawing
    inks = Drawing().palette
    bare = min(contrast_ratio(c, THEME.background) for c in inks)
    seen = min(max(contrast_ratio(c, THEME.outline), contrast_ratio(c, THEME.background)) for c in inks)
    print(f"contrast of the wall's inks: each swatch's edge {contrast_ratio(THEME.outline, THEME.background):.2f}:1 "
          f"against the page; the least visible ink {seen:.2f}:1 against its edge or the page "
          f"(the black ink alone against the page: {bare:.2f}:1)")


def survey_taps(tmp: Path) -> None:
    v = Visitor(tmp / "survey")
    taps = 0
    v.key("return")                      # the attract loop: any touch or Enter
    tile = next(c for c in v.controls if c.name == "Mes mobilités")
    v.tap(tile.rect.center)
    taps += 1
    st = v.app.nav.screen
    zone = st.view.zones.rect("choice:" + st.flow.current.choices[0].id)
    v.tap(zone.center)
    taps += 1
    print(f"survey: first « Vous et les autres » after {taps} taps from the home menu (phase {st.phase!r})")
    v.close()


def crowd_watching(tmp: Path, limit_s: float = 600.0) -> None:
    """A visitor opens « Foules » and only watches, touching nothing."""
    v = Visitor(tmp / "crowd")
    v.key("return")
    v.app.nav.open_station("crowd")
    v.frames(2)
    crowd = v.app.nav.screen
    start = v.app.virtual.t
    emptied = warned = home = None
    frame = 0
    while v.app.virtual.t - start < limit_s and home is None:
        v.app.virtual.t += 1 / 60
        v.app.tick(1 / 60)
        frame += 1
        if frame % 30 == 0:
            v.app.draw(v.canvas)
        t = v.app.virtual.t - start
        if emptied is None and v.screen == "crowd" and crowd.attempt.finished_at is not None:
            emptied = t
        if warned is None and v.app.chrome.warning:
            warned = t
        if v.screen == "attract":
            home = t
    v.app.recorder.flush()
    from eventlog.wire import db_path
    from eventlog.sqlite import connect
    conn = connect(db_path(v.app.config.data_dir))
    ends = [json.loads(p) for k, p in conn.execute("SELECT kind, payload FROM events") if k == "session.end"]
    conn.close()
    v.close()
    dwell = [s["seconds"] for e in ends for s in e.get("stations", []) if s.get("id") == "crowd"]
    print(f"crowd watched only: room empty at {emptied and f'{emptied:.0f} s'}, « Encore là ? » at "
          f"{warned and f'{warned:.0f} s'}, attract loop at {home and f'{home:.0f} s'}; "
          f"the visit counts {dwell[0] if dwell else None} s in the station")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-crowd", action="store_true", help="not the crowd watching run (the slowest part)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        colour_figures()
        contrast_figures()
        survey_taps(tmp)
        reach_figures(tmp)
        if not args.skip_crowd:
            crowd_watching(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
