"""Config errors of each kind name the file, the key path, what was found and what was expected."""
from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.config import ConfigError, load_config
from tests.runtime.fakes import CLASSES


def problems_for(tmp_path, text: str) -> list[str]:
    path = tmp_path / "venue.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path, classes=CLASSES)
    return [str(p) for p in err.value.problems]


BASE = '[stations]\nenabled = ["calm"]\n'


def test_defaults_load_and_override(tmp_path):
    path = tmp_path / "v.toml"
    path.write_text(BASE + '[kiosk]\norientation = "portrait"\n[idle]\ntimeout_s = 0.5e2\n[stations.calm]\nspeed = 0\n', encoding="utf-8")
    cfg = load_config(path, classes=CLASSES)
    assert cfg.canvas_size == (1080, 1920)
    assert cfg.idle_timeout_s == 50
    assert cfg.station_config("calm")["speed"] == 0  # a configured 0 survives
    assert cfg.stations == ("calm",)


def test_unknown_key_suggests(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[kiosk]\norientaton = "portrait"\n')
    assert "kiosk.orientaton" in line and "did you mean 'orientation'" in line and "venue.toml" in line


def test_unknown_section_suggests(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[idel]\ntimeout_s = 30\n')
    assert "idel" in line and "did you mean 'idle'" in line


def test_wrong_type(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[idle]\ntimeout_s = "90"\n')
    assert "idle.timeout_s" in line and "text" in line and "expected a number" in line


def test_out_of_range(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[idle]\ntimeout_s = 2\n')
    assert "idle.timeout_s" in line and "from 10 to 3600" in line


def test_bad_choice(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[kiosk]\norientation = "portait"\n')
    assert "kiosk.orientation" in line and "did you mean 'portrait'" in line


def test_unknown_station_id(tmp_path):
    lines = problems_for(tmp_path, '[stations]\nenabled = ["calm", "calme"]\n')
    assert any("stations.enabled[1]" in l and "'calme'" in l and "did you mean 'calm'" in l for l in lines)


def test_unknown_station_key(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[stations.calm]\nsped = 2.0\n')
    assert "stations.calm.sped" in line and "did you mean 'speed'" in line


def test_unreadable_font(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[kiosk]\nfont = "media/fonts/nope.ttf"\n')
    assert "kiosk.font" in line and "nope.ttf" in line


def test_bad_hours_and_timezone(tmp_path):
    lines = problems_for(tmp_path, BASE + '[hours]\nmonday = "18:00-10:00"\n[kiosk]\ntimezone = "Europe/Pariss"\n')
    assert any("hours.monday" in l for l in lines) and any("kiosk.timezone" in l for l in lines)


def test_timezone_typo_suggests_a_zone(tmp_path):
    for typo, zone in (("Europe/Pari", "Europe/Paris"), ("europe/paris", "Europe/Paris"), ("Paris", "Europe/Paris"),
                       ("Amerca/Cayenne", "America/Cayenne")):
        (line,) = problems_for(tmp_path, BASE + f'[kiosk]\ntimezone = "{typo}"\n')
        assert "kiosk.timezone" in line and f"did you mean '{zone}'" in line, line


def test_malformed_pin_hash_says_what_is_wrong_and_what_to_do(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[mediator]\npin_hash = "abc"\n')
    assert line.startswith(str(tmp_path / "venue.toml") + ": mediator.pin_hash: 'abc', not of the form")
    assert "expected expected" not in line and "`kiosk hash-pin`" in line
    (line,) = problems_for(tmp_path, BASE + '[mediator]\npin_hash = "pbkdf2_sha256$200000$!!$!!"\n')
    assert "damaged" in line and "expected the line `kiosk hash-pin` prints" in line


def test_no_station_enabled_is_a_problem(tmp_path):
    (line,) = problems_for(tmp_path, '[stations]\nenabled = []\n')
    assert "stations.enabled" in line and "empty" in line and "calm" in line


def test_sensor_problem_names_its_key_path_once(tmp_path):
    pytest.importorskip("hardware.config")
    (line,) = problems_for(tmp_path, BASE + '[sensors]\ndevices = [{name = "porte", kind = "footfal", port = "auto"}]\n')
    assert line.startswith(str(tmp_path / "venue.toml") + ": sensors.devices[0] (porte).kind: 'footfal'")
    assert "did you mean 'footfall'" in line and line.count("sensors") == 1


def test_syntax_error_names_line(tmp_path):
    (line,) = problems_for(tmp_path, BASE + '[kiosk\nid = "x"\n')
    assert "venue.toml" in line and "line" in line


def test_check_config_cli_exit_2_with_suggestion(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('[kiosk]\nvenu = "Médiathèque"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "kiosk.venu" in proc.stderr and "did you mean 'venue'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_shipped_venues_are_valid():
    from pathlib import Path

    from kiosk.paths import CONFIG_DIR
    from kiosk.registry import discover

    classes, errors = discover()
    venues = sorted((CONFIG_DIR / "venues").glob("*.toml"))
    assert len(venues) >= 2
    for venue in venues:
        cfg = load_config(venue, strict_stations=False)
        assert cfg.venue and isinstance(cfg.data_dir, Path)


def test_default_toml_documents_each_station_s_own_defaults():
    from kiosk.config import read_toml
    from kiosk.paths import DEFAULT_CONFIG
    from kiosk.registry import discover

    documented = read_toml(DEFAULT_CONFIG)["stations"]
    for sid, cls in discover()[0].items():
        assert documented.get(sid, {}) == cls.config_defaults, sid
