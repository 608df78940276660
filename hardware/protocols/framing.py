"""Fixed-length binary frames on a serial line: find the header, cut a frame, resynchronise.

Both air sensors (SDS011, MH-Z19B) send frames of a fixed length that begin with a known byte.
After any bad frame the search restarts one byte further on, because the true start of the next
frame may sit inside the rejected one.
"""
from __future__ import annotations

from typing import Any, Callable

RESYNC = object()  # returned by a decoder: drop one byte and look for the next header


def cut_frames(buf: bytearray, header: int, frame_len: int, stats: Any,
               decode: Callable[[bytes], Any]) -> list[Any]:
    """Consume whole frames from `buf` in place; leave a partial frame for the next read.

    decode(frame) returns an item, None for a valid frame that carries nothing to report, or RESYNC.
    Bytes before a header are counted in stats.garbage_bytes.
    """
    out: list[Any] = []
    while True:
        start = buf.find(header)
        if start < 0:
            stats.garbage_bytes += len(buf)
            buf.clear()
            return out
        if start:
            stats.garbage_bytes += start
            del buf[:start]
        if len(buf) < frame_len:
            return out
        item = decode(bytes(buf[:frame_len]))
        if item is RESYNC:
            del buf[:1]
            continue
        del buf[:frame_len]
        if item is not None:
            out.append(item)
