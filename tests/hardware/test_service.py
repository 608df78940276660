"""SensorService over real pyserial on ptys: warm-up, air medians, auto ports, leaks, config checks."""
from __future__ import annotations

import dataclasses
import os
import threading
import time

from eventlog.wire import db_path
from hardware.config import DeviceConfig, check_sensor_config, parse_sensor_config
from hardware.fake import FakeRig
from hardware.footfall_state import FootfallTracker
from hardware.ports import PortInfo
from hardware.protocols import sds011
from hardware.protocols.footfall import FootfallFrame
from hardware.readings import AirReading, StatusReading
from hardware.room import RoomOccupancy
from hardware.service import SensorService

from .conftest import FAST, PARIS, ManualClock, events, paris, wait_for


def _frame(boot, seq, t_in, t_out, device="porte1"):
    return FootfallFrame(device, boot, seq, t_in, t_out, "H")


def test_tracker_totals_duplicates_reboots():
    tracker = FootfallTracker()
    assert tracker.update(_frame("A", 0, 0, 0)) == (0, 0)
    assert tracker.update(_frame("A", 7, 5, 2)) == (5, 2)      # lines lost: nothing lost
    assert tracker.update(_frame("A", 7, 5, 2)) is None        # duplicate
    assert tracker.update(_frame("A", 6, 4, 2)) is None        # older line
    assert tracker.update(_frame("A", 8, 4, 2)) is None        # totals going down in one boot: rejected
    assert tracker.update(_frame("B", 2, 2, 0)) is None        # a boot never heard: held until...
    assert tracker.update(_frame("B", 3, 2, 0)) == (2, 0)      # ...its next line: counted from zero
    assert (tracker.duplicates, tracker.regressions, tracker.reboots) == (2, 1, 1)


def test_room_occupancy_never_negative_and_resets_at_opening():
    room = RoomOccupancy("09:30", PARIS)
    day = paris(2026, 11, 25, 10)
    assert room.add(3, 0, day) == 3
    assert room.add(0, 5, day + 60) == 0
    assert room.add(4, 1, day + 120) == 3
    assert room.value(paris(2026, 11, 26, 9, 29)) == 3
    assert room.value(paris(2026, 11, 26, 9, 30)) == 0


def test_co2_warm_up_then_values_and_minute_medians(tmp_path, recorder):
    clock = ManualClock(paris(2026, 11, 25, 14, 0))
    rig = FakeRig.start(("mhz19",), visitors_per_minute=0, warm_up_s=0, link_dir=tmp_path / "by-id")
    device = DeviceConfig(name="co2", kind="mhz19", port=str(rig.devices["mhz19"].link), poll_s=0.05,
                          warm_up_s=180, self_calibration=True)
    svc = SensorService([device], record=recorder.record, clock=clock, tz=PARIS, timing=FAST)
    try:
        svc.start()
        assert wait_for(lambda: svc.snapshot().devices[0].state == "warming_up")
        assert wait_for(lambda: rig.devices["mhz19"].requests >= 5)
        readings = svc.drain()
        assert not [r for r in readings if isinstance(r, AirReading)]
        snap = svc.snapshot()
        assert snap.co2_ppm is None and snap.devices[0].warming_up and snap.devices[0].connected
        clock.advance(180)
        assert wait_for(lambda: svc.snapshot().co2_ppm is not None)
        assert svc.snapshot().devices[0].state == "connected"
        clock.advance(60)                       # the minute rolls over: its median is recorded
        assert wait_for(lambda: recorder.flush() and events(db_path(tmp_path), "sensor.air"))
        readings = svc.drain()
    finally:
        svc.stop()
        rig.stop()
    assert rig.devices["mhz19"].abc is True
    values = [r.co2_ppm for r in readings if isinstance(r, AirReading)]
    states = [r.state for r in readings if isinstance(r, StatusReading)]
    assert values and all(350 <= v <= 2000 for v in values) and states[-1] == "connected"
    recorder.flush()
    air = events(db_path(tmp_path), "sensor.air")
    assert air[0]["minute"] == "2026-11-25T14:03" and isinstance(air[0]["co2_ppm"], int)
    status = [e["state"] for e in events(db_path(tmp_path), "sensor.status")]
    assert status[:2] == ["warming_up", "connected"]


