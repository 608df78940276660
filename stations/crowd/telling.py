"""The crowd station for a visitor who listens or uses keys: what the room shows in words (the « Écouter »
button), the sounds of people leaving by a door, and a wall drawn with two taps instead of a drag."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import N_

from .drawing import fmt, headline

if TYPE_CHECKING:  # pragma: no cover
    from .station import CrowdStation

DOOR_SOUND_GAP_S = 0.09       # s between two door knocks at most: a crowd leaving is a rhythm, not a roar
WALL_TOOL = N_("Mur en deux touches")
WALL_FIRST = N_("Touchez où le mur commence.")
WALL_SECOND = N_("Touchez où le mur finit.")


def describe(station: "CrowdStation") -> str:
    _ = station.ctx._
    model = station.model
    title, caption = headline(station)
    parts = [_(station.title) + ".", _(title) + ".", _(caption)]
    if model.period is None:
        if station.attempt.finished_at is not None:
            parts.append(_("Tout le monde est sorti en {t} s").format(t=fmt(station.attempt.finished_at)) + ".")
        else:
            parts.append(_("Dans la salle : {n}").format(n=model.count) + ". "
                         + _("{t} s").format(t=fmt(model.time)) + ".")
        closed = sum(not e.is_open for e in model.geometry.exits)
        if closed:
            parts.append(_("Portes fermées : {n}.").format(n=closed))
    elif station.reading is not None:
        density, speed = station.reading
        if speed is not None:
            parts.append(_("Dans le cadre : {d} pers./m², {v} m/s").format(d=fmt(density), v=fmt(speed)) + ".")
    parts.append(_("vitesse voulue {v} m/s").format(v=fmt(model.desired_speed or 0.0)) + ".")
    parts.append(_("Les couleurs des personnes disent leur vitesse : à l’arrêt, rouge et cerclé de blanc ; rapide, bleu."))
    return " ".join(parts)


class DoorSounds:
    """One soft knock when people leave by a door (a pitch per door), never more often than DOOR_SOUND_GAP_S."""

    def __init__(self) -> None:
        self.count = 0
        self.quiet_s = 0.0

    def follow(self, station: "CrowdStation", dt: float) -> None:
        model, access = station.model, station.ctx.access
        left = self.count - model.count
        self.count = model.count
        self.quiet_s += dt
        if access is None or model.period is not None or left <= 0 or self.quiet_s < DOOR_SOUND_GAP_S:
            return
        self.quiet_s = 0.0
        open_doors = [k for k, e in enumerate(model.geometry.exits) if e.is_open]
        access.play(f"door{(open_doors[0] if open_doors else 0) % 4}", volume=0.7)


class TwoTapWall:
    """The wall tool: a first tap in the room marks where the wall starts, a second where it ends."""

    def __init__(self) -> None:
        self.armed = False
        self.start: tuple[float, float] | None = None

    def toggle(self) -> str:
        self.armed, self.start = not self.armed, None
        return WALL_FIRST if self.armed else ""

    def tap(self, metres: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """The wall's ends once both taps are in, else None (the first tap is kept)."""
        if self.start is None:
            self.start = metres
            return None
        wall, self.armed, self.start = (self.start, metres), False, None
        return wall
