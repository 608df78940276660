"""A venue with no air sensor: the air station is not offered (it would promise « voyez-le en direct » over
an empty chart) and check-config says why."""
from __future__ import annotations

from pathlib import Path

from kiosk.config import load_config
from tests.access.driver import Visitor

ROOT = Path(__file__).resolve().parents[2]


def test_check_config_warns_that_the_air_station_is_hidden():
    config = load_config(ROOT / "config/venues/mediatheque-bobigny.toml")
    assert "air" in config.stations and not config.sensors.get("devices")
    assert any("'air' is hidden from visitors" in w and "mhz19 or sds011" in w for w in config.warnings)


def test_the_home_menu_offers_the_air_station_only_with_an_air_sensor(tmp_path):
    without = Visitor(tmp_path / "a")
    try:
        assert "air" in without.app.config.stations and "air" not in without.app.stations.menu()
        assert "crowd" in without.app.stations.menu()
    finally:
        without.close()
    with_sensors = Visitor(tmp_path / "b", fake_sensors=True)
    try:
        assert "air" in with_sensors.app.stations.menu()
    finally:
        with_sensors.close()
