"""The ways of walking: a name picks a parameter set; what a caller or a scenario file gives wins."""
from __future__ import annotations

import pytest

from stations.crowd.model import CrowdModel
from stations.crowd.scenario import load_scenario
from stations.crowd.walking import WAYS

from tests.crowd.test_model import square_room


def test_each_way_sets_its_own_bodies_and_rules():
    old = CrowdModel(square_room(), walking="helbing2000")
    new = CrowdModel(square_room(), walking="anticipating")
    assert old.radius_range == (0.2, 0.3) and old.steering is None and old.evasion is None
    assert new.radius_range == (0.15, 0.2) and new.law.A == 1000.0
    assert new.steering.time_gap == WAYS["anticipating"]["time_gap"] and new.evasion.reach == 4.0


def test_what_a_caller_gives_wins_over_the_way():
    model = CrowdModel(square_room(), walking="anticipating", radius_min=0.25, radius_max=0.35, time_gap=0.7)
    assert model.radius_range == (0.25, 0.35) and model.steering.time_gap == 0.7
    assert model.evasion is not None and model.streams.active


def test_a_scenario_files_bodies_win_over_the_way():
    model = load_scenario("evacuation").build(overrides={"walking": "anticipating"})
    assert model.radius_range == (0.25, 0.35)
    assert model.steering is not None


def test_an_unknown_way_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="anticipating"):
        CrowdModel(square_room(), walking="fast")
