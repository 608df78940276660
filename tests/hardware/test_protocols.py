"""Datasheet frames decode right; parsers never raise and never emit a value that was not on the wire."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.protocols import footfall, mhz19, sds011

# -- datasheet examples ---------------------------------------------------------------------------


def test_sds011_datasheet_commands():
    assert sds011.query_command().hex(" ") == "aa b4 04 00 00 00 00 00 00 00 00 00 00 00 00 ff ff 02 ab"
    assert sds011.working_period_command(3).hex(" ") == "aa b4 08 01 03 00 00 00 00 00 00 00 00 00 00 ff ff 0a ab"


def test_sds011_datasheet_data_frame():
    # Datasheet example: AA C0 D4 04 3A 0A A1 60 1D AB -> PM2.5 = 0x04D4/10 = 123.6, PM10 = 0x0A3A/10 = 261.8
    frames = sds011.SDS011Parser().feed(bytes.fromhex("AAC0D4043A0AA1601DAB"))
    assert frames == [sds011.DustFrame(pm25=123.6, pm10=261.8, device_id=0xA160)]


def test_sds011_reply_and_commands_roundtrip():
    parser = sds011.SDS011Parser()
    assert parser.feed(sds011.encode_reply(sds011.CMD_WORKING_PERIOD, b"\x01\x03")) == [
        sds011.DustReply(sds011.CMD_WORKING_PERIOD, b"\x01\x03\x00", 0xA1B2)]
    assert sds011.parse_command(sds011.working_period_command(3))[0] == sds011.CMD_WORKING_PERIOD
    assert sds011.parse_command(sds011.query_command()[:-1] + b"\x00") is None


def test_mhz19_datasheet_frames():
    assert mhz19.read_command().hex(" ") == "ff 01 86 00 00 00 00 00 79"
    assert mhz19.abc_command(False).hex(" ") == "ff 01 79 00 00 00 00 00 86"
    assert mhz19.abc_command(True).hex(" ") == "ff 01 79 a0 00 00 00 00 e6"
    # FF 86 02 60 47 00 00 00 D1 -> 0x0260 = 608 ppm (checksum example of the datasheet)
    assert mhz19.MHZ19Parser().feed(bytes.fromhex("FF8602604700000 0D1".replace(" ", ""))) == [mhz19.CO2Frame(608)]


def test_mhz19_bad_checksum_then_resync():
    parser = mhz19.MHZ19Parser()
    good = mhz19.encode_response(812)
    bad = bytearray(good)
    bad[3] ^= 0x10
    assert parser.feed(bytes(bad) + b"\x00\xff" + good) == [mhz19.CO2Frame(812)]
    assert parser.stats.bad_checksum >= 1


def test_footfall_line_roundtrip_and_crc():
    assert footfall.crc16(b"123456789") == 0x29B1  # CRC-16/CCITT-FALSE check value
    line = footfall.encode_line("porte", "1A2B3C4D", 12, 340, 298, "E")
    assert line == b"$FC,porte,1A2B3C4D,12,340,298,E*7F36\n"
    assert footfall.FootfallParser().feed(line) == [footfall.FootfallFrame("porte", "1A2B3C4D", 12, 340, 298, "E")]


def test_footfall_faults_are_counted():
    good = footfall.encode_line("porte", "0000BEEF", 5, 3, 1)
    flipped = bytearray(footfall.encode_line("porte", "0000BEEF", 6, 4, 1))
    flipped[20] ^= 0x01
    partial = good[:15]
    parser = footfall.FootfallParser()
    frames = parser.feed(b"\x00\xffjunk\n" + bytes(flipped) + partial + good + b"x" * 300 + b"\n" + good)
    assert [f.seq for f in frames] == [5, 5]
    stats = parser.stats
    assert stats.garbage_bytes > 300 and stats.overlong == 1 and stats.rejected >= 2


# -- properties -----------------------------------------------------------------------------------

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=16)
counters = st.integers(0, 2**32 - 1)
footfall_frames = st.builds(
    footfall.FootfallFrame, ids, st.text(alphabet="0123456789ABCDEF", min_size=8, max_size=8),
    counters, counters, counters, st.sampled_from(footfall.KINDS))


def _encode(frame: footfall.FootfallFrame) -> bytes:
    return footfall.encode_line(frame.device, frame.boot_id, frame.seq, frame.total_in, frame.total_out, frame.kind)


def _feed_in_chunks(parser, data: bytes, cuts: list[int]) -> list:
    out, last = [], 0
    for cut in sorted(c % (len(data) + 1) for c in cuts) + [len(data)]:
        out += parser.feed(data[last:cut])
        last = cut
    return out


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=8))
def test_parsers_never_raise_nor_invent_values_on_random_bytes(data, cuts):
    for parser, encode in (
        (footfall.FootfallParser(), lambda f: _encode(f)[:-1]),
        (sds011.SDS011Parser(), lambda f: sds011.encode_data(f.pm25, f.pm10, f.device_id)
            if isinstance(f, sds011.DustFrame) else None),
        (mhz19.MHZ19Parser(), lambda f: mhz19.encode_response(f.ppm)[:4]),
    ):
        for frame in _feed_in_chunks(parser, data, cuts):
            wire = encode(frame)
            if wire is not None:  # whatever is emitted was encoded, checksum and all, in the input
                assert wire in data


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(footfall_frames, st.binary(max_size=40)), max_size=12),
       st.lists(st.integers(0, 5000), max_size=6))
def test_footfall_recovers_every_frame_between_noise_lines(items, cuts):
    # Noise is terminated by a newline (line noise on an idle UART ends with the next frame's line).
    stream = b"".join(noise.replace(b"\n", b"") + b"\n" + _encode(frame) for frame, noise in items)
    assert _feed_in_chunks(footfall.FootfallParser(), stream, cuts) == [frame for frame, _ in items]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9999), st.integers(0, 9999), st.binary(max_size=30)), max_size=12),
       st.lists(st.integers(0, 2000), max_size=6))
def test_sds011_recovers_every_frame_between_noise(items, cuts):
    stream = b"".join(noise.replace(b"\xaa", b"") + sds011.encode_data(a / 10, b / 10) for a, b, noise in items)
    frames = _feed_in_chunks(sds011.SDS011Parser(), stream, cuts)
    assert [(f.pm25, f.pm10) for f in frames] == [(a / 10, b / 10) for a, b, _ in items]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5000), st.binary(max_size=30)), max_size=12),
       st.lists(st.integers(0, 2000), max_size=6))
def test_mhz19_recovers_every_frame_between_noise(items, cuts):
    stream = b"".join(noise.replace(b"\xff", b"") + mhz19.encode_response(ppm) for ppm, noise in items)
    assert [f.ppm for f in _feed_in_chunks(mhz19.MHZ19Parser(), stream, cuts)] == [ppm for ppm, _ in items]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=10), st.data())
def test_bit_flips_never_yield_a_wrong_co2_or_dust_value(values, data):
    wire = b"".join(mhz19.encode_response(v) for v in values)
    flips = data.draw(st.lists(st.integers(0, len(wire) * 8 - 1), max_size=3))
    damaged = bytearray(wire)
    for bit in flips:
        damaged[bit // 8] ^= 1 << (bit % 8)
    got = [f.ppm for f in mhz19.MHZ19Parser().feed(bytes(damaged))]
    # Each emitted value is one that was sent (a checksum can be fooled only by a frame that is valid).
    for ppm in got:
        assert mhz19.encode_response(ppm)[:4] in bytes(damaged)
    dust = b"".join(sds011.encode_data(v / 10, v / 10) for v in values)
    damaged = bytearray(dust)
    for bit in flips:
        damaged[bit % len(dust)] ^= 1 << (bit % 8)
    for frame in sds011.SDS011Parser().feed(bytes(damaged)):
        assert sds011.encode_data(frame.pm25, frame.pm10, frame.device_id) in bytes(damaged)