def test_sds011_set_to_working_period_and_pm_values(tmp_path):
    rig = FakeRig.start(("sds011",), visitors_per_minute=0, link_dir=tmp_path / "by-id")
    section = rig.config_section()
    section["devices"][0]["working_period_min"] = 3
    svc = SensorService(parse_sensor_config(section), clock=time.time, timing=FAST)
    try:
        svc.start()
        assert wait_for(lambda: svc.snapshot().pm25 is not None)
    finally:
        svc.stop()
        rig.stop()
    assert rig.devices["sds011"].commands[0] == sds011.CMD_WORKING_PERIOD
    assert rig.devices["sds011"].working_period_min == 3
    assert 0 < svc.snapshot().devices[0].last_value["pm25"] < 100


def test_auto_port_finds_each_device_by_usb_id_and_first_frame(tmp_path):
    # Both adapters are CH340s (1a86:7523): only the first valid frame tells them apart.
    rig = FakeRig.start(("footfall", "sds011"), visitors_per_minute=0, heartbeat_s=0.05,
                        link_dir=tmp_path / "by-id")

    def lister():
        return [PortInfo(dev.pty_path, 0x1A86, 0x7523) for dev in rig.devices.values() if dev.plugged]

    devices = [DeviceConfig(name="porte", kind="footfall"), DeviceConfig(name="pm", kind="sds011")]
    svc = SensorService(devices, clock=time.time, list_ports=lister, timing=FAST)
    try:
        svc.start()
        assert wait_for(lambda: all(d.connected for d in svc.snapshot().devices), timeout=30)
        ports = {d.name: d.port for d in svc.snapshot().devices}
        assert ports == {"porte": rig.door.pty_path, "pm": rig.devices["sds011"].pty_path}
        # Replugged, the door counter may come back under another tty name: auto follows it.
        rig.door.unplug()
        assert wait_for(lambda: not svc.snapshot().device("porte").connected)
        rig.door.replug()
        assert wait_for(lambda: svc.snapshot().device("porte").connected, timeout=30)
        assert svc.snapshot().device("porte").port == rig.door.pty_path
    finally:
        svc.stop()
        rig.stop()


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_thread_or_fd_left_after_50_unplug_replug_cycles(tmp_path):
    threads0, fds0 = threading.active_count(), _fds()
    rig = FakeRig.start(("footfall", "mhz19"), visitors_per_minute=0, heartbeat_s=0.05, warm_up_s=0,
                        boot_noise_s=0.02, link_dir=tmp_path / "by-id")
    section = rig.config_section()
    section["devices"][1]["poll_s"] = 1
    svc = SensorService(parse_sensor_config(section), clock=time.time, timing=FAST)
    svc.start()
    door, co2 = rig.door, rig.devices["mhz19"]
    try:
        assert wait_for(lambda: all(d.connected for d in svc.snapshot().devices))
        fds_running = _fds()
        for _ in range(50):
            door.unplug()
            co2.unplug()
            assert wait_for(lambda: not any(d.connected for d in svc.snapshot().devices))
            door.replug()
            co2.replug()
            assert wait_for(lambda: all(d.connected for d in svc.snapshot().devices))
        assert threading.active_count() == threads0 + 4      # 2 readers + 2 fakes, as at the start
        assert _fds() <= fds_running + 1
        assert svc.snapshot().device("porte").reconnects >= 50   # more if a loaded machine delays a heartbeat
    finally:
        svc.stop()
        rig.stop()
    assert svc.alive_threads == 0
    assert wait_for(lambda: threading.active_count() == threads0)
    assert _fds() == fds0


