"""Nova Fitness SDS011 (PM2.5 / PM10), 9600 8N1 (laser dust sensor datasheet v1.3 and control protocol).

Data frame (10 bytes): AA C0 p25L p25H p10L p10H id1 id2 CS AB, CS = sum(bytes 2..7) & 0xFF,
value = (high * 256 + low) / 10 in µg/m³. Replies to commands: AA C5 cmd d.. id1 id2 CS AB.
Commands (19 bytes): AA B4 cmd d2..d13 idL idH CS AB with CS = sum(bytes 2..16) & 0xFF.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hardware.protocols.framing import RESYNC, cut_frames

HEAD, TAIL = 0xAA, 0xAB
DATA, REPLY, COMMAND = 0xC0, 0xC5, 0xB4
FRAME_LEN, COMMAND_LEN = 10, 19
MAX_UG_M3 = 999.9  # the datasheet's measuring range

# Command ids (byte 2 of a command)
CMD_QUERY, CMD_WORKING_PERIOD = 0x04, 0x08


@dataclass(frozen=True)
class DustFrame:
    pm25: float
    pm10: float
    device_id: int


@dataclass(frozen=True)
class DustReply:
    command: int
    data: bytes  # the 3 data bytes after the command id
    device_id: int


@dataclass
class FrameStats:
    frames: int = 0
    replies: int = 0
    garbage_bytes: int = 0
    bad_checksum: int = 0
    bad_tail: int = 0
    out_of_range: int = 0

    @property
    def rejected(self) -> int:
        return self.bad_checksum + self.bad_tail + self.out_of_range


def command(cmd: int, data: bytes = b"", device_id: int = 0xFFFF) -> bytes:
    """A 19-byte command; device_id 0xFFFF addresses every sensor on the line."""
    body = bytes([cmd]) + data.ljust(12, b"\x00")[:12] + bytes([device_id & 0xFF, device_id >> 8])
    return bytes([HEAD, COMMAND]) + body + bytes([sum(body) & 0xFF, TAIL])


def query_command() -> bytes:
    return command(CMD_QUERY)


def working_period_command(minutes: int) -> bytes:
    """Set (1) a working period: sleep, wake 30 s before the end, report one frame. 0 = continuous."""
    return command(CMD_WORKING_PERIOD, bytes([1, minutes]))


def encode_data(pm25: float, pm10: float, device_id: int = 0xA1B2) -> bytes:
    p25, p10 = round(pm25 * 10), round(pm10 * 10)
    body = bytes([p25 & 0xFF, p25 >> 8, p10 & 0xFF, p10 >> 8, device_id >> 8, device_id & 0xFF])
    return bytes([HEAD, DATA]) + body + bytes([sum(body) & 0xFF, TAIL])


def encode_reply(cmd: int, data: bytes, device_id: int = 0xA1B2) -> bytes:
    body = bytes([cmd]) + data.ljust(3, b"\x00")[:3] + bytes([device_id >> 8, device_id & 0xFF])
    return bytes([HEAD, REPLY]) + body + bytes([sum(body) & 0xFF, TAIL])


def parse_command(frame: bytes) -> tuple[int, bytes] | None:
    """The fake device's side: a valid 19-byte command -> (cmd, 12 data bytes), else None."""
    if len(frame) != COMMAND_LEN or frame[0] != HEAD or frame[1] != COMMAND or frame[-1] != TAIL:
        return None
    if sum(frame[2:17]) & 0xFF != frame[17]:
        return None
    return frame[2], bytes(frame[3:15])


@dataclass
class SDS011Parser:
    """Streaming parser: resynchronises on the next AA after any bad frame."""

    stats: FrameStats = field(default_factory=FrameStats)
    _buffer: bytearray = field(default_factory=bytearray)

    def reset(self) -> None:
        """Forget a partial frame (a new connection starts clean); the counters stay."""
        self._buffer.clear()

    def feed(self, data: bytes) -> list[DustFrame | DustReply]:
        self._buffer += data
        return cut_frames(self._buffer, HEAD, FRAME_LEN, self.stats, self._decode)

    def _decode(self, frame: bytes) -> DustFrame | DustReply | object:
        if frame[1] not in (DATA, REPLY):  # an AA that is not a frame's start
            self.stats.garbage_bytes += 1
            return RESYNC
        if frame[9] != TAIL:
            self.stats.bad_tail += 1
            return RESYNC
        if sum(frame[2:8]) & 0xFF != frame[8]:
            self.stats.bad_checksum += 1
            return RESYNC
        device_id = frame[6] << 8 | frame[7]
        if frame[1] == REPLY:
            self.stats.replies += 1
            return DustReply(frame[2], bytes(frame[3:6]), device_id)
        pm25 = (frame[3] * 256 + frame[2]) / 10
        pm10 = (frame[5] * 256 + frame[4]) / 10
        if pm25 > MAX_UG_M3 or pm10 > MAX_UG_M3:
            self.stats.out_of_range += 1
            return RESYNC
        self.stats.frames += 1
        return DustFrame(pm25, pm10, device_id)
