"""The mediator sensors page draws each device from a live SensorService on pty fakes."""
from __future__ import annotations

import pygame

from hardware.fake import FakeRig
from hardware.service import SensorService, parse_sensor_config

from .conftest import FAST, wait_for


def test_sensors_page_shows_devices_states_and_counts(tmp_path):
    from kiosk.screens.sensors import SensorsPage, describe_value
    from kiosk.testing import canvas, close_context, make_context

    ctx = make_context("mediator.sensors", tmp_path=tmp_path)
    rig = FakeRig.start(("footfall", "mhz19"), visitors_per_minute=0, heartbeat_s=0.05, warm_up_s=0,
                        boot_noise_s=0.0, link_dir=tmp_path / "by-id")
    svc = SensorService(parse_sensor_config(rig.config_section()), timing=FAST)
    try:
        page = SensorsPage(ctx)
        page.reset()
        page.enter()
        surface = canvas(ctx)
        page.update(0.016)
        page.draw(surface)                        # no service yet: the "no sensor configured" text
        ctx.sensors = svc
        svc.start()
        rig.door.walk(2, 0)
        assert wait_for(lambda: (svc.snapshot().device("porte").last_value or {}).get("in") == 2)
        rig.devices["mhz19"].unplug()
        assert wait_for(lambda: not svc.snapshot().device("co2").connected)
        page.update(1.0)
        page.draw(surface)
        snap = page.snapshot
        assert snap.device("porte").state == "connected" and snap.device("co2").state in ("offline", "warming_up")
        assert "2 entrées, 0 sorties" in describe_value(snap.device("porte").last_value, ctx.i18n.gettext)
        assert page._state_line(snap.device("porte")).startswith("connecté depuis")
        pygame.image.save(surface, str(tmp_path / "sensors.png"))
        assert not page.handle_event(None)
        page.exit()
    finally:
        svc.stop()
        rig.stop()
        close_context(ctx)
