"""Several door counters: a line is only ever diffed against its own board's and boot's totals."""
from __future__ import annotations

from eventlog.wire import db_path
from hardware.config import DeviceConfig, check_sensor_config, parse_sensor_config
from hardware.fake import FakeDoorCounter
from hardware.footfall_state import FOREIGN, CounterBook, FootfallTracker
from hardware.ports import PortInfo
from hardware.protocols.footfall import FootfallFrame
from hardware.service import SensorService

from .conftest import FAST, PARIS, ManualClock, events, paris, wait_for


def _line(device, boot, seq, t_in, t_out):
    return FootfallFrame(device, boot, seq, t_in, t_out, "H")


def test_a_board_on_another_reader_continues_from_its_own_totals():
    book = CounterBook()
    nord, sud = FootfallTracker(book), FootfallTracker(book)
    assert nord.update(_line("porte1", "AAAA0001", 0, 0, 0)) == (0, 0)       # boot lines
    assert sud.update(_line("porte2", "BBBB0002", 0, 0, 0)) == (0, 0)
    assert nord.update(_line("porte1", "AAAA0001", 40, 30, 10)) == (30, 10)
    assert sud.update(_line("porte2", "BBBB0002", 60, 50, 5)) == (50, 5)
    # Swapped (auto ports after a replug, or a kiosk restart): each reader now hears the other board.
    nord.new_session()
    sud.new_session()
    assert nord.update(_line("porte2", "BBBB0002", 61, 51, 5)) == (1, 0)     # not (51, 5), not a reboot
    assert sud.update(_line("porte1", "AAAA0001", 41, 30, 11)) == (0, 1)
    assert nord.update(_line("porte2", "BBBB0002", 61, 51, 5)) is None       # sud's line seen again
    assert (nord.reboots, sud.reboots, nord.duplicates) == (0, 0, 1)
    assert nord.state() == {"device": "porte2", "boot_id": "BBBB0002", "seq": 61, "total_in": 51, "total_out": 5}


def test_another_board_within_one_connection_or_not_configured_is_never_counted():
    tracker = FootfallTracker()
    assert tracker.update(_line("porte1", "AAAA0001", 0, 0, 0)) == (0, 0)
    assert tracker.update(_line("porte1", "AAAA0001", 5, 3, 0)) == (3, 0)
    # A board cannot change behind an open port: a different id is a damaged line, not a new board.
    assert tracker.update(_line("porte9", "AAAA0001", 6, 4, 0)) is None
    assert tracker.outcome == FOREIGN and tracker.foreign == 1 and "porte9" in tracker.reason
    assert tracker.update(_line("porte1", "AAAA0001", 6, 4, 0)) == (1, 0)
    bound = FootfallTracker(device_id="porte2")
    bound.new_session()
    assert bound.update(_line("porte1", "AAAA0001", 6, 4, 0)) is None and bound.foreign == 1
    assert bound.update(_line("porte2", "CCCC0003", 2, 1, 1)) is None        # a new boot: its second line
    assert bound.update(_line("porte2", "CCCC0003", 3, 1, 1)) == (1, 1)


def test_book_reads_each_boards_state_back_from_the_log(tmp_path, recorder):
    recorder.record("footfall.minute", {"sensor": "nord", "minute": "2026-11-25T10:00", "in": 9, "out": 1,
                                        "device": "porte1", "boot_id": "AAAA0001", "seq": 12, "total_in": 9,
                                        "total_out": 1})
    recorder.record("footfall.minute", {"sensor": "nord", "minute": "2026-11-25T10:01", "in": 5, "out": 0,
                                        "device": "porte2", "boot_id": "BBBB0002", "seq": 30, "total_in": 20,
                                        "total_out": 4})
    # A late row with an older seq of the same boot (another reader's minute) does not win.
    recorder.record("footfall.state", {"sensor": "sud", "device": "porte2", "boot_id": "BBBB0002", "seq": 25,
                                       "total_in": 15, "total_out": 4})
    # Rows from before states carried the device id match on the boot id.
    recorder.record("footfall.state", {"sensor": "sud", "boot_id": "DDDD0004", "seq": 3, "total_in": 2,
                                       "total_out": 0})
    assert recorder.flush()
    book = CounterBook(db_path(tmp_path))
    assert book.state(("porte2", "BBBB0002")).total_in == 20
    assert book.state(("porte1", "BBBB0002")) is None
    assert book.state(("porte3", "DDDD0004")).seq == 3
    tracker = FootfallTracker(book)
    assert tracker.update(_line("porte2", "BBBB0002", 31, 21, 4)) == (1, 0)
    assert tracker.update(_line("porte1", "EEEE0005", 0, 0, 0)) is None    # same connection, other board
    tracker.new_session()
    assert tracker.update(_line("porte1", "EEEE0005", 0, 0, 0)) == (0, 0)
    assert tracker.reboots == 1                                             # porte1 was in the log
    tracker.new_session()
    assert tracker.update(_line("porte5", "FFFF0006", 0, 0, 0)) == (0, 0)
    assert tracker.reboots == 1                                             # a board never heard before


