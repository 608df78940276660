"""Every number in the configuration has a range and every content list a limit the screens can show:
`kiosk check-config` refuses what lies outside with one line naming the file, the key and what is allowed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.config import RANGES, ConfigError, load_config, read_toml
from kiosk.paths import DEFAULT_CONFIG
from kiosk.registry import discover


def _numbers(table: dict, prefix: str = ""):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _numbers(value, f"{prefix}{key}.")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield f"{prefix}{key}", value


def test_every_number_of_the_configuration_has_a_range_holding_its_default():
    defaults = read_toml(DEFAULT_CONFIG)
    kiosk_numbers = dict(_numbers({k: v for k, v in defaults.items() if k != "stations"}))
    assert kiosk_numbers, "default.toml has numbers"
    for key, value in kiosk_numbers.items():
        assert key in RANGES, f"{key} has no range in kiosk.config.RANGES"
        assert RANGES[key][0] <= value <= RANGES[key][1], key
    for sid, cls in discover()[0].items():
        for key, value in _numbers(cls.config_defaults):
            if key == "idle_timeout_s":       # common to every station: RANGES["stations.*.idle_timeout_s"]
                continue
            assert key in cls.config_ranges, f"stations.{sid}.{key} has no range ({cls.__name__}.config_ranges)"
            lo, hi = cls.config_ranges[key]
            assert lo <= value <= hi, f"stations.{sid}.{key}"


def _problems(tmp_path, text: str) -> list[str]:
    venue = tmp_path / "venue.toml"
    venue.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(venue)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("station, key, value, allowed", [
    ("traffic", "challenge_s", 0, "from 60 to 900"),
    ("traffic", "challenge_s", -30.0, "from 60 to 900"),
    ("crowd", "model_budget_ms", 0, "from 2 to 1000"),
    ("crowd", "model_budget_ms", -1.5, "from 2 to 1000"),
    ("air", "refresh_s", 0, "from 10 to 3600"),
    ("air", "refresh_s", -60, "from 10 to 3600"),
    ("wall", "idle_timeout_s", 0, "from 10 to 3600"),
])
def test_a_station_number_out_of_its_range_is_one_line_naming_file_key_and_range(tmp_path, station, key, value,
                                                                                  allowed):
    (line,) = _problems(tmp_path, f"[stations.{station}]\n{key} = {value}\n")
    assert line.startswith(f"{tmp_path / 'venue.toml'}: stations.{station}.{key}: {value}; expected a value {allowed}")


def _survey(tmp_path, choices: int) -> str:
    lines = ['[[question]]', 'id = "came_by"', 'text = "Pour venir ici, vous avez pris…"']
    for i in range(choices):
        lines += ['[[question.choice]]', f'id = "c{i}"', 'icon = "bike"', f'label = "Choix {i}"']
    path = tmp_path / f"survey-{choices}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("choices", [40, 60])
def test_a_survey_question_with_more_choices_than_the_screen_shows_is_refused(tmp_path, choices):
    from stations.survey.model import MAX_CHOICES

    (line,) = _problems(tmp_path, f'[stations.survey]\ncontent = "{_survey(tmp_path, choices)}"\n')
    assert line.startswith(f"{tmp_path / f'survey-{choices}.toml'}: question[0].choice: {choices} "
                           f"[[question.choice]] tables; expected at most {MAX_CHOICES}")
    load_config(_write(tmp_path, f'[stations.survey]\ncontent = "{_survey(tmp_path, MAX_CHOICES)}"\n'))


def _write(tmp_path, text: str):
    path = tmp_path / "ok.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_more_wall_questions_or_crowd_rooms_than_their_screens_show_are_refused(tmp_path):
    from stations.crowd.station import MAX_SCENARIOS
    from stations.wall.model import MAX_QUESTIONS

    wall = tmp_path / "wall.toml"
    wall.write_text("".join(f'[[question]]\nid = "q{i}"\ntext = "Question {i} ?"\n' for i in range(MAX_QUESTIONS + 1)),
                    encoding="utf-8")
    rooms = ", ".join(['"evacuation"'] * (MAX_SCENARIOS + 1))
    lines = _problems(tmp_path, f'[stations.wall]\ncontent = "{wall}"\n[stations.crowd]\nscenarios = [{rooms}]\n')
    assert any(line.startswith(f"{wall}: question: {MAX_QUESTIONS + 1} [[question]] tables; expected at most "
                               f"{MAX_QUESTIONS}") for line in lines), lines
    assert any(f"stations.crowd.scenarios: {MAX_SCENARIOS + 1} scenarios; expected at most {MAX_SCENARIOS}" in line
               for line in lines), lines


def test_check_config_prints_one_line_per_number_out_of_range_and_exits_2(tmp_path):
    venue = tmp_path / "venue.toml"
    venue.write_text("[stations.traffic]\nchallenge_s = -5\n[stations.crowd]\nmodel_budget_ms = 0\n"
                     "[stations.air]\nrefresh_s = 0\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(venue)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert sorted(proc.stderr.strip().splitlines()) == [
        f"{venue}: stations.air.refresh_s: 0; expected a value from 10 to 3600",
        f"{venue}: stations.crowd.model_budget_ms: 0; expected a value from 2 to 1000",
        f"{venue}: stations.traffic.challenge_s: -5; expected a value from 60 to 900",
    ]


@pytest.mark.parametrize("section, key, value, allowed", [
    ("display", "tilt_deg", 10, "from 20 to 90"),
    ("display", "diagonal_in", 0, "from 10 to 120"),
    ("sound", "volume", 1.5, "from 0 to 1"),
    ("access", "voice_rate", 1000, "from 80 to 400"),
])
def test_an_access_or_display_number_out_of_its_range_is_one_line(tmp_path, section, key, value, allowed):
    (line,) = _problems(tmp_path, f"[{section}]\n{key} = {value}\n")
    assert line.startswith(f"{tmp_path / 'venue.toml'}: {section}.{key}: {value}; expected a value {allowed}")
