"""The mediator's storage alarm: what it says for each state of the data disk (French, English), the menu that
shows it while a refused disk holds the visitors' events in memory, and the error count that is not 0.
QSEC_SHOTS=DIR keeps the menu's screenshots there, to look at."""
from __future__ import annotations

import dataclasses
import os
import sqlite3
from pathlib import Path

import pygame
import pytest

from eventlog.wire import db_path
from kiosk.app import App
from kiosk.config import load_config
from kiosk.i18n import Translator
from kiosk.screens.statistics_panels import kiosk_lines
from kiosk.screens.clock_warning import MARGIN as WARNING_MARGIN
from kiosk.screens.clock_warning import band_height, clock_warning
from kiosk.screens.storage_alarm import alarm_lines, draw_storage_alarm
from kiosk.storage import DiskState, StorageStatus, storage_status
from kiosk.store.stats_quality import QualityStats
from kiosk.ui import THEME
from tests.runtime.test_wall_clock_seen import LyingClock
from tests.store.refused_disk import RefusedLog, soon

SHOTS = Path(os.environ.get("QSEC_SHOTS", "")) if os.environ.get("QSEC_SHOTS") else None


class Recorder:
    def __init__(self, held=0, failure=None, held_errors=0):
        self.held, self.failure, self.held_errors = held, failure, held_errors


class Watch:
    def __init__(self, state):
        self.state = state


def test_each_state_of_the_disk_says_what_is_wrong_and_what_to_do():
    fr, en = Translator(["fr", "en"], default="fr"), Translator(["fr", "en"], default="en")
    roomy = Watch(DiskState(free_bytes=50 * 2**30, total_bytes=100 * 2**30))
    assert storage_status(roomy, Recorder()) == StorageStatus(None, 0, 0, 50 * 2**30, 0.5)
    assert alarm_lines(storage_status(roomy, Recorder()), fr) is None
    full = storage_status(roomy, Recorder(held=302, failure="full", held_errors=1))
    assert (full.alarm, full.held, full.held_errors) == ("full", 302, 1)
    headline, advice = alarm_lines(full, fr)
    assert headline == "Disque plein\u202f: 302 événements en attente d’écriture, gardés en mémoire."
    assert "Libérez de la place" in advice and "Dépannage" in advice
    assert alarm_lines(full, en)[0] == "Disk full: 302 events waiting to be written, kept in memory."
    one = storage_status(Watch(DiskState(10 * 2**30, 100 * 2**30, writable=False)), Recorder(1, "read-only"))
    assert alarm_lines(one, fr)[0] == "Disque en lecture seule\u202f: 1 événement en attente d’écriture, gardé en mémoire."
    assert alarm_lines(one, en)[1].startswith("Restart the kiosk")
    nothing_yet = storage_status(Watch(DiskState(10 * 2**30, 100 * 2**30, writable=False)), Recorder())
    assert alarm_lines(nothing_yet, en)[0] == "Read-only disk: the kiosk can no longer write anything to it."
    low = storage_status(Watch(DiskState(150 * 2**20, 100 * 2**30)), Recorder())
    assert alarm_lines(low, fr)[0] == "Disque presque plein\u202f: 150\u00a0Mo libres, sous la réserve de 200\u00a0Mo."
    assert alarm_lines(low, en)[1].startswith("The wall’s drawings are no longer saved")
    assert alarm_lines(low, en, wall=False)[1] == "Free some space on the disk (INSTALL.md, “Troubleshooting”)."


def test_held_errors_count_in_the_mediator_s_figures_before_the_log_has_them():
    q = QualityStats(runtime_errors=[("upload", 2)], upload_backlog=10)
    fr = Translator(["fr"], default="fr").gettext
    lines = {label.strip(): value for label, value, _color in kiosk_lines(q, fr, {}, held=(40, 1))}
    assert lines["Erreurs du kiosque lui-même"] == "3"
    assert lines["dont disque de données"] == "1" and lines["dont envoi vers le site"] == "2"
    assert lines["Évènements en attente d’écriture sur le disque"] == "40"
    assert "Évènements en attente d’écriture sur le disque" not in {l[0] for l in kiosk_lines(q, fr, {})}


def test_events_dated_by_estimate_show_among_the_kiosk_s_figures_when_there_are_some():
    fr, en = (Translator(["fr", "en"], default=lang).gettext for lang in ("fr", "en"))
    label = "Évènements datés par estimation (horloge du kiosque déréglée)"
    assert label not in {line[0] for line in kiosk_lines(QualityStats(), fr, {})}
    lines = {line[0]: line[1] for line in kiosk_lines(QualityStats(estimated_events=312), fr, {})}
    assert lines[label] == "312"
    assert "Events dated by estimate (the kiosk’s clock was wrong)" in {
        line[0] for line in kiosk_lines(QualityStats(estimated_events=312), en, {})}


@pytest.fixture
def app(tmp_path):
    config = dataclasses.replace(load_config(None), data_dir=tmp_path / "data")
    app = App(config, headless=True)
    pygame.init()
    app.start()
    yield app
    app.shutdown(record_stop=False)


