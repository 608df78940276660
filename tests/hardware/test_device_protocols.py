"""Each device's protocol driven by hand, without a thread or a port: bytes and time in, readings,
events and commands out."""
from __future__ import annotations

import queue

from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.air_protocols import MHZ19Protocol, SDS011Protocol
from hardware.config import DeviceConfig
from hardware.device_protocol import Outlet
from hardware.footfall_protocol import FootfallProtocol
from hardware.protocols import mhz19, sds011
from hardware.protocols.footfall import encode_line
from hardware.readings import CONNECTED, WARMING_UP, AirReading, FootfallReading
from hardware.room import RoomOccupancy

from .conftest import FAST, PARIS, ManualClock, paris

BOOT = "1A2B3C4D"


class Wire:
    """The port as a protocol sees it: what it writes."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.sent.append(bytes(data))
        return len(data)


class Rig:
    """One protocol with a manual clock, its readings (the frame loop's queue) and its events (the log)."""

    def __init__(self, kind: str, start: float = paris(2026, 11, 25, 10, 0), **device):
        self.clock = ManualClock(start)
        self.queue: queue.Queue = queue.Queue(maxsize=100_000)
        self.events: list[tuple[str, dict]] = []
        config = DeviceConfig(name=kind, kind=kind, **device)
        outlet = Outlet(kind, self.queue, lambda k, payload, **kw: self.events.append((k, payload)))
        common = dict(outlet=outlet, clock=self.clock, tz=PARIS, timing=FAST)
        if kind == "footfall":
            self.protocol = FootfallProtocol(config, room=RoomOccupancy("06:00", PARIS), db_path=None, **common)
        else:
            self.protocol = {"sds011": SDS011Protocol, "mhz19": MHZ19Protocol}[kind](config, **common)
        self.wire = Wire()

    def readings(self, kind=object) -> list:
        out = []
        while not self.queue.empty():
            out.append(self.queue.get_nowait())
        return [r for r in out if isinstance(r, kind)]

    def logged(self, kind: str) -> list[dict]:
        return [payload for k, payload in self.events if k == kind]


def _feed(protocol, data: bytes, cuts: list[int]) -> int:
    """Feed data in reads cut at `cuts`, as a serial port hands it over; returns the valid frames."""
    frames, last = 0, 0
    for cut in sorted(c % (len(data) + 1) for c in cuts) + [len(data)]:
        frames += protocol.data_received(data[last:cut])
        last = cut
    return frames


# -- door counter ---------------------------------------------------------------------------------

def test_door_lines_become_passages_and_a_minute_with_its_state():
    rig = Rig("footfall")
    door = rig.protocol
    door.connection_made(rig.wire)
    assert door.data_received(encode_line("porte1", BOOT, 0, 0, 0, "B")) == 1
    line = encode_line("porte1", BOOT, 1, 1, 0, "E") + encode_line("porte1", BOOT, 2, 2, 0, "E")
    assert door.data_received(line[:20]) == 0 and door.data_received(line[20:]) == 2    # a line cut in two reads
    assert door.data_received(encode_line("porte1", BOOT, 3, 2, 1, "E")) == 1
    readings = rig.readings(FootfallReading)
    assert [(r.passages_in, r.passages_out, r.occupancy) for r in readings] == [(1, 0, 1), (1, 0, 2), (0, 1, 1)]
    assert door.value == {"in": 2, "out": 1, "device": "porte1", "boot_id": BOOT}
    assert rig.logged("footfall.minute") == []
    rig.clock.advance(60)
    door.tick(None, 0.0)                        # the minute rolls over, even with the port unplugged
    assert rig.logged("footfall.minute") == [{"sensor": "footfall", "minute": "2026-11-25T10:00", "in": 2,
                                              "out": 1, "device": "porte1", "boot_id": BOOT, "seq": 3,
                                              "total_in": 2, "total_out": 1}]
    assert rig.wire.sent == []                  # a door counter is only listened to


def test_a_connection_that_ends_records_its_pending_passages_at_once():
    rig = Rig("footfall")
    door = rig.protocol
    door.connection_made(rig.wire)
    door.data_received(encode_line("porte1", BOOT, 0, 0, 0, "B") + encode_line("porte1", BOOT, 1, 1, 0, "E"))
    door.connection_lost()                      # the board may turn up on another reader next
    assert [m["in"] for m in rig.logged("footfall.minute")] == [1]
    door.finish()
    assert len(rig.logged("footfall.minute")) == 1


def test_a_new_boot_with_nothing_pending_records_its_state():
    rig = Rig("footfall")
    rig.protocol.connection_made(rig.wire)
    rig.protocol.data_received(encode_line("porte1", BOOT, 0, 0, 0, "B"))
    assert rig.logged("footfall.state") == [{"sensor": "footfall", "device": "porte1", "boot_id": BOOT, "seq": 0,
                                             "total_in": 0, "total_out": 0}]


def test_another_doors_board_is_not_this_device():
    rig = Rig("footfall", device_id="porte1")
    door = rig.protocol
    door.connection_made(rig.wire)
    assert door.data_received(encode_line("porte7", BOOT, 4, 3, 0, "E")) == 0    # never confirms the port
    assert "porte7" in door.no_frame_reason() and door.counters()["foreign"] == 1
    assert rig.readings() == [] and door.value is None


walks = st.lists(st.tuples(st.sampled_from("ioh"), st.binary(max_size=40), st.booleans()), max_size=40)


@settings(max_examples=150, deadline=None)
@given(walks, st.lists(st.integers(0, 5000), max_size=8))
def test_a_day_of_lines_in_byte_soup_gives_exact_totals(steps, cuts):
    # Each step: a walker in (i) or out (o) or a heartbeat (h), line noise before the line (ended by a
    # newline, as noise on an idle line is ended by the next frame), and whether the line is lost.
    rig = Rig("footfall")
    door = rig.protocol
    door.connection_made(rig.wire)
    wire, totals = encode_line("porte1", BOOT, 0, 0, 0, "B"), [0, 0]
    for seq, (step, noise, lost) in enumerate(steps, start=1):
        totals[0] += step == "i"
        totals[1] += step == "o"
        if not lost or seq == len(steps):       # the last line always gets through
            wire += noise.replace(b"\n", b"") + b"\n" + encode_line("porte1", BOOT, seq, *totals, "E")
    rig.clock.advance(len(steps))               # the kiosk's clock moved as the lines came
    _feed(door, wire, cuts)
    door.finish()
    readings = rig.readings(FootfallReading)
    assert [sum(r.passages_in for r in readings), sum(r.passages_out for r in readings)] == totals
    minutes = rig.logged("footfall.minute")
    assert [sum(m["in"] for m in minutes), sum(m["out"] for m in minutes)] == totals
    assert door.counters()["implausible"] == 0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=8))
