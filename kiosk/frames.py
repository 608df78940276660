"""Drawing only what changes (docs/architecture.md, "The frame loop").

A screen (station, runtime screen, mediator page) tells the frame loop two things through `Redraws`:
- `frame_rate()`: how many frames a second its picture needs right now: 60 while something moves
  smoothly (the default, so a screen that says nothing is drawn as before), fewer for a slow
  animation, 0 when the picture changes only on input;
- `invalidate()`: the picture changed for a reason the runtime cannot see (a query answered, a file
  loaded, a timer of its own): draw it at the next frame.
The runtime itself redraws after every input event or sensor reading it hands to the screen, after a
screen switch, and whenever the chrome drawn over the screen changes. `FramePacer` turns all that
into "draw this frame or not" and "how long the loop may sleep"."""
from __future__ import annotations

import math
from typing import Any

FULL_RATE = 60.0


class Redraws:
    """Mixin of Station and Screen: the two calls above. Override `frame_rate`; call `invalidate`."""

    _invalidated = True        # a new screen is drawn once whatever its rate

    def frame_rate(self) -> float:
        return FULL_RATE

    def invalidate(self) -> None:
        self._invalidated = True

    def take_invalidated(self) -> bool:
        """True once after invalidate() (the runtime asks once a frame)."""
        was, self._invalidated = self._invalidated, False
        return was


def frame_rate_of(screen: Any) -> float:
    """A screen's frame rate; one without the contract is drawn at the full rate, as before."""
    fn = getattr(screen, "frame_rate", None)
    return FULL_RATE if fn is None else max(0.0, min(FULL_RATE, float(fn())))


def invalidated(screen: Any) -> bool:
    fn = getattr(screen, "take_invalidated", None)
    return True if fn is None else bool(fn())


class FramePacer:
    """Decides, frame by frame, whether to draw.

    Animation frames fall on the clock's multiples of 1/rate (a 30 fps screen draws at t = 0, 1/30,
    2/30 … s), so a headless run on the virtual clock draws the same frames every time and a
    screenshot at a whole second shows what a full redraw would show. `full_redraw` draws every frame
    (the runtime's behaviour before this contract; a diagnostic, and the benchmark's baseline)."""

    def __init__(self, *, full_redraw: bool = False):
        self.full_redraw = full_redraw
        self._marked = True
        self._last_slot: dict[float, int] = {}

    def mark(self) -> None:
        """Something the runtime saw changed the picture: draw at this frame."""
        self._marked = True

    def _slot(self, now: float, rate: float) -> int:
        return math.floor(now * rate + 1e-6)

    def due(self, now: float, rate: float) -> bool:
        """Draw at this frame? (Consumes the mark.) `rate` is the frames a second needed now."""
        marked, self._marked = self._marked, False
        if self.full_redraw or rate >= FULL_RATE:
            return True
        if rate > 0:
            slot = self._slot(now, rate)
            last = self._last_slot.get(rate)
            self._last_slot = {rate: slot}
            if last is None or slot != last:
                return True
        return marked

    def seconds_to_next(self, now: float, rate: float) -> float:
        """How long the loop may wait before the next animation frame is due (inf: only input or a mark)."""
        if self.full_redraw or rate >= FULL_RATE or self._marked:
            return 0.0
        if rate <= 0:
            return math.inf
        return max(0.0, (self._slot(now, rate) + 1) / rate - now)
