"""Rasterising a Drawing, and saving it as a PNG named by its SHA-256 in <data_dir>/attachments/."""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import struct
import threading
import zlib
from concurrent.futures import Future
from pathlib import Path
from typing import Callable, TypeVar

import numpy as np
import pygame

from kiosk.storage import room_for
from stations.wall.drawing import ERASER, Drawing

PAPER = (255, 255, 255)
T = TypeVar("T")
log = logging.getLogger(__name__)


def render_drawing(drawing: Drawing, scale: float = 1.0) -> pygame.Surface:
    surf = pygame.Surface((round(drawing.width * scale), round(drawing.height * scale)))
    surf.fill(PAPER)
    for stroke in drawing.strokes:
        color = PAPER if stroke.color == ERASER else drawing.palette[stroke.color]
        width = max(1, round(stroke.width * scale))
        pts = [(x * scale, y * scale) for x, y in stroke.points]
        if len(pts) > 1:
            pygame.draw.lines(surf, color, False, pts, width)
        for p in pts:   # round joints and caps: a finger line has no corners
            pygame.draw.circle(surf, color, p, width / 2)
    return surf


def encode_png(rgb: bytes, width: int, height: int) -> bytes:
    """8-bit RGB PNG from raw rows. The standard library's zlib releases the GIL while it compresses,
    so a worker thread encodes without stalling the frame loop (pygame's own PNG saver holds the GIL:
    a 30-80 ms freeze on screen at « Envoyer »)."""
    rows = np.frombuffer(rgb, np.uint8).reshape(height, width * 3)
    filtered = np.zeros((height, width * 3 + 1), np.uint8)     # filter byte 0 ("none") before each row
    filtered[:, 1:] = rows

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(filtered.tobytes(), 6))
            + chunk(b"IEND", b""))


def png_bytes(surface: pygame.Surface) -> bytes:
    return encode_png(pygame.image.tobytes(surface, "RGB"), *surface.get_size())


def attachment_path(data_dir: Path | str, sha256: str) -> Path:
    return Path(data_dir) / "attachments" / f"{sha256}.png"


def write_attachment(data: bytes, data_dir: Path | str) -> str:
    """Write the PNG under its SHA-256 (temporary name, fsync, rename: a half-written file never
    carries a valid name) and return the hash."""
    sha = hashlib.sha256(data).hexdigest()
    path = attachment_path(data_dir, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        if not room_for(path.parent, len(data)):   # the disk's last megabytes are the event log's
            raise OSError(errno.ENOSPC, "the disk is at its reserve: the drawing is not written", str(path))
        tmp = path.with_suffix(".png.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)              # a full disk leaves no half-written file behind
            raise
    return sha


def save_drawing(drawing: Drawing, data_dir: Path | str) -> str:
    """Render, encode and write a drawing now (tests, demo data); returns its SHA-256."""
    return write_attachment(png_bytes(render_drawing(drawing)), data_dir)


def save_drawing_then(surface: pygame.Surface, data_dir: Path | str, then: Callable[[str | None], T]) -> Future:
    """Off the frame loop: encode the drawing on screen (`surface`, PaperView's pixels, the same as
    render_drawing), write it, then call `then(sha256)` — `then(None)` if it could not be saved.
    Only the pixel copy (a millisecond or two) happens on the calling thread. Returns a Future of
    then's result."""
    rgb, size = pygame.image.tobytes(surface, "RGB"), surface.get_size()
    future: Future = Future()

    def work() -> None:
        try:
            sha = write_attachment(encode_png(rgb, *size), data_dir)
        except OSError as exc:      # a full or read-only disk, the reserve: said in a line, the visitor is told
            log.warning("drawing could not be saved in %s: %s", data_dir, exc)
            sha = None
        except Exception:
            log.exception("drawing could not be saved in %s", data_dir)
            sha = None
        try:
            future.set_result(then(sha))
        except Exception as exc:
            future.set_exception(exc)

    threading.Thread(target=work, name="drawing-writer", daemon=True).start()
    return future


class PaperView:
    """The drawing as the visitor sees it, updated incrementally: each frame draws only the points
    added since the last one (a full redraw only after undo or clear)."""

    def __init__(self, drawing: Drawing):
        self.drawing = drawing
        self.surface = pygame.Surface((drawing.width, drawing.height))
        self._revision = -1
        self._done: list[int] = []          # points already drawn, per stroke

    def sync(self) -> pygame.Surface:
        d = self.drawing
        if d.revision != self._revision or len(self._done) > len(d.strokes):
            self.surface.fill(PAPER)
            self._done = []
            self._revision = d.revision
        while len(self._done) < len(d.strokes):
            self._done.append(0)
        for i, stroke in enumerate(d.strokes):
            start = self._done[i]
            if start >= len(stroke.points):
                continue
            color = PAPER if stroke.color == ERASER else d.palette[stroke.color]
            pts = stroke.points[max(0, start - 1):]
            if len(pts) > 1:
                pygame.draw.lines(self.surface, color, False, pts, stroke.width)
            for p in stroke.points[start:]:
                pygame.draw.circle(self.surface, color, p, stroke.width / 2)
            self._done[i] = len(stroke.points)
        return self.surface