def test_random_bytes_never_raise_nor_count_anybody(data, cuts):
    rig = Rig("footfall")
    rig.protocol.connection_made(rig.wire)
    assert _feed(rig.protocol, data, cuts) == 0
    rig.protocol.finish()
    assert rig.readings(FootfallReading) == [] and rig.logged("footfall.minute") == []


# -- SDS011 ---------------------------------------------------------------------------------------

def test_sds011_is_set_to_its_working_period_then_samples_give_minute_medians():
    rig = Rig("sds011", working_period_min=3)
    dust = rig.protocol
    dust.connection_made(rig.wire)
    assert rig.wire.sent == [sds011.working_period_command(3)]
    reply = sds011.encode_reply(sds011.CMD_WORKING_PERIOD, b"\x01\x03")
    assert dust.data_received(reply) == 1 and rig.readings(AirReading) == []   # the reply confirms the port
    for pm25 in (12.0, 30.5, 14.0):
        assert dust.data_received(sds011.encode_data(pm25, 2 * pm25)) == 1
    assert [r.pm25 for r in rig.readings(AirReading)] == [12.0, 30.5, 14.0]
    assert dust.value == {"pm25": 14.0, "pm10": 28.0}
    rig.clock.advance(60)
    dust.tick(rig.wire, 0.0)
    assert rig.logged("sensor.air") == [{"sensor": "sds011", "minute": "2026-11-25T10:00", "pm25": 14.0,
                                         "pm10": 28.0}]
    assert dust.silence_s == 2 * 180 + 30       # one missed period is allowed before reopening


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=8))
def test_sds011_random_bytes_never_raise_nor_invent_values(data, cuts):
    rig = Rig("sds011")
    rig.protocol.connection_made(rig.wire)
    _feed(rig.protocol, data, cuts)
    rig.protocol.finish()
    for reading in rig.readings(AirReading):
        assert sds011.encode_data(reading.pm25, reading.pm10)[:6] in data     # header and values, as sent


# -- MH-Z19B ----------------------------------------------------------------------------------------

def test_mhz19_warms_up_then_polls_every_poll_s():
    rig = Rig("mhz19", warm_up_s=180, poll_s=5, self_calibration=True)
    co2 = rig.protocol
    co2.connection_made(rig.wire)
    assert rig.wire.sent == [mhz19.abc_command(True), mhz19.read_command()]
    assert co2.data_received(mhz19.encode_response(812)) == 1     # the port is confirmed...
    assert co2.live_state() == WARMING_UP and rig.readings(AirReading) == [] and co2.value is None  # ...no value
    co2.tick(rig.wire, 100.0)
    co2.tick(rig.wire, 104.9)
    assert len(rig.wire.sent) == 2
    co2.tick(rig.wire, 105.0)
    co2.tick(None, 200.0)                       # unplugged: nothing to write to
    assert rig.wire.sent[2:] == [mhz19.read_command()]
    rig.clock.advance(180)
    assert co2.live_state() == CONNECTED
    co2.data_received(mhz19.encode_response(790) + mhz19.encode_response(800))
    assert [r.co2_ppm for r in rig.readings(AirReading)] == [790, 800] and co2.value == {"co2_ppm": 800}
    co2.finish()
    assert rig.logged("sensor.air") == [{"sensor": "mhz19", "minute": "2026-11-25T10:03", "co2_ppm": 795}]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=8))
def test_mhz19_random_bytes_never_raise_nor_invent_values(data, cuts):
    rig = Rig("mhz19", warm_up_s=0)
    rig.protocol.connection_made(rig.wire)
    _feed(rig.protocol, data, cuts)
    rig.protocol.finish()
    for reading in rig.readings(AirReading):
        assert mhz19.encode_response(reading.co2_ppm)[:4] in data
