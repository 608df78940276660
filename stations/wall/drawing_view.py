"""Rasterising a Drawing, and saving it as a PNG named by its SHA-256 in <data_dir>/attachments/."""
from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path

import pygame

from stations.wall.drawing import ERASER, Drawing

PAPER = (255, 255, 255)


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


def png_bytes(surface: pygame.Surface) -> bytes:
    buf = io.BytesIO()
    pygame.image.save(surface, buf, "drawing.png")
    return buf.getvalue()


def attachment_path(data_dir: Path | str, sha256: str) -> Path:
    return Path(data_dir) / "attachments" / f"{sha256}.png"


def save_drawing(drawing: Drawing, data_dir: Path | str, *, background: bool = True,
                 rendered: pygame.Surface | None = None) -> tuple[str, threading.Thread | None]:
    """Encode the PNG now, write it off the frame loop; return (sha256, writer thread).

    `rendered` is the drawing already on screen (PaperView: the same pixels as render_drawing), which
    spares a full re-render at « Envoyer ». The file is written to a temporary name then renamed, so
    a half-written PNG never carries a valid name; the event referencing it can be recorded at once."""
    data = png_bytes(rendered if rendered is not None else render_drawing(drawing))
    sha = hashlib.sha256(data).hexdigest()
    path = attachment_path(data_dir, sha)

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            return
        tmp = path.with_suffix(".png.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    if not background:
        write()
        return sha, None
    thread = threading.Thread(target=write, name="drawing-writer", daemon=True)
    thread.start()
    return sha, thread


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