def test_device_id_is_checked():
    section = {"devices": [
        {"name": "nord", "kind": "footfall", "port": "auto", "device_id": "porte1"},
        {"name": "sud", "kind": "footfall", "port": "auto", "device_id": "porte1"},
        {"name": "est", "kind": "footfall", "port": "auto", "device_id": "porte est"},
        {"name": "co2", "kind": "mhz19", "port": "auto", "device_id": "x"},
    ]}
    joined = "\n".join(check_sensor_config(section, "sensors"))
    assert "sud).device_id: 'porte1' is already used" in joined
    assert "est).device_id: 'porte est' must be" in joined
    assert "co2).device_id: only door counters" in joined
    assert parse_sensor_config({"devices": section["devices"][:1]})[0].device_id == "porte1"


def _boards(tmp_path, ids=("porte1", "porte2")):
    boards = [FakeDoorCounter(name=f"door{i}", link_dir=tmp_path / "by-path", device_id=dev, heartbeat_s=0.05,
                              boot_noise_s=0.0, seed=i) for i, dev in enumerate(ids)]
    for board in boards:
        board.start()
    return boards


def _recorded(db, device=None):
    rows = [m for m in events(db, "footfall.minute") if device is None or m.get("device") == device]
    return sum(m["in"] for m in rows), sum(m["out"] for m in rows)


def _walk(boards, walks):
    """People walk through each board's door; returns the totals each board will then show."""
    targets = [(b.total_in + n_in, b.total_out + n_out) for b, (n_in, n_out) in zip(boards, walks)]
    for board, (n_in, n_out) in zip(boards, walks):
        board.walk(n_in, n_out)
    return targets


def _settled(svc, boards, targets=None):
    """Every board's totals (or targets) have reached the reader now hearing it."""
    values = [d.last_value or {} for d in svc.snapshot().devices]
    targets = targets if targets is not None else [(b.total_in, b.total_out) for b in boards]
    return all(any(v.get("device") == b.device_id and (v.get("in"), v.get("out")) == target for v in values)
               for b, target in zip(boards, targets))


def test_boards_swapped_between_sockets_are_never_counted_twice(tmp_path, recorder):
    # Two doors, ports named by USB socket (/dev/serial/by-path). The boards have their own power
    # supply: swapping their cables neither reboots them nor resets their totals.
    one, two = boards = _boards(tmp_path)
    sockets = [one.link, two.link]
    clock = ManualClock(paris(2026, 11, 25, 10, 0))
    db = db_path(tmp_path)
    devices = [DeviceConfig(name="nord", kind="footfall", port=str(sockets[0])),
               DeviceConfig(name="sud", kind="footfall", port=str(sockets[1]))]
    svc = SensorService(devices, record=recorder.record, clock=clock, db_path=db, tz=PARIS, timing=FAST)
    try:
        svc.start()
        targets = _walk(boards, [(6, 1), (4, 2)])
        assert wait_for(lambda: _settled(svc, boards, targets))
        for board in boards:
            board.unplug(keep_power=True)
        assert wait_for(lambda: not any(d.connected for d in svc.snapshot().devices))
        targets = _walk(boards, [(2, 0), (0, 0)])   # counted by the board while its cable is out
        one.replug(sockets[1], keep_power=True)
        two.replug(sockets[0], keep_power=True)
        assert wait_for(lambda: _settled(svc, boards, targets))
        assert svc.snapshot().device("nord").last_value["device"] == "porte2"
        targets = _walk(boards, [(1, 3), (3, 0)])
        assert wait_for(lambda: _settled(svc, boards, targets))
        assert wait_for(lambda: svc.snapshot().occupancy == 10)
        snap = svc.snapshot()
    finally:
        svc.stop()
        for board in boards:
            board.stop()
    assert recorder.flush()
    assert (one.counted_in, one.counted_out, two.counted_in, two.counted_out) == (9, 4, 7, 2)
    assert _recorded(db) == (16, 6)
    assert _recorded(db, "porte1") == (9, 4) and _recorded(db, "porte2") == (7, 2)
    assert snap.occupancy == 10 and all(d.reboots == 0 for d in snap.devices)


