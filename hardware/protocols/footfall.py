"""The footfall counter's line protocol (documented in hardware/README.md).

    $FC,<device>,<boot>,<seq>,<in>,<out>,<kind>*<crc>\n

device: 1-16 of [A-Za-z0-9_-]; boot: 8 upper-case hex digits drawn at power-on; seq: line number since
boot; in/out: cumulative passages since boot; kind: B (boot), E (after a passage), H (heartbeat);
crc: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the bytes between '$' and '*', 4 upper-case hex.
Totals are cumulative so a lost line loses no count; (boot, seq) make duplicates and reboots visible.
"""
from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

MAX_LINE = 96            # longest valid line is 73 bytes; anything longer is noise
MAX_COUNTER = 2**32 - 1  # the firmware's uint32_t counters
KINDS = ("B", "E", "H")

_FRAME = re.compile(
    rb"\$(FC,([A-Za-z0-9_-]{1,16}),([0-9A-F]{8}),([0-9]{1,10}),([0-9]{1,10}),([0-9]{1,10}),([BEH]))"
    rb"\*([0-9A-F]{4})\r?"
)


@dataclass(frozen=True)
class FootfallFrame:
    device: str
    boot_id: str
    seq: int
    total_in: int
    total_out: int
    kind: str  # B | E | H


@dataclass
class LineStats:
    lines: int = 0            # valid frames
    garbage_bytes: int = 0    # bytes outside any frame candidate
    bad_checksum: int = 0
    malformed: int = 0        # a '$' line that does not match the grammar (partial, bit flip in a field)
    overlong: int = 0         # more than MAX_LINE bytes without a newline

    @property
    def rejected(self) -> int:
        return self.bad_checksum + self.malformed + self.overlong


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE; binascii.crc_hqx is that polynomial, in C."""
    return binascii.crc_hqx(data, 0xFFFF)


def encode_line(device: str, boot_id: str, seq: int, total_in: int, total_out: int, kind: str = "H") -> bytes:
    body = f"FC,{device},{boot_id},{seq},{total_in},{total_out},{kind}".encode("ascii")
    return b"$" + body + b"*%04X\n" % crc16(body)


def decode_line(line: bytes, stats: LineStats | None = None) -> FootfallFrame | None:
    """One line without its newline -> frame, or None (counted in stats). Never raises."""
    stats = stats if stats is not None else LineStats()
    start = line.rfind(b"$")
    if start < 0:
        stats.garbage_bytes += len(line)
        return None
    if start > 0:
        # Bytes before the last '$': noise, or a partial line cut by a new one (counted once as malformed).
        head = line[:start]
        if b"$" in head:
            stats.malformed += 1
            stats.garbage_bytes += head.find(b"$")
        else:
            stats.garbage_bytes += len(head)
    candidate = line[start:]
    match = _FRAME.fullmatch(candidate)
    if match is None:
        stats.malformed += 1
        return None
    body, device, boot, seq, t_in, t_out, kind, crc = match.groups()
    if int(crc, 16) != crc16(body):
        stats.bad_checksum += 1
        return None
    seq_i, in_i, out_i = int(seq), int(t_in), int(t_out)
    if max(seq_i, in_i, out_i) > MAX_COUNTER:
        stats.malformed += 1
        return None
    stats.lines += 1
    return FootfallFrame(device.decode(), boot.decode(), seq_i, in_i, out_i, kind.decode())


@dataclass
class FootfallParser:
    """Streaming: feed any bytes, get the complete valid frames."""

    stats: LineStats = field(default_factory=LineStats)
    _buffer: bytearray = field(default_factory=bytearray)
    _discarding: bool = False  # inside an overlong line: drop until the next newline

    def reset(self) -> None:
        """Forget a partial frame (a new connection starts clean); the counters stay."""
        self._buffer.clear()
        self._discarding = False

    def feed(self, data: bytes) -> list[FootfallFrame]:
        frames: list[FootfallFrame] = []
        self._buffer += data
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                break
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            if self._discarding:
                self._discarding = False
                self._resync_tail(line, frames)
                continue
            if len(line) > MAX_LINE:
                self.stats.overlong += 1
                self._resync_tail(line, frames)
                continue
            frame = decode_line(line, self.stats)
            if frame is not None:
                frames.append(frame)
        if len(self._buffer) > MAX_LINE:
            # No newline in sight: keep only what follows the last '$' (a frame may be starting there).
            last = self._buffer.rfind(b"$")
            keep = self._buffer[last:] if last >= 0 and len(self._buffer) - last <= MAX_LINE else b""
            if not self._discarding:
                self.stats.overlong += 1
            self.stats.garbage_bytes += len(self._buffer) - len(keep)
            self._buffer = bytearray(keep)
            self._discarding = not keep
        return frames

    def _resync_tail(self, line: bytes, frames: list[FootfallFrame]) -> None:
        """A valid frame may follow the noise of an overlong line: try the part after the last '$'."""
        last = line.rfind(b"$")
        if last < 0 or len(line) - last > MAX_LINE:
            self.stats.garbage_bytes += len(line)
            return
        self.stats.garbage_bytes += last
        frame = decode_line(line[last:], self.stats)
        if frame is not None:
            frames.append(frame)
