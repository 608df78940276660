"""The udev rules the installer writes from a venue file: every sensor adapter opened by the kiosk's group and
left alone by ModemManager, a stable /dev/qsec/<name> for each sensor its adapter (or serial number) tells apart."""
from __future__ import annotations

import io

from hardware.cli import main
from hardware.config import parse_sensor_config
from hardware.udev import udev_rules


def _rules(devices: list[dict]) -> list[str]:
    return udev_rules(parse_sensor_config({"devices": devices})).splitlines()


def test_each_sensor_gets_a_stable_name_when_its_adapter_tells_it_apart():
    rules = _rules([
        {"name": "door", "kind": "footfall", "serial_number": "A1B2"},
        {"name": "dust", "kind": "sds011"},
        {"name": "co2", "kind": "mhz19", "usb_id": "10c4:ea60"},
    ])
    links = [r for r in rules if "SYMLINK" in r]
    # the door counter by its serial number on each adapter it may ship with
    assert sum('ATTRS{serial}=="A1B2"' in r and 'SYMLINK+="qsec/door"' in r for r in links) == 4
    assert [r for r in links if "qsec/dust" in r] == [
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", SYMLINK+="qsec/dust"']
    assert [r for r in links if "qsec/co2" in r] == [
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", SYMLINK+="qsec/co2"']
    access = [r for r in rules if 'GROUP="qsec"' in r]
    assert access and all('MODE="0660"' in r and 'ENV{ID_MM_DEVICE_IGNORE}="1"' in r for r in access)
    assert any('"1a86"' in r for r in access) and any('"0403"' in r for r in access)


def test_two_sensors_on_the_same_adapter_need_a_serial_number_and_the_rules_say_so():
    rules = _rules([{"name": "dust", "kind": "sds011"}, {"name": "co2", "kind": "mhz19", "usb_id": "1a86:7523"},
                    {"name": "door", "kind": "footfall", "port": "/dev/serial/by-path/pci-0:1.0"}])
    assert not [r for r in rules if "SYMLINK" in r]
    said = [r for r in rules if r.startswith("# dust") or r.startswith("# co2")]
    assert len(said) == 2 and all("serial_number" in r for r in said)
    assert any(r.startswith("# door: its port /dev/serial/by-path/pci-0:1.0 is already a stable path") for r in rules)


def test_the_sensors_command_prints_the_rules_of_a_venue_file(tmp_path):
    venue = tmp_path / "venue.toml"
    venue.write_text('[sensors]\ndevices = [{ name = "door", kind = "footfall", serial_number = "X9" }]\n')
    out = io.StringIO()
    assert main(["--udev-rules", "--config", str(venue)], out=out) == 0
    assert 'SYMLINK+="qsec/door"' in out.getvalue()
