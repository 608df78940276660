"""The screen's power by the opening hours (kiosk/display_power.py): what is found on this machine, the
commands run off the frame loop, and the App switching the screen off on the closed screen and on again."""
from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from kiosk.app import App
from kiosk.display_power import PowerControl, ScreenPower, detect
from kiosk.headless import ScriptedInput
from tests.runtime.fakes import CLASSES

XSET_WITH_DPMS = """Screen Saver:
  prefer blanking:  yes    allow exposures:  yes
DPMS (Energy Star):
  Standby: 600    Suspend: 600    Off: 600
  DPMS is Enabled
  Monitor is On
"""
XSET_WITHOUT_DPMS = """Screen Saver:
  prefer blanking:  yes    allow exposures:  yes
DPMS (Energy Star):
  Server does not have the DPMS Extension
"""


def answers(table: dict[str, tuple[int, str]]):
    """A stand-in for running a program: its exit code and output by command line."""
    def run(args):
        code, out = table[" ".join(args)]
        return subprocess.CompletedProcess(list(args), code, out, "")
    return run


def test_x_with_dpms_is_switched_by_xset():
    found = detect({"DISPLAY": ":0"}, answers({"xset q": (0, XSET_WITH_DPMS)}), which=lambda name: f"/usr/bin/{name}")
    assert found.available and found.off == ["xset", "dpms", "force", "off"]
    assert ["xset", "dpms", "force", "on"] in found.on


def test_x_without_dpms_says_why():
    # Xvfb, some VNC servers: xset exits 0 but the extension is missing
    found = detect({"DISPLAY": ":0"}, answers({"xset q": (0, XSET_WITHOUT_DPMS)}), which=lambda name: f"/usr/bin/{name}")
    assert not found.available and "no DPMS extension" in found.why_not


def test_wayland_compositor_is_switched_by_wlopm_before_x():
    run = answers({"wlopm": (0, "HDMI-A-1 on\n"), "xset q": (0, XSET_WITH_DPMS)})
    found = detect({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, run, which=lambda name: f"/usr/bin/{name}")
    assert found.off == ["wlopm", "--off", "*"] and found.on == [["wlopm", "--on", "*"]]


def test_missing_tools_and_displays_are_named():
    none = detect({}, answers({}), which=lambda name: None)
    assert not none.available and "DISPLAY" in none.why_not
    wayland = detect({"WAYLAND_DISPLAY": "wayland-0"}, answers({}), which=lambda name: None)
    assert "wlopm" in wayland.why_not
    no_outputs = detect({"WAYLAND_DISPLAY": "wayland-0"}, answers({"wlopm": (1, "")}), which=lambda name: "/x")
    assert "found no output" in no_outputs.why_not


def recording_control(path: Path) -> PowerControl:
    """Real commands that write down what they were asked (a screen that keeps a diary)."""
    def say(word: str) -> list[str]:
        return [sys.executable, "-c", f"open({str(path)!r}, 'a').write({word + chr(10)!r})"]
    return PowerControl("diary", off=say("off"), on=[say("on")])


def wait_for_lines(path: Path, n: int) -> list[str]:
    for _ in range(500):
        if path.exists() and len(path.read_text().split()) >= n:
            break
        time.sleep(0.02)
    return path.read_text().split()


def test_commands_run_once_per_change_and_the_screen_is_left_on(tmp_path):
    diary = tmp_path / "screen.txt"
    power = ScreenPower(recording_control(diary))
    power.want(True)                  # already on: nothing to do
    power.want(False)
    for _ in range(5):
        power.want(False)
    assert wait_for_lines(diary, 1) == ["off"]
    power.close()                     # a stopped kiosk leaves the screen on
    assert diary.read_text().split() == ["off", "on"]


def test_a_failing_command_is_logged_not_raised(tmp_path, caplog):
    control = PowerControl("broken", off=[sys.executable, "-c", "import sys; sys.exit(3)"], on=[["true"]])
    power = ScreenPower(control)
    with caplog.at_level(logging.ERROR, logger="kiosk.display_power"):
        power.want(False)
        power._pending.result(timeout=30)
    assert "exited 3" in caplog.text
    power.close()


def test_without_a_way_the_log_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.display_power"):
        power = ScreenPower(PowerControl("none", why_not="the X server has no DPMS extension"))
    power.want(False)
    assert power.on and "cannot be turned off here (the X server has no DPMS extension)" in caplog.text


class PoweredApp(App):
    """A headless App whose screen is the diary above; it notes the screen's state every frame."""

    def __init__(self, *args, diary: Path, **kw):
        super().__init__(*args, **kw)
        self.power_control = recording_control(diary)
        self.states: list[bool] = []
        self.headless_fps_cap = 0

    def tick(self, dt: float) -> None:
        super().tick(dt)
        self.states.append(self.services.power.on)


def test_the_closed_screen_sleeps_after_half_a_minute_and_a_touch_wakes_it(config, tmp_path):
    config = dataclasses.replace(config, enforce_hours=True, data_dir=tmp_path / "data")
    night = datetime(2026, 3, 1, 23, 0, tzinfo=config.tz)      # a Sunday night
    diary = tmp_path / "screen.txt"
    touch = [ScriptedInput(40 * 60, "down", [960, 540]), ScriptedInput(40 * 60 + 2, "up", [960, 540])]
    app = PoweredApp(config, headless=True, classes=CLASSES, now=lambda: night, diary=diary)
    app.run(frames=45 * 60, script=touch)
    assert app.nav.screen_name == "closed"
    off_at = app.states.index(False)
    assert 29 * 60 <= off_at <= 31 * 60                 # 30 s of the closed notice, then dark
    assert all(not on for on in app.states[off_at:40 * 60])
    assert all(app.states[40 * 60 + 1:])                 # a touch at 40 s wakes it for another 30 s
    assert diary.read_text().split() == ["off", "on"]   # (run() waits for the last command as it stops)


def test_at_opening_the_screen_wakes_by_itself(config, tmp_path):
    config = dataclasses.replace(config, enforce_hours=True, data_dir=tmp_path / "data")
    clock = {"now": datetime(2026, 3, 3, 9, 59, 0, tzinfo=config.tz)}   # a Tuesday, a minute before 10:00
    diary = tmp_path / "screen.txt"

    class Opening(PoweredApp):
        def tick(self, dt: float) -> None:
            if len(self.states) == 40 * 60:
                clock["now"] = clock["now"].replace(hour=10, minute=0)
            super().tick(dt)

    app = Opening(config, headless=True, classes=CLASSES, now=lambda: clock["now"], diary=diary)
    if app.ctx.hours.is_open(clock["now"].replace(hour=10, minute=0)) is False:
        import pytest
        pytest.skip("the test venue is not open on Tuesdays at 10:00")
    app.run(frames=42 * 60)
    assert False in app.states[:40 * 60] and all(app.states[40 * 60 + 1:])
    assert app.nav.screen_name == "attract"
    assert diary.read_text().split() == ["off", "on"]
