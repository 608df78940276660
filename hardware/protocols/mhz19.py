"""Winsen MH-Z19B (CO2), 9600 8N1 (datasheet v1.0).

Read: send FF 01 86 00 00 00 00 00 79, answer FF 86 HH LL b4 b5 b6 b7 CS with ppm = HH * 256 + LL and
CS = (0xFF - (sum(bytes 1..7) & 0xFF) + 1) & 0xFF. Automatic baseline correction (ABC): command 0x79
with byte 3 = 0xA0 (on) or 0x00 (off). The sensor needs 3 minutes of warm-up after power-on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hardware.protocols.framing import RESYNC, cut_frames

START, SENSOR_NUMBER = 0xFF, 0x01
CMD_READ, CMD_ABC = 0x86, 0x79
FRAME_LEN = 9
MAX_PPM = 10000   # the widest range variant; anything above is a corrupted frame
WARM_UP_S = 180.0


def checksum(frame: bytes) -> int:
    return (0xFF - (sum(frame[1:8]) & 0xFF) + 1) & 0xFF


def command(cmd: int, data: bytes = b"") -> bytes:
    frame = bytes([START, SENSOR_NUMBER, cmd]) + data.ljust(5, b"\x00")[:5]
    return frame + bytes([checksum(frame + b"\x00")])


def read_command() -> bytes:
    return command(CMD_READ)  # FF 01 86 00 00 00 00 00 79


def abc_command(enabled: bool) -> bytes:
    return command(CMD_ABC, bytes([0xA0 if enabled else 0x00]))


def encode_response(ppm: int, temperature_c: int = 22) -> bytes:
    frame = bytes([START, CMD_READ, ppm >> 8 & 0xFF, ppm & 0xFF, (temperature_c + 40) & 0xFF, 0, 0, 0])
    return frame + bytes([checksum(frame + b"\x00")])


def parse_command(frame: bytes) -> int | None:
    """The fake device's side: a valid 9-byte command -> its command id, else None."""
    if len(frame) != FRAME_LEN or frame[0] != START or frame[1] != SENSOR_NUMBER:
        return None
    return frame[2] if checksum(frame) == frame[8] else None


@dataclass(frozen=True)
class CO2Frame:
    ppm: int


@dataclass
class FrameStats:
    frames: int = 0
    garbage_bytes: int = 0
    bad_checksum: int = 0
    out_of_range: int = 0
    other: int = 0   # valid frames answering another command (ABC acknowledgements)

    @property
    def rejected(self) -> int:
        return self.bad_checksum + self.out_of_range


@dataclass
class MHZ19Parser:
    """Streaming parser of responses; resynchronises on the next FF after any bad frame."""

    stats: FrameStats = field(default_factory=FrameStats)
    _buffer: bytearray = field(default_factory=bytearray)

    def reset(self) -> None:
        """Forget a partial frame (a new connection starts clean); the counters stay."""
        self._buffer.clear()

    def feed(self, data: bytes) -> list[CO2Frame]:
        self._buffer += data
        return cut_frames(self._buffer, START, FRAME_LEN, self.stats, self._decode)

    def _decode(self, frame: bytes) -> CO2Frame | None | object:
        if checksum(frame) != frame[8]:
            self.stats.bad_checksum += 1
            return RESYNC
        if frame[1] != CMD_READ:
            self.stats.other += 1
            return None
        ppm = frame[2] * 256 + frame[3]
        if ppm > MAX_PPM:
            self.stats.out_of_range += 1
            return None
        self.stats.frames += 1
        return CO2Frame(ppm)
