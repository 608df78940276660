"""The shipped activities on the real crowd and traffic stations: every station step opens on its
preset with the file's settings, and every metric a goal names reads as a number (or None while the
attempt runs). Skipped while a station does not load."""
from __future__ import annotations

import dataclasses
import math

import pytest

from kiosk.config import load_config
from kiosk.registry import discover
from tests.groups.test_lifecycle import boot, step


@pytest.fixture
def real_app(tmp_path):
    found, errors = discover()
    if "crowd" not in found or "traffic" not in found:
        pytest.skip(f"the crowd and traffic stations do not both load yet: {errors}")
    venue = tmp_path / "venue.toml"
    venue.write_text('[kiosk]\nid = "t"\n[stations]\nenabled = ["crowd", "traffic"]\n', encoding="utf-8")
    config = dataclasses.replace(load_config(venue, classes=found), data_dir=tmp_path / "data")
    app = boot(config)
    yield app
    app.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("activity, level", [("crowds", "elementaire"), ("crowds", "lycee"),
                                             ("phantom-jams", "elementaire"), ("phantom-jams", "college")])
def test_every_station_step_runs_on_the_real_station(real_app, activity, level):
    app, manager = real_app, real_app.services["group"]
    app.open_mediator_menu()
    manager.start(level, 20, 2, "", activity)
    seen = []
    while not manager.runner.at_results:
        step_def = manager.runner.step
        if step_def.kind in ("explore", "challenge"):
            assert app.screen_name == step_def.station and not manager.unavailable, app.errors.count
            step(app, 2.0)
            seen.append(step_def.kind)
            if step_def.kind == "challenge":
                values = manager.tracker.values
                goal = step_def.goal(manager.runner.variant)
                assert set(values) == {*goal.metrics(), step_def.score}
                assert all(v is None or math.isfinite(v) for v in values.values())
                assert any(v is not None for v in values.values())
        manager.next_step()
    assert seen == ["explore", "challenge"] and app.errors.count == 0
