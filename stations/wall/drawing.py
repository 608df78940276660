"""A finger drawing as data: strokes of points with a colour (or the eraser) and a width. No pygame.

Keeping strokes rather than pixels makes undo exact and cheap; the view rasterises them."""
from __future__ import annotations

from dataclasses import dataclass, field

ERASER = -1
MIN_STEP_PX = 3.0        # finger jitter below this is not a new point
MAX_POINTS = 20000       # a drawing stays small whatever a visitor does


@dataclass
class Stroke:
    color: int                       # index in the palette, or ERASER
    width: int
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Drawing:
    width: int = 1200
    height: int = 720
    palette: tuple[tuple[int, int, int], ...] = ((20, 20, 30), (220, 50, 50), (40, 110, 220), (30, 150, 70),
                                                 (245, 170, 0))
    pen_width: int = 10
    eraser_width: int = 48
    strokes: list[Stroke] = field(default_factory=list)
    tool: int = 0                    # palette index or ERASER
    revision: int = 0                # bumped when strokes are removed (undo, clear): views redraw all
    _active: Stroke | None = None

    @property
    def is_empty(self) -> bool:
        """True when nothing visible is drawn (strokes of only the eraser draw nothing)."""
        return not any(s.color != ERASER and s.points for s in self.strokes)

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.strokes)

    def begin(self, x: float, y: float) -> None:
        if self.point_count >= MAX_POINTS:
            return
        width = self.eraser_width if self.tool == ERASER else self.pen_width
        self._active = Stroke(self.tool, width, [self._clamp(x, y)])
        self.strokes.append(self._active)

    def extend(self, x: float, y: float) -> None:
        if self._active is None or self.point_count >= MAX_POINTS:
            return
        px, py = self._active.points[-1]
        x, y = self._clamp(x, y)
        if (x - px) ** 2 + (y - py) ** 2 >= MIN_STEP_PX ** 2:
            self._active.points.append((x, y))

    def end(self) -> None:
        self._active = None

    def undo(self) -> bool:
        self._active = None
        if not self.strokes:
            return False
        self.strokes.pop()
        self.revision += 1
        return True

    def clear(self) -> None:
        self._active = None
        self.strokes.clear()
        self.revision += 1

    def _clamp(self, x: float, y: float) -> tuple[float, float]:
        return (min(max(x, 0.0), self.width - 1.0), min(max(y, 0.0), self.height - 1.0))
