"""The kiosk's services: what works beside the frame loop, on threads of its own, and the order in which
it starts and stops (docs/architecture.md, "The runtime").

The event log comes first (every other part records through it) and closes last. `start()` brings up the
screen's power switch, the sensors, the uploader, the free-space watch and the health report, in that
order; one that fails to start is reported (logged, recorded as an `error` event) and the kiosk serves
visitors without it. `stop()` ends the parts that write or look at the world, then records `kiosk.stop`,
flushes the log, and closes its reader, the speech worker and the log itself.

Screens never see this object: the App hands on what they need (`recorder`, `reader`, `access`, the
sensor feed, `storage`) through their contexts."""
from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, Callable

from eventlog.wire import db_path
from hardware.fake import FakeRig
from hardware.service import SensorService, parse_sensor_config
from kiosk import __version__
from kiosk.access.service import Access
from kiosk.config import KioskConfig
from kiosk.display_power import PowerControl, ScreenPower
from kiosk.display_power import detect as detect_power
from kiosk.health import HealthMonitor
from kiosk.i18n import Translator
from kiosk.storage import StorageWatch, storage_status
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import Recorder
from kiosk.sync.uploader import Uploader, uploader_from_config

log = logging.getLogger(__name__)
FAKE_SENSORS = ("footfall", "sds011", "mhz19")      # what `kiosk run --fake-sensors` emulates
Report = Callable[[str, BaseException], None]       # kiosk.errors.StationErrors.report: logged and recorded


class Services:
    def __init__(self, config: KioskConfig, *, i18n: Translator, now: Callable[[], datetime],
                 headless: bool = False, reproducible: bool = False, fake_sensors: bool = False):
        """`headless`: a run without a venue (tests, screenshots, its clock virtual): no upload, no health
        report, no disk ballast. `reproducible`: the store reader answers in step with the recorder and
        speech keeps off the sound card's clock, so the same run gives the same frames."""
        self.config = config
        self.headless = headless
        self.fake_sensors = fake_sensors
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(config.data_dir, config.kiosk_id)
        self.storage = StorageWatch(config.data_dir, ballast=None if headless else self.recorder.ballast)
        self.reader = StoreReader(config.data_dir, in_step_with=self.recorder if reproducible else None)
        self.access = Access(config, now=now, i18n=i18n, cache_dir=config.data_dir / "speech", live=not reproducible)
        self.power = ScreenPower(PowerControl("none"))
        self.sensors: SensorService | None = None       # running, or None
        self.fake_rig: FakeRig | None = None
        self.uploader: Uploader | None = None
        self.health: HealthMonitor | None = None

    # -- start ------------------------------------------------------------------------------------
    def start(self, *, report: Report, is_open: Callable[[], bool], power_control: PowerControl | None = None) -> None:
        """Once the window is open. `is_open`: the opening hours, for the health report; `power_control`:
        how to switch the screen off (detected when None)."""
        self.power = ScreenPower(power_control or (PowerControl("none") if self.headless else detect_power()))
        self.recorder.record("kiosk.start", {"version": __version__})
        self.start_sensors(report)
        self._start_uploader(report)
        self.storage.start()
        self._start_health(report, is_open)

    def start_sensors(self, report: Report) -> None:
        """The venue's serial sensors (or the emulated rig of `--fake-sensors`), if it has any."""
        section = dict(self.config.sensors)
        if not section.get("devices") and not self.fake_sensors:
            return
        try:
            if self.fake_sensors:
                self.fake_rig = FakeRig.start(kinds=FAKE_SENSORS)
                section = self.fake_rig.config_section()
            self.sensors = SensorService(devices=parse_sensor_config(section), record=self.recorder.record,
                                         clock=time.time, db_path=db_path(self.config.data_dir), tz=self.config.tz)
            self.sensors.start()
        except Exception as exc:  # sensors are a bonus: the kiosk serves visitors without them
            report("sensors", exc)
            _quietly("sensors", self.sensors and self.sensors.stop)     # what of it did start
            self.sensors = None

    def _start_uploader(self, report: Report) -> None:
        if self.headless:
            return
        try:
            self.uploader = uploader_from_config(self.config)
            if self.uploader is not None:  # None: no hub configured, USB export only
                self.uploader.start()
        except Exception as exc:  # no upload today; the log keeps everything for later
            self.uploader = None
            report("uploader", exc)

    def _start_health(self, report: Report, is_open: Callable[[], bool]) -> None:
        """The kiosk.health reports of a live kiosk (a headless run's clock is virtual: none)."""
        if self.headless:
            return
        try:
            self.health = HealthMonitor(
                record=self.recorder.record, config=self.config, version=__version__, is_open=is_open,
                sensors=lambda: self.sensors.snapshot() if self.sensors is not None else None,
                storage=lambda: storage_status(self.storage, self.recorder),
                wall_clock=self.recorder.clock.state).start()
        except Exception as exc:  # a report about the kiosk, never a reason for it not to serve
            self.health = None
            report("health", exc)

    # -- while running ------------------------------------------------------------------------------
    def frame_drawn(self, seconds: float) -> None:
        """A drawn frame's working time, handed to the health report (no I/O on the frame loop)."""
        if self.health is not None:
            self.health.frames.add(seconds)

    # -- stop ---------------------------------------------------------------------------------------
    def stop(self, stop_reason: str | None) -> None:
        """Stop everything; `stop_reason` is recorded as kiosk.stop (None after a crash: nothing is, so the
        next start counts as unclean). What records or uploads stops before the log is flushed and closed;
        one part failing to stop does not keep the others, nor the log, from closing."""
        for name, stop in (("sensors", self.sensors and self.sensors.stop),
                           ("fake sensors", self.fake_rig and self.fake_rig.stop),
                           ("screen power", self.power.close),     # it leaves the screen on for the next start
                           ("storage watch", self.storage.stop),
                           ("health report", self.health and self.health.close),
                           ("uploader", self.uploader and self.uploader.close)):
            _quietly(name, stop)
        if stop_reason is not None:
            self.recorder.record("kiosk.stop", {"reason": stop_reason})
        if not self.recorder.flush():
            log.error("the event log could not be flushed before stopping")
        self.reader.close()
        self.access.close()
        self.recorder.close()      # the log's last connection: it checkpoints the WAL away


def _quietly(name: str, stop: Callable[[], Any] | None) -> None:
    if stop is None:
        return
    try:
        stop()
    except Exception:
        log.exception("stopping the %s failed", name)
