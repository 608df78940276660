"""The contract between the runtime and every station (docs/architecture.md, "The station contract").

A station is a model (plain Python + numpy, testable alone) and a view (pygame); this class is the
glue the runtime drives. The runtime never imports a particular station: it finds them through the
entry-point group ``qsec_kiosk.stations`` (see registry.py).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Mapping, Protocol

import numpy as np

from kiosk.frames import Redraws

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.assets import Assets
    from kiosk.config import KioskConfig
    from kiosk.problems import ConfigProblem
    from kiosk.i18n import Translator
    from kiosk.input import InputEvent
    from kiosk.session import VisitRecorder
    from kiosk.store.recorder import Recorder
    from kiosk.store.reader import StoreReader


class AttractPreview(Protocol):
    """A small live animation of a station for the attract loop."""

    def update(self, dt: float) -> None: ...
    def draw(self, surface, rect) -> None: ...


class SensorFeed(Protocol):
    """The serial sensors' service as stations and pages see it: the latest state of every device."""

    def snapshot(self) -> Any: ...


def _system_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class StationContext:
    """Everything a station may use. The recorder is the only way a station writes data."""

    station_id: str
    config: Mapping[str, Any]            # the station's [stations.<id>] section, defaults filled in
    kiosk: "KioskConfig"                 # the whole validated config (read-only)
    assets: "Assets"                     # fonts, icons, images through cached loaders
    i18n: "Translator"                   # ctx.i18n.gettext("…") / ctx.i18n.lang, switched live
    # recorder.record(kind, payload, station=...): a station's events carry the visitor's session
    recorder: "Recorder | VisitRecorder"
    reader: "StoreReader"                # queries over the event log, run off the frame loop
    rng: np.random.Generator
    canvas_size: tuple[int, int]         # logical canvas: (1920, 1080) or (1080, 1920)
    data_dir: Path
    now: Callable[[], datetime] = _system_now     # the wall clock, aware (the runtime's: tests may fix the day)
    clock: Callable[[], float] = time.monotonic   # seconds of the frame loop (virtual in headless runs)
    sensors: SensorFeed | None = None             # the sensor service while sensors run, else None
    # A reproducible run (headless runs): the same command must give the same frames, so work a live kiosk
    # does in the background or cuts short to keep 60 frames a second is done in full, in the frame.
    reproducible: bool = False
    groups: Any = None                            # the school-group manager (mediator pages only)
    # kiosk.access.service.Access: play(name), announce(text) (spoken if the visitor listens),
    # reduced_motion, reach (where controls belong). None in tests that build a bare context.
    access: Any = None

    def _(self, text: str) -> str:
        return self.i18n.gettext(text)


class Station(Redraws):
    """Base class. Subclasses set ``id`` and override what they need.

    Redrawing (kiosk/frames.py): `frame_rate()` says how many frames a second the picture needs now
    (default 60; 0 when it changes only on input), `invalidate()` asks for a frame after a change the
    runtime cannot see. Input events and sensor readings handed to the station always redraw."""

    id: ClassVar[str] = ""
    # Title and teaser are French source strings, translated through ctx.i18n at draw time.
    title: ClassVar[str] = ""
    teaser: ClassVar[str] = ""
    icon: ClassVar[str] = "question-mark"          # a file name in media/icons without .svg
    # Keys of this station's config section with their defaults; their types are checked by
    # `kiosk check-config`. `idle_timeout_s` is common to every station and added by the runtime.
    config_defaults: ClassVar[dict[str, Any]] = {}
    # The allowed (lowest, highest) of each number among them: `kiosk check-config` refuses a value
    # outside with one line naming the file, the key and the range. Every number needs one.
    config_ranges: ClassVar[dict[str, tuple[float, float]]] = {}
    # Pages this station adds to mediator mode: key -> (French title, "module:Class"). The class is
    # built as Class(ctx) and follows the same handle_event/update/draw/reset contract.
    mediator_pages: ClassVar[dict[str, tuple[str, str]]] = {}
    # Sensor kinds (any one of them) without which the station has nothing to show: the home menu hides
    # it while no such sensor runs, and check-config warns.
    needs_sensors: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ctx: StationContext):
        self.ctx = ctx

    # -- lifecycle ---------------------------------------------------------------------------
    def enter(self) -> None:
        """Becomes visible: start timers and sensors."""

    def exit(self) -> None:
        """Stops being visible: flush, stop."""

    def reset(self) -> None:
        """Back to the state a new visitor must see."""

    # -- frame -------------------------------------------------------------------------------
    def handle_event(self, ev: "InputEvent") -> bool:
        """True when the event was consumed."""
        return False

    def update(self, dt: float) -> None:
        """Advance the model; dt is already capped by the runtime."""

    def draw(self, surface) -> None:
        """Draw on the logical canvas surface."""

    def describe(self) -> str:
        """What the screen shows now, in the visitor's language, for the « Écouter » button: the scene, what
        is happening, what one can do. The same sentences through gettext as everything else."""
        return self.ctx._(self.teaser) if self.teaser else ""

    def busy(self) -> bool:
        """True while the station runs something a visitor may be watching without touching (a crowd
        leaving a room): no "Encore là ?" meanwhile, the idle time counts from when it ends."""
        return False

    def home_card(self) -> Callable[[Any, Any], None] | None:
        """Optional: a callable(surface, rect) drawing a small live card on the home menu
        (the air station's "Air de la salle"). Called every frame while the menu shows."""
        return None

    def attract_preview(self) -> AttractPreview | None:
        """Optional: a live miniature for the attract loop (the crowd leaving a room, the ring road's
        wave). Asked for once; updated and drawn only while its slide shows, so keep it to about a
        millisecond a frame and independent of what the last visitor left on the station."""
        return None

    # -- content validation ------------------------------------------------------------------
    @classmethod
    def check_content(cls, section: Mapping[str, Any], key_path: str) -> list["ConfigProblem"]:
        """Validate the content files this station reads (called by `kiosk check-config`).

        Return one ConfigProblem per problem; never raise.
        """
        return []


class ChallengeSource:
    """What guided group activities need from a simulation station.

    A station that can host challenges also inherits from this mixin.
    """

    metrics: ClassVar[dict[str, str]] = {}  # metric name -> French description with unit

    def start_preset(self, scenario: str, settings: Mapping[str, Any] | None = None) -> None:
        raise NotImplementedError

    def read_metric(self, name: str) -> float | None:
        raise NotImplementedError

    def attempt_finished(self) -> bool:
        raise NotImplementedError