def test_kiosk_restart_with_each_reader_on_the_other_board(tmp_path, recorder):
    # The audit's case: two counters on `auto`; after a restart each reader may open the other board's
    # port (here forced: the readers' paths are swapped). Each reads back the state of the board it hears.
    boards = _boards(tmp_path)
    clock = ManualClock(paris(2026, 11, 25, 10, 0))
    db = db_path(tmp_path)

    def run(links, walks):
        devices = [DeviceConfig(name=name, kind="footfall", port=str(link)) for name, link in zip(("nord", "sud"), links)]
        svc = SensorService(devices, record=recorder.record, clock=clock, db_path=db, tz=PARIS, timing=FAST)
        svc.start()
        assert wait_for(lambda: _settled(svc, boards))
        targets = _walk(boards, walks)
        assert wait_for(lambda: _settled(svc, boards, targets))
        assert wait_for(lambda: svc.snapshot().occupancy == sum(b.total_in - b.total_out for b in boards))
        hearing = {d.name: d.last_value["device"] for d in svc.snapshot().devices}
        svc.stop()
        assert recorder.flush()
        return hearing

    try:
        assert run([boards[0].link, boards[1].link], [(5, 0), (3, 1)]) == {"nord": "porte1", "sud": "porte2"}
        assert run([boards[1].link, boards[0].link], [(1, 1), (2, 0)]) == {"nord": "porte2", "sud": "porte1"}
    finally:
        for board in boards:
            board.stop()
    assert _recorded(db) == (11, 2)
    assert _recorded(db, "porte1") == (6, 1) and _recorded(db, "porte2") == (5, 1)
    assert all(b.boots == 1 for b in boards)


def test_auto_readers_bound_by_device_id_each_find_their_own_board(tmp_path, recorder):
    boards = _boards(tmp_path)

    def lister():   # both adapters have the same USB id: only the lines tell the boards apart
        return [PortInfo(b.pty_path, 0x2341, 0x0043) for b in boards if b.plugged]

    devices = [DeviceConfig(name="sud", kind="footfall", device_id="porte2"),
               DeviceConfig(name="nord", kind="footfall", device_id="porte1")]
    svc = SensorService(devices, record=recorder.record, clock=ManualClock(paris(2026, 11, 25, 10)),
                        db_path=db_path(tmp_path), tz=PARIS, timing=FAST, list_ports=lister)

    def each_on_its_own():
        snap = svc.snapshot()
        return all(d.connected for d in snap.devices) and \
            (snap.device("nord").port, snap.device("sud").port) == (boards[0].pty_path, boards[1].pty_path)

    try:
        svc.start()
        for _ in range(3):
            assert wait_for(each_on_its_own, timeout=30)
            targets = _walk(boards, [(2, 0), (0, 1)])
            assert wait_for(lambda: _settled(svc, boards, targets))
            for board in boards:
                board.unplug(keep_power=True)
            assert wait_for(lambda: not any(d.connected for d in svc.snapshot().devices))
            for board in reversed(boards):
                board.replug(keep_power=True)
    finally:
        svc.stop()
        for board in boards:
            board.stop()
    assert recorder.flush()
    minutes = events(db_path(tmp_path), "footfall.minute")
    assert {(m["sensor"], m["device"]) for m in minutes} == {("nord", "porte1"), ("sud", "porte2")}
    assert _recorded(db_path(tmp_path)) == (6, 3)


def test_a_reader_bound_to_a_board_refuses_another(tmp_path, recorder):
    (other,) = _boards(tmp_path, ids=("porte7",))
    device = DeviceConfig(name="nord", kind="footfall", port=str(other.link), device_id="porte1")
    svc = SensorService([device], record=recorder.record, clock=ManualClock(paris(2026, 11, 25, 10)),
                        db_path=db_path(tmp_path), tz=PARIS, timing=FAST)
    try:
        svc.start()
        other.walk(3, 0)
        assert wait_for(lambda: "porte7" in svc.snapshot().devices[0].last_error)
        status = svc.snapshot().devices[0]
    finally:
        svc.stop()
        other.stop()
    assert recorder.flush()
    assert not status.connected and status.foreign > 0 and status.last_value is None
    assert "porte1" in status.last_error and events(db_path(tmp_path), "footfall.minute") == []
