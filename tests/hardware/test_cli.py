"""`kiosk sensors`: status of the configured devices and --listen, against the pty fakes."""
from __future__ import annotations

import io

from hardware.cli import listen, main, status
from hardware.fake import FakeRig


def test_status_prints_each_device_and_occupancy(tmp_path):
    rig = FakeRig.start(("footfall", "sds011"), visitors_per_minute=0, heartbeat_s=0.1, boot_noise_s=0.0,
                        link_dir=tmp_path / "by-id")
    rig.door.walk(3, 1)
    out = io.StringIO()
    try:
        assert status(rig.config_section(), 1.5, out) == 0
    finally:
        rig.stop()
    text = out.getvalue()
    assert "porte (footfall) — connecté" in text and "entrées 3, sorties 1" in text
    assert "particules (sds011) — connecté" in text and "PM2.5" in text
    assert "Personnes dans la salle : 2" in text


def test_listen_dumps_decoded_frames(tmp_path):
    rig = FakeRig.start(("mhz19",), visitors_per_minute=0, warm_up_s=0, link_dir=tmp_path / "by-id")
    out = io.StringIO()
    try:
        assert listen(str(rig.devices["mhz19"].link), "auto", 0.6, out) == 0
    finally:
        rig.stop()
    assert "mhz19 CO2Frame(ppm=" in out.getvalue()


def test_bad_arguments_exit_2(capsys):
    assert main(["--bogus"]) == 2
    assert main(["--seconds", "-1"]) == 2
    assert main(["--listen", "/dev/does-not-exist", "--seconds", "0.1"]) == 2


def test_no_device_configured_says_so_at_once(monkeypatch):
    import hardware.cli as cli

    monkeypatch.setattr(cli, "_section_from_config", lambda path: {"devices": []})
    out = io.StringIO()
    assert main(["--", "--seconds", "30"], out=out) == 0      # returns at once, separator tolerated
    assert "Aucun capteur configuré" in out.getvalue()
