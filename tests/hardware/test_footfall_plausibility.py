"""Garbage never counts: lines against the protocol or a door's physics are never believed, and the
next good line continues from the last good one."""
from __future__ import annotations

import numpy as np

from eventlog.wire import db_path
from hardware.fake import FakeRig
from hardware.footfall_state import HELD, IMPLAUSIBLE, PASSAGES_PER_S, SLACK, FootfallTracker, Limits
from hardware.protocols.footfall import MAX_COUNTER, FootfallFrame, encode_line
from hardware.service import SensorService, parse_sensor_config

from .conftest import FAST, PARIS, ManualClock, events, paris, wait_for

TOP = MAX_COUNTER   # 4294967295, the audit's value


def _line(seq, t_in, t_out, boot="AAAA0001", device="porte1"):
    return FootfallFrame(device, boot, seq, t_in, t_out, "E")


def _running(t=0.0):
    """A tracker that has believed porte1's boot AAAA0001 up to seq 10, 6 in, 2 out, at time t."""
    tracker = FootfallTracker()
    assert tracker.update(_line(0, 0, 0), t) == (0, 0)
    assert tracker.update(_line(10, 6, 2), t) == (6, 2)
    return tracker


def test_the_audit_line_is_never_counted_and_the_next_good_line_continues():
    tracker = _running()
    assert tracker.update(_line(11, TOP, 2), 1.0) is None          # more passages than lines: impossible
    assert tracker.outcome == IMPLAUSIBLE and "passages in 1 lines" in tracker.reason
    assert tracker.update(_line(11, 7, 2), 1.5) == (1, 0)
    assert tracker.update(_line(12, 7, 3), 2.0) == (0, 1)
    assert tracker.implausible == 1 and tracker.state()["total_in"] == 7


def test_a_huge_seq_does_not_jam_the_counter():
    tracker = _running()
    assert tracker.update(_line(TOP, 7, 2), 1.0) is None            # one passage, but 4 billion lines in 1 s
    assert tracker.outcome == HELD
    assert tracker.update(_line(11, 7, 2), 1.5) == (1, 0)           # not a "duplicate" of the garbage
    assert tracker.update(_line(TOP - 5, 7, 2), 2.0) is None        # lines cannot arrive that fast either
    assert tracker.update(_line(12, 8, 2), 2.5) == (1, 0)
    assert tracker.implausible == 2 and tracker.duplicates == 0 and tracker.jumps == 0


def test_the_physics_bound_and_a_real_jump_confirmed_by_the_next_line():
    limits = Limits()
    assert limits.exceeded(_running().believed, _line(10 + SLACK, 6 + SLACK, 2), 0.0) is None
    tracker = _running(t=100.0)
    # 60 s later: up to 5 * 60 + 10 passages are plausible, 400 are not.
    assert tracker.update(_line(320, 6 + 300, 2 + 10), 160.0) == (300, 10)
    assert tracker.update(_line(730, 306 + 400, 12), 220.0) is None and "400 passages in 60.0 s" in tracker.reason
    # A kiosk clock that stood still, a log state older than it looks: the next line continues
    # from the held one as the board's lines do, so the jump was real and is counted, once.
    assert tracker.update(_line(731, 707, 12), 220.5) == (401, 0)
    assert tracker.update(_line(732, 707, 13), 221.0) == (0, 1)
    assert (tracker.jumps, tracker.implausible) == (1, 0)
    assert PASSAGES_PER_S * 60 + SLACK < 400


def test_a_damaged_boot_id_is_not_a_reboot():
    # On a running board, a line whose boot id was garbled (and still passes the CRC) would count
    # every passage since boot again: a new boot is believed on its second line only.
    tracker = _running()
    assert tracker.update(_line(11, 7, 2, boot="AAAB0001"), 1.0) is None and tracker.outcome == HELD
    assert tracker.update(_line(11, 7, 2), 1.5) == (1, 0)
    assert tracker.update(_line(12, 7, 2, boot="A0AA0001"), 2.0) is None
    assert tracker.update(_line(13, 8, 2), 2.5) == (1, 0)
    assert (tracker.reboots, tracker.implausible) == (0, 2)
    # A real reboot starts with its boot line (seq 0, nothing counted yet)...
    assert tracker.update(_line(0, 0, 0, boot="BBBB0002"), 3.0) == (0, 0) and tracker.reboots == 1
    # ...or, the boot line lost, is believed on its second line.
    assert tracker.update(_line(3, 2, 0, boot="CCCC0003"), 4.0) is None
    assert tracker.update(_line(4, 2, 1, boot="CCCC0003"), 4.1) == (2, 1) and tracker.reboots == 2


