"""Headless screenshots of every visitor screen in one language, to look at as a visitor would (clipping,
missing glyphs, what is mirrored in Arabic and what is not): the attract loop, the language menu open,
the home menu, each station (the wall's questions, compose box and keyboard; the survey's questions and
results; the agenda's event and tour), the closed screen:

    python -m tools.language_screenshots OUT_DIR --language ar [--portrait]

Taps are found from the screens' own layouts (tools/group_tour.py), so a mirrored layout is tapped
where it is drawn. The wall and survey show a simulated season (their demo data); the air station
reads the emulated sensors (`kiosk run --fake-sensors`).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from kiosk.config import load_config  # noqa: E402
from kiosk.registry import discover  # noqa: E402
from kiosk.screens.names import ScreenName  # noqa: E402
from stations.survey import demo as survey_demo  # noqa: E402
from stations.wall import demo as wall_demo  # noqa: E402
from tools.group_tour import Tour  # noqa: E402

STATIONS = ["crowd", "traffic", "survey", "wall", "agenda", "air"]
VISITOR_TEXT = {"ar": "الطريق مزدحم كل صباح 🚲", "pt": "Vou de bicicleta para a escola, é mais rápido!"}


def _venue(tmp: Path, portrait: bool, hours: str | None) -> Path:
    """A venue file; `hours` every day (e.g. "10:00-11:00"), or None: open whatever the clock says."""
    venue = tmp / "venue.toml"
    days = "".join(f'{d} = "{hours}"\n' for d in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                   "saturday", "sunday")) if hours else ""
    venue.write_text('[kiosk]\nid = "shots"\npublic_url = "https://qsec2.example.org"\n'
                     + ('orientation = "portrait"\n' if portrait else "")
                     + f'[stations]\nenabled = {STATIONS!r}\n'.replace("'", '"')
                     + f"[hours]\nenforce = {'true' if hours else 'false'}\n{days}", encoding="utf-8")
    return venue


def _config(tmp: Path, lang: str, portrait: bool, hours: str | None, classes, data_dir: Path):
    config = load_config(_venue(tmp, portrait, hours), classes=classes, check_content=False)
    languages = (lang, *(other for other in config.languages if other != lang))   # as `kiosk run --language`
    return dataclasses.replace(config, data_dir=data_dir, languages=languages)


def take_screenshots(out: Path, lang: str, portrait: bool = False, classes=None) -> list[str]:
    """Write the tour's PNGs into `out`; returns their names in order."""
    classes = discover()[0] if classes is None else classes
    out.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        survey_demo.seed(data)
        wall_demo.seed(data)
        tour = Tour(_config(Path(tmp), lang, portrait, None, classes, data), classes, fake_sensors=True)
        app = tour.app
        w, h = app.canvas_size

        def shot(name: str) -> None:
            names.append(f"{name}.png")
            tour.screenshot(out / f"{name}.png").play()

        def station():
            return app.stations[app.nav.screen_name] if app.nav.screen_name in STATIONS else None

        def zone(key: str):
            view = station().view
            return view.zones.rect(key)

        def open_station(sid: str) -> None:
            tour.tap(app.chrome.home.rect, 0.8).play()
            home = app.nav.screen
            tour.tap(dict(home.tiles)[sid].rect, 1.5).play()

        tour.wait(6.0)
        shot("01-attract")
        tour.tap((w // 2, h // 2), 1.0).play()
        shot("02-home")
        tour.tap(app.chrome.language.rect, 0.6).play()
        shot("03-language-menu")
        tour.tap(dict(app.chrome.menu.rows())[lang], 0.6).play()

        open_station("crowd")
        tour.wait(12.0)
        shot("10-crowd")
        crowd = station()
        tour.tap(dict(crowd.scenario_buttons)["bottleneck"].rect, 0.5).play()
        tour.tap(crowd.heat_button.rect, 0.5).play()
        tour.wait(15.0)
        shot("11-crowd-bottleneck-density")

        open_station("traffic")
        tour.wait(40.0)
        shot("20-traffic")

        open_station("survey")
        shot("30-survey-question")
        for _ in range(12):
            survey = station()
            keys = survey.view.zones.keys
            if "restart" in keys:
                break
            choices = [k for k in keys if k.startswith("choice:")]
            if choices:
                tour.tap(zone(choices[0]), 0.4).play()
                if "31-survey-multiple.png" not in names and "confirm" in survey.view.zones.keys:
                    tour.tap(zone(choices[1]), 0.4).play()
                    shot("31-survey-multiple")
                if "confirm" in survey.view.zones.keys:
                    tour.tap(zone("confirm"), 0.6).play()
            elif "next" in keys:
                if "32-survey-results.png" not in names:
                    shot("32-survey-results")
                tour.tap(zone("next"), 0.6).play()
            else:
                tour.wait(0.5)
        shot("33-survey-end")

        open_station("wall")
        tour.wait(1.0)
        shot("40-wall")
        tour.tap(zone("add"), 0.8).play()
        shot("41-wall-questions")
        first = next(k for k in station().view.zones.keys if k.startswith("question:"))
        tour.tap(zone(first), 0.8).play()
        shot("42-wall-compose-empty")
        tour.text(VISITOR_TEXT.get(lang, "Le vélo, c’est plus rapide !")).wait(0.5).play()
        shot("43-wall-compose-text")
        tour.text("x" * 280).wait(0.5).play()
        shot("44-wall-compose-long-word")
        keyboard = station().compose.keyboard
        layer = next((r for k, r in keyboard.key_rects() if k in ("123", "?123", "àé", "#+=")), None)
        if layer is not None:
            tour.tap(layer, 0.5).play()
            shot("45-wall-keyboard-other-layer")
        tour.tap(zone("mode:draw"), 0.6).play()
        shot("46-wall-drawing")

        open_station("agenda")
        tour.wait(1.0)
        shot("50-agenda")
        event = next((k for k in station().view.zones.keys if k.startswith("event:")), None)
        if event:
            tour.tap(zone(event), 0.8).play()
            shot("51-agenda-event")
        tour.tap(app.chrome.home.rect, 0.8).play()
        open_station("agenda")
        tab = next((k for k in station().view.zones.keys if k == "tab:tour"), None)
        if tab:
            tour.tap(zone(tab), 0.8).play()
            shot("52-agenda-tour")

        open_station("air")
        tour.wait(25.0)
        shot("60-air")
        tour.tap(app.chrome.home.rect, 0.8).play()
        tour.wait(1.0)
        shot("61-home-with-air")
        tour.finish()

        closed_data = Path(tmp) / "closed"
        closed_tz = app.config.tz
        opens = (datetime.now(closed_tz).hour + 2) % 22          # shut now, open in a few hours
        hours = f"{opens:02d}:00-{opens + 1:02d}:00"
        closed = Tour(_config(Path(tmp), lang, portrait, hours, classes, closed_data), classes)
        closed.wait(3.0)
        assert closed.app.nav.screen_name == ScreenName.CLOSED, closed.app.nav.screen_name
        names.append("70-closed.png")
        closed.screenshot(out / "70-closed.png").play()
        closed.finish()
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.language_screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", required=True, help="one of [kiosk] languages, e.g. ar, pt, fr-falc")
    parser.add_argument("--portrait", action="store_true", help="a portrait screen (1080 x 1920)")
    args = parser.parse_args(argv)
    found, errors = discover()
    missing = [sid for sid in STATIONS if sid not in found]
    if missing:
        for sid in missing:
            print(f"the {sid} station does not load: {errors.get(sid, 'not installed')}", file=sys.stderr)
        return 2
    names = take_screenshots(args.out, args.language, args.portrait, classes=found)
    print(f"{len(names)} screenshots in {args.out}: " + " ".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