def draw(app: App, seconds: float = 0.1) -> pygame.Surface:
    canvas = pygame.Surface(app.canvas_size)
    for _ in range(max(1, round(seconds * 60))):
        app.tick(1 / 60)
    app.draw(canvas)
    return canvas


def test_the_mediator_menu_shows_the_alarm_while_events_wait_and_the_error_count_follows(app, tmp_path):
    app.recorder.flush()
    real = app.recorder._conn
    app.recorder._conn = RefusedLog(real)                      # the disk fills up
    for i in range(40):
        app.recorder.record("survey.answer", {"question": "came_by", "choices": ["bike"]}, station="survey")
    assert soon(lambda: app.recorder.held_errors == 1 and app.recorder.held >= 41)
    app.nav.open_mediator_menu()
    menu = app.nav.screen
    canvas = draw(app)
    assert menu.storage.alarm == "full" and menu.storage.held == app.recorder.held
    assert menu.describe().startswith("Espace médiation. Disque plein")      # heard with « Écouter » too
    area = menu.notice_area()
    assert area.left >= max(b.rect.right for b in menu.buttons)          # beside the buttons, covering none
    border = canvas.get_at((area.left + 1, area.top + 40))[:3]
    assert border == THEME.warn                                          # framed, with its icon and its words
    if SHOTS:
        pygame.image.save(canvas, str(SHOTS / "mediator-disk-full.png"))

    app.recorder._conn = real                                           # room again: everything is written
    assert app.recorder.flush(timeout=30)
    assert soon(lambda: app.recorder.held == 0)
    draw(app)
    assert menu.storage.alarm is None or menu.storage.alarm == "low"    # the test machine's own disk may be low
    conn = sqlite3.connect(db_path(app.config.data_dir))
    try:
        errors = conn.execute("SELECT json_extract(payload, '$.where') FROM events WHERE kind = 'error'").fetchall()
        answers = conn.execute("SELECT count(*) FROM events WHERE kind = 'survey.answer'").fetchone()[0]
    finally:
        conn.close()
    assert errors == [("storage.recorder",)] and answers == 40          # the error counted once, nothing lost


def test_the_alarm_in_portrait_sits_under_the_buttons(tmp_path):
    config = dataclasses.replace(load_config(None), data_dir=tmp_path / "data", orientation="portrait")
    app = App(config, headless=True)
    pygame.init()
    app.start()
    try:
        app.services.storage.state = DiskState(free_bytes=150 * 2**20, total_bytes=32 * 2**30)   # under the reserve
        app.nav.open_mediator_menu()
        canvas = draw(app)
        menu = app.nav.screen
        assert menu.storage.alarm == "low"
        area = menu.notice_area()
        assert area.top > max(b.rect.bottom for b in menu.buttons) and area.bottom <= canvas.get_height()
        if SHOTS:
            pygame.image.save(canvas, str(SHOTS / "mediator-disk-low-portrait.png"))
    finally:
        app.shutdown(record_stop=False)


def test_the_disk_alarm_and_the_clock_warning_both_show_apart_in_portrait(tmp_path):
    """A kiosk can meet both troubles at once (a flat clock battery on a full card): each notice is read
    whole, neither covers the other nor a button."""
    clock = LyingClock()
    clock.jump_to_1970()
    config = dataclasses.replace(load_config(None), data_dir=tmp_path / "data", orientation="portrait")
    app = App(config, headless=True)
    app.recorder.clock = clock.watch()
    pygame.init()
    app.start()
    try:
        app.services.storage.state = DiskState(free_bytes=150 * 2**20, total_bytes=32 * 2**30)
        app.nav.open_mediator_menu()
        canvas = draw(app)
        menu = app.nav.screen
        assert menu.storage.alarm == "low" and not menu.clock.trusted
        lines = clock_warning(app.ctx, menu.clock)
        band_top = canvas.get_height() - WARNING_MARGIN // 2 - band_height(app.ctx, lines, canvas.get_width())
        notice = draw_notice_rect(app, menu, canvas)
        assert notice.height > 0 and notice.bottom <= band_top
        assert all(not notice.colliderect(b.rect) for b in menu.buttons)
        assert all(b.rect.bottom <= band_top for b in menu.buttons)
        spoken = menu.describe()
        assert "Disque presque plein" in spoken and "L’horloge de la borne semble fausse" in spoken
        if SHOTS:
            pygame.image.save(canvas, str(SHOTS / "mediator-disk-and-clock-portrait.png"))
    finally:
        app.shutdown(record_stop=False)


def draw_notice_rect(app: App, menu, canvas: pygame.Surface) -> pygame.Rect:
    """Where the disk's notice was drawn: the top of the menu's notice area, as tall as it says."""
    area = menu.notice_area()
    height = draw_storage_alarm(canvas.copy(), app.ctx.assets, app.ctx.i18n, menu.storage, area)
    return pygame.Rect(area.left, area.top, area.width, height)