def test_kiosk_restart_reads_state_back_from_the_log(tmp_path, recorder):
    rig = FakeRig.start(("footfall",), visitors_per_minute=0, heartbeat_s=0.05, link_dir=tmp_path / "by-id")
    db = db_path(tmp_path)
    clock = ManualClock(paris(2026, 11, 25, 11, 0))

    def run(walk_in, walk_out, device_total_in, expected_occupancy):
        svc = SensorService(parse_sensor_config(rig.config_section()), record=recorder.record, clock=clock,
                            db_path=db, tz=PARIS, timing=FAST)
        svc.start()
        assert wait_for(lambda: svc.snapshot().devices[0].connected)
        rig.door.walk(walk_in, walk_out)
        assert wait_for(lambda: (svc.snapshot().devices[0].last_value or {}).get("in") == device_total_in
                        and svc.snapshot().devices[0].last_value.get("out") == rig.door.total_out)
        # the reader shows the line's totals a moment before it adds the passages to the room
        assert wait_for(lambda: svc.snapshot().occupancy == expected_occupancy)
        occupancy = svc.snapshot().occupancy
        svc.stop()
        assert recorder.flush()
        return occupancy

    try:
        assert run(5, 1, 5, 4) == 4
        rig.door.walk(2, 0)          # while the kiosk is off, the board keeps counting
        assert wait_for(lambda: rig.door.counted_in == 7)
        assert run(0, 1, 7, 5) == 5     # occupancy restored from today's minutes, then +2 -1
    finally:
        rig.stop()
    minutes = events(db, "footfall.minute")
    assert (sum(m["in"] for m in minutes), sum(m["out"] for m in minutes)) == (7, 2)


def test_check_sensor_config_names_each_mistake():
    section = {
        "co2_self_calibration": "oui",
        "devices": [
            {"name": "porte", "kind": "footfall", "port": "auto", "opening_reset": "9h30"},
            {"name": "porte", "kind": "co2", "port": "ttyUSB0"},
            {"name": "air", "kind": "sds011", "port": "/dev/serial/by-id/x", "warm_up_s": 10, "colour": 1},
            {"name": "c", "kind": "mhz19", "usb_id": "zz", "poll_s": 0},
        ],
    }
    problems = check_sensor_config(section, "sensors")
    joined = "\n".join(problems)
    for fragment in ("sensors.co2_self_calibration", "opening_reset: '9h30'", "already used", "'co2' is not one of",
                     "'ttyUSB0' must be \"auto\"", "warm_up_s: only mhz19", "colour: unknown key", "usb_id: 'zz'",
                     "poll_s: 0 must be"):
        assert fragment in joined, fragment
    assert len(problems) == 9
    assert [d.name for d in parse_sensor_config(section)] == []
    good = {"devices": [{"name": "porte", "kind": "footfall", "port": "auto", "opening_reset": "09:30"}]}
    assert check_sensor_config(good, "sensors") == []
    assert parse_sensor_config(good)[0].opening_reset == "09:30"


def test_arduino_reset_on_open_with_boot_noise_never_counts_twice(tmp_path, recorder):
    # An Uno reboots when the port opens and prints boot-loader noise for a while: the reader
    # counts the noise as garbage and the new boot's totals from zero, never the old ones again.
    rig = FakeRig.start(("footfall",), visitors_per_minute=0, heartbeat_s=0.2, reset_on_open=True,
                        boot_noise_s=0.15, link_dir=tmp_path / "by-id")
    timing = dataclasses.replace(FAST, footfall_heartbeat_s=0.2)   # confirm within 0.3 s > 0.15 s of noise
    db = db_path(tmp_path)
    clock = ManualClock(paris(2026, 11, 25, 15, 0))

    def session(walk_in):
        svc = SensorService(parse_sensor_config(rig.config_section()), record=recorder.record, clock=clock,
                            db_path=db, tz=PARIS, timing=timing)
        opens_before = rig.door.opens
        svc.start()
        # Walk only once the reader hears the boot this open caused: earlier, the board is still
        # rebooting and misses the passages, as a real one would.
        assert wait_for(lambda: rig.door.opens > opens_before
                        and (svc.snapshot().devices[0].last_value or {}).get("boot_id") == rig.door.boot_id)
        rig.door.walk(walk_in, 0)
        assert wait_for(lambda: (svc.snapshot().devices[0].last_value or {}).get("in") == walk_in)
        status = svc.snapshot().devices[0]
        svc.stop()
        # The fake sees an open as a pty hang-up ending; a reopen quicker than its 5 ms poll would
        # go unseen, where a real board always resets on DTR.
        assert wait_for(lambda: not rig.door.port_open)
        assert recorder.flush()
        return status

    try:
        first = session(3)
        second = session(2)
    finally:
        rig.stop()
    assert first.garbage_bytes > 0 and rig.door.boots >= 3       # power-on + one reset per open
    minutes = events(db, "footfall.minute")
    assert sum(m["in"] for m in minutes) == 5 == rig.door.counted_in
    assert second.reboots == 1                                   # the state from the log, then a new boot
