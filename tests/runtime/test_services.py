"""The kiosk's services: started and stopped in one order (what records or uploads stops before the log
is flushed and closed), and a service that fails to start or to stop is reported while the kiosk goes on."""
from __future__ import annotations

import logging

import pytest

import kiosk.services as services_module
from kiosk.access.service import Access
from kiosk.errors import StationErrors
from kiosk.i18n import Translator
from kiosk.services import Services
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import Recorder
from tests.runtime.test_app import events, run_app, tap


class Part:
    """A stand-in for one threaded service: writes each call into the diary."""

    def __init__(self, name: str, diary: list[str], *, fails: str = ""):
        self.name, self.diary, self.fails = name, diary, fails

    def _note(self, call: str) -> "Part":
        self.diary.append(f"{self.name} {call}")
        if call == self.fails:
            raise OSError(f"{self.name} cannot {call}")
        return self

    def start(self) -> "Part":
        return self._note("start")

    def stop(self) -> None:
        self._note("stop")

    def close(self) -> None:
        self._note("close")


@pytest.fixture
def diary(monkeypatch) -> list[str]:
    """Every service replaced by a Part (the log, its reader and speech are the real ones, watched)."""
    notes: list[str] = []

    class Rig(Part):
        @classmethod
        def start(cls, kinds):
            return Part.start(cls("fake sensors", notes))

        def config_section(self):
            return {"devices": []}

    def watch(method, name):
        real = getattr(method[0], method[1])

        def watched(self, *args, **kw):
            notes.append(name(*args) if callable(name) else name)
            return real(self, *args, **kw)
        monkeypatch.setattr(method[0], method[1], watched)

    monkeypatch.setattr(services_module, "FakeRig", Rig)
    monkeypatch.setattr(services_module, "SensorService", lambda **kw: Part("sensors", notes))
    monkeypatch.setattr(services_module, "uploader_from_config", lambda config: Part("uploader", notes))
    monkeypatch.setattr(services_module, "StorageWatch", lambda data_dir, ballast: Part("storage", notes))
    monkeypatch.setattr(services_module, "HealthMonitor", lambda **kw: Part("health", notes))
    monkeypatch.setattr(services_module, "detect_power", lambda: None)
    monkeypatch.setattr(services_module, "ScreenPower", lambda control: Part("screen power", notes)._note("on"))
    watch((Recorder, "record"), lambda kind, *_: f"record {kind}")
    watch((Recorder, "flush"), "log flush")
    watch((Recorder, "close"), "log close")
    watch((StoreReader, "close"), "reader close")
    watch((Access, "close"), "speech close")
    return notes


def live_services(config, **kw) -> Services:
    i18n = Translator(list(config.languages), default=config.languages[0])
    return Services(config, i18n=i18n, now=lambda: None, **{"fake_sensors": True, **kw})


def test_services_start_and_stop_in_order_and_the_log_closes_last(config, diary):
    services = live_services(config)
    errors = StationErrors(services.recorder.record, clock=lambda: 0.0)
    diary.clear()     # (the screen's power is switched at start, once the window is open)
    services.start(report=errors.report, is_open=lambda: True)
    assert diary == ["screen power on", "record kiosk.start", "fake sensors start", "sensors start", "uploader start",
                     "storage start", "health start"]
    diary.clear()
    services.stop("SIGTERM")
    assert diary == ["sensors stop", "fake sensors stop", "screen power close", "storage stop", "health close",
                     "uploader close", "record kiosk.stop", "log flush", "reader close", "speech close", "log close"]
    kinds = [(kind, payload) for kind, _s, payload, _sid in events(config)]
    assert kinds == [("kiosk.start", kinds[0][1]), ("kiosk.stop", {"reason": "SIGTERM"})] and errors.count == 0


def test_after_a_crash_no_stop_is_recorded_but_the_log_is_flushed_and_closed(config, diary):
    services = live_services(config)
    services.start(report=StationErrors(services.recorder.record, clock=lambda: 0.0).report, is_open=lambda: True)
    diary.clear()
    services.stop(None)
    assert "record kiosk.stop" not in diary and diary[-4:] == ["log flush", "reader close", "speech close", "log close"]
    assert [kind for kind, *_ in events(config)] == ["kiosk.start"]


def test_an_uploader_that_fails_to_start_is_reported_and_the_others_run(config, diary, monkeypatch, caplog):
    monkeypatch.setattr(services_module, "uploader_from_config",
                        lambda config: Part("uploader", diary, fails="start"))
    services = live_services(config)
    errors = StationErrors(services.recorder.record, clock=lambda: 0.0)
    with caplog.at_level(logging.ERROR, logger="kiosk.errors"):
        services.start(report=errors.report, is_open=lambda: True)
    assert services.uploader is None and services.health is not None and services.sensors is not None
    assert diary[-4:] == ["uploader start", "record error", "storage start", "health start"]
    assert "uploader cannot start" in caplog.text
    diary.clear()
    services.stop("frames")
    assert "uploader close" not in diary and "health close" in diary     # what did not start is not stopped
    failed = [payload for kind, _s, payload, _sid in events(config) if kind == "error"]
    assert failed == [{"where": "uploader", "message": "OSError: uploader cannot start"}]


def test_a_part_that_fails_to_stop_keeps_nothing_else_from_stopping(config, diary, monkeypatch, caplog):
    monkeypatch.setattr(services_module, "StorageWatch",
                        lambda data_dir, ballast: Part("storage", diary, fails="stop"))
    services = live_services(config)
    services.start(report=StationErrors(services.recorder.record, clock=lambda: 0.0).report, is_open=lambda: True)
    diary.clear()
    with caplog.at_level(logging.ERROR, logger="kiosk.services"):
        services.stop("SIGTERM")
    assert diary[diary.index("storage stop") + 1:] == ["health close", "uploader close", "record kiosk.stop",
                                                       "log flush", "reader close", "speech close", "log close"]
    assert "stopping the storage watch failed" in caplog.text
    assert [kind for kind, *_ in events(config)] == ["kiosk.start", "kiosk.stop"]


def test_the_kiosk_serves_visitors_when_its_sensors_fail_to_start(config, monkeypatch):
    """`--fake-sensors` on a machine where the emulated ports cannot open: the visit goes on without them."""
    def no_ports(kinds):
        raise OSError("out of pseudo-terminals")
    monkeypatch.setattr(services_module.FakeRig, "start", no_ports)
    app = run_app(config, 2.0, tap(1.0, 960, 540), fake_sensors=True)
    assert app.nav.screen_name == "home" and app.services.sensors is None and app.contexts.sensors is None
    log = events(config)
    assert [p for k, _s, p, _sid in log if k == "error"] == [{"where": "sensors",
                                                               "message": "OSError: out of pseudo-terminals"}]
    kinds = [k for k, *_ in log]
    assert kinds[0] == "kiosk.start" and "session.start" in kinds and kinds[-1] == "kiosk.stop"


def test_a_headless_run_starts_no_upload_nor_health_report(config, diary):
    services = live_services(config, headless=True, fake_sensors=False)
    services.start(report=StationErrors(services.recorder.record, clock=lambda: 0.0).report, is_open=lambda: True)
    assert services.uploader is None and services.health is None and services.sensors is None
    assert "uploader start" not in diary and "health start" not in diary and "storage start" in diary
    services.stop("frames")