def test_random_crc_valid_garbage_between_good_lines_never_changes_the_totals():
    rng = np.random.default_rng(6)
    tracker = FootfallTracker(limits=Limits(heartbeat_s=10.0))
    boot, seq, t_in, t_out, t = "1A2B3C4D", 0, 0, 0, 1000.0
    good = [_line(0, 0, 0, boot)]
    counted = [0, 0]
    lines = [(good[0], t)]
    for _ in range(3000):
        t += float(rng.exponential(3.0))
        seq += 1
        step = rng.random()
        if step < 0.45:
            t_in += 1
        elif step < 0.85:
            t_out += 1
        lines.append((_line(seq, t_in, t_out, boot), t))
        if rng.random() < 0.08:   # a CRC-valid garbage line: random fields, or the right ones with one garbled
            kind = int(rng.integers(4))
            fields = [int(v) for v in rng.integers(0, TOP, 3, dtype=np.uint64)]
            garbage = [
                _line(*fields, boot),
                _line(seq + 1, t_in + fields[1], t_out, boot),
                _line(fields[0], t_in, t_out, boot),
                _line(seq + 1, t_in, t_out, f"{int(rng.integers(0, 2**32)):08X}"),
            ][kind]
            lines.append((garbage, t + 0.01))
    for i, (line, when) in enumerate(lines):
        if i % 17 == 5:           # lost lines lose nothing: the totals are cumulative
            continue
        delta = tracker.update(line, when)
        if delta is not None:
            counted[0] += delta[0]
            counted[1] += delta[1]
    delta = tracker.update(_line(seq + 1, t_in, t_out, boot), t + 10.0)   # the next heartbeat
    counted = [counted[0] + delta[0], counted[1] + delta[1]]
    assert counted == [t_in, t_out] and tracker.state()["seq"] == seq + 1
    assert tracker.implausible > 100


def test_through_the_serial_port_the_audit_line_counts_nobody(tmp_path, recorder):
    rig = FakeRig.start(("footfall",), visitors_per_minute=0, heartbeat_s=0.05, boot_noise_s=0.0,
                        link_dir=tmp_path / "by-id")
    door = rig.door
    db = db_path(tmp_path)
    svc = SensorService(parse_sensor_config(rig.config_section()), record=recorder.record,
                        clock=ManualClock(paris(2026, 11, 25, 10)), db_path=db, tz=PARIS, timing=FAST)

    def heard(n_in, n_out):
        return lambda: (svc.snapshot().devices[0].last_value or {}).get("in") == n_in \
            and svc.snapshot().devices[0].last_value.get("out") == n_out

    try:
        svc.start()
        door.walk(4, 1)
        assert wait_for(heard(4, 1))
        for garbage in ((door.seq, TOP, 1), (TOP, TOP, TOP), (TOP, 4, 1)):
            before = svc.snapshot().devices[0].implausible
            with door.lock:   # the board's next line comes after the garbage one
                door.write_raw(encode_line(door.device_id, door.boot_id, *garbage, "E"))
            assert wait_for(lambda: svc.snapshot().devices[0].implausible > before)
            assert svc.snapshot().occupancy == 3
        door.walk(2, 0)
        assert wait_for(heard(6, 1))
        assert wait_for(lambda: svc.snapshot().occupancy == 5)
        status = svc.snapshot().devices[0]
    finally:
        svc.stop()
        rig.stop()
    assert recorder.flush()
    minutes = events(db, "footfall.minute")
    assert (sum(m["in"] for m in minutes), sum(m["out"] for m in minutes)) == (6, 1)
    assert max(m["total_in"] for m in minutes) == 6
    assert status.implausible == 3 and status.rejected >= 3 and status.duplicates == 0
