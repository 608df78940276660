"""A simulated day at the door, through real pyserial on a pty: exact totals despite every fault."""
from __future__ import annotations

import numpy as np
import pytest

from eventlog.wire import db_path
from hardware.fake import FakeRig
from hardware.service import SensorService, parse_sensor_config

from .conftest import FAST, PARIS, FastClock, events, paris, wait_for


def _caught_up(rig, svc, ins, outs):
    """The board has counted every walker so far and the reader believes its current totals (heartbeats
    get through: a damaged line is never followed by another damaged one). Only then may the board
    lose power: passages since the last line that got through die with it, as on a real board."""
    door = rig.door

    def done():
        value = svc.snapshot().devices[0].last_value or {}
        with door.lock:
            return (door.counted_in, door.counted_out) == (ins, outs) and \
                (value.get("boot_id"), value.get("in"), value.get("out")) == \
                (door.boot_id, door.total_in, door.total_out)

    assert wait_for(done)


@pytest.mark.slow
def test_simulated_day_exact_totals(tmp_path, recorder):
    rng = np.random.default_rng(7)
    rig = FakeRig.start(("footfall",), visitors_per_minute=0, heartbeat_s=0.05, fault_rate=0.2,
                        boot_noise_s=0.05, link_dir=tmp_path / "by-id", seed=3)
    clock = FastClock(paris(2026, 11, 25, 9, 0), scale=2000)   # an hour of opening every 1.8 s
    section = rig.config_section()
    section["devices"][0]["opening_reset"] = "06:00"
    db = db_path(tmp_path)

    def service():
        svc = SensorService(devices=parse_sensor_config(section), record=recorder.record, clock=clock,
                            db_path=db, tz=PARIS, timing=FAST)
        svc.start()
        assert wait_for(lambda: svc.snapshot().devices[0].connected)
        return svc

    svc = service()
    ins = outs = 0
    kiosk_down_in = 0
    try:
        for round_ in range(40):
            n_in = int(rng.integers(0, 6))
            n_out = int(rng.integers(0, min(6, ins + n_in - outs) + 1))
            rig.door.walk(n_in, n_out)
            ins, outs = ins + n_in, outs + n_out
            rig.door.write_raw(rng.integers(0, 256, 30, dtype=np.uint8).tobytes())   # line noise
            _caught_up(rig, svc, ins, outs)
            if round_ in (10, 30):            # two unplug/replugs
                rig.door.unplug()
                assert wait_for(lambda: not svc.snapshot().devices[0].connected)
                rig.door.walk(2, 0)           # unpowered (then booting): nobody is counted
                rig.door.replug()
                assert wait_for(lambda: svc.snapshot().devices[0].connected)
            if round_ == 18:                  # the device reboots (power glitch)
                rig.door.reboot()
                _caught_up(rig, svc, ins, outs)   # a booting board counts nobody: walk once it is up
            if round_ == 24:                  # the kiosk restarts while people keep walking in
                svc.stop()
                assert recorder.flush()
                rig.door.walk(4, 1)
                kiosk_down_in += 4
                ins, outs = ins + 4, outs + 1
                svc = service()
                _caught_up(rig, svc, ins, outs)
        _caught_up(rig, svc, ins, outs)
        status = svc.snapshot().devices[0]
        occupancy = svc.snapshot().occupancy
    finally:
        svc.stop()
        rig.stop()
    assert recorder.flush()
    minutes = events(db, "footfall.minute")
    recorded_in = sum(m["in"] for m in minutes)
    recorded_out = sum(m["out"] for m in minutes)
    door = rig.door
    print(f"\nday: {door.counted_in} in / {door.counted_out} out counted by the device, "
          f"{recorded_in} / {recorded_out} recorded; {door.missed} missed while unpowered; "
          f"{door.damaged} lines damaged of {door.sent}; rejected {status.rejected}, "
          f"garbage {status.garbage_bytes} B, duplicates {status.duplicates}, reboots seen {status.reboots}, "
          f"{len(minutes)} minute rows")
    assert door.missed == 4 and door.counted_in == ins and door.counted_out == outs
    assert (recorded_in, recorded_out) == (door.counted_in, door.counted_out)
    assert occupancy == recorded_in - recorded_out
    assert door.damaged > 10 and status.rejected > 0 and status.garbage_bytes > 0
    assert kiosk_down_in == 4
    from eventlog.kinds import validate_payload

    for kind in ("footfall.minute", "footfall.state", "sensor.status"):
        assert all(validate_payload(kind, payload) is None for payload in events(db, kind))
    # Minutes are local, inside the simulated opening day.
    assert all("2026-11-25T09:00" <= m["minute"] <= "2026-11-25T23:59" for m in minutes)
