"""The mediator statistics page on a simulated month: every tab and period draws, taps switch them,
queries never block the frame, a missing door counter is said, not drawn as zero."""
from __future__ import annotations

import dataclasses
import threading
import time

import pygame
import pytest

from kiosk.input import DOWN, UP, InputEvent
from kiosk.screens.statistics import PERIODS, TABS, StatisticsPage
from kiosk.testing import close_context, default_config, make_context
from tests.report.conftest import END


def _context(tmp_path, data_dir=None, **overrides):
    cfg = dataclasses.replace(default_config(data_dir=data_dir or tmp_path), **overrides)
    return make_context("mediator.statistics", tmp_path=data_dir or tmp_path, kiosk=cfg)


def _settle(page, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.update(0.016)
        if page._future is None and page.stats is not None and page.stats.period.kind == page.period_kind:
            return
        time.sleep(0.01)
    raise AssertionError("statistics never arrived")


def _tap(page, rect):
    page.handle_event(InputEvent(DOWN, rect.center, 1))
    page.handle_event(InputEvent(UP, rect.center, 1))


@pytest.fixture
def page(demo_dir, tmp_path):
    ctx = _context(tmp_path, demo_dir, sensors={"devices": [{"name": "porte", "kind": "footfall", "port": "auto"}]})
    p = StatisticsPage(ctx, now=lambda: END, station_titles={"crowd": "Foules"})
    p.enter()
    yield p
    close_context(ctx)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_every_period_and_tab_draws(page, size):
    page.ctx.canvas_size = size
    page._layout()
    surface = pygame.Surface(size)
    for kind, _label in PERIODS:
        _tap(page, page.period_buttons[kind].rect)
        assert page.period_kind == kind
        _settle(page)
        for key, _l, _i in TABS:
            _tap(page, page.tab_buttons[key].rect)
            assert page.tab == key
            surface.fill((0, 0, 0))
            page.draw(surface)
            colours = {tuple(surface.get_at((x, y)))[:3] for x in range(0, size[0], 24) for y in range(0, size[1], 24)}
            assert len(colours) > 8, (kind, key)


def test_figures_match_the_period(page):
    _settle(page)
    today = page.stats
    assert today.period.kind == "today" and today.period.first == today.period.last
    _tap(page, page.period_buttons["stay"].rect)
    _settle(page)
    stay = page.stats
    assert stay.period.first.isoformat() == "2026-11-17"   # the first day with events (16th: closed)
    assert stay.sessions > today.sessions > 0
    assert stay.footfall_source == "ok"


def test_update_never_waits_for_the_database(page):
    _settle(page)
    release, busy_done = threading.Event(), threading.Event()

    def busy(conn):   # the reader thread is busy until the frames below are drawn
        release.wait(60)
        busy_done.set()

    page.ctx.reader.submit(busy)
    page.choose_period("week")
    for _ in range(10):
        page.update(0.016)
        page.draw(pygame.Surface(page.ctx.canvas_size))
    # Ten frames drawn while the database job still holds the reader: none of them waited for it
    # (a frame that waited would have returned only once the job ended, 60 s later).
    assert not busy_done.is_set() and page._future is not None
    release.set()
    _settle(page)
    assert page.stats.period.kind == "week"


def test_no_counter_is_said_not_drawn_as_zero(tmp_path):
    ctx = _context(tmp_path)
    ctx.recorder.record("session.start", {}, ts="2026-11-25T10:00:00.000Z")
    ctx.recorder.flush()
    page = StatisticsPage(ctx, now=lambda: END, station_titles={})
    page.enter()
    _settle(page)
    assert page.stats.footfall_source == "no_counter" and page.stats.sessions == 1
    surface = pygame.Surface(ctx.canvas_size)
    page.draw(surface)  # the notice panel; the use tab says "pas de compteur" for the rate
    page.choose_tab("use")
    page.draw(surface)
    close_context(ctx)


def test_default_titles_come_from_the_registry(tmp_path):
    ctx = _context(tmp_path)
    page = StatisticsPage(ctx)   # the constructor the mediator menu uses: StatisticsPage(app.nav.page_context(key))
    assert isinstance(page.station_titles, dict)
    close_context(ctx)


def test_touches_elsewhere_do_not_leak(page):
    assert page.handle_event(InputEvent(DOWN, (1000, 700), 1)) is True


def test_export_button_writes_the_report_to_the_export_folder(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("kiosk.usb.mounted_sticks", lambda roots=(): [])   # no USB stick in the test machine
    ctx = _context(tmp_path / "ctx", demo_dir, export_dir=tmp_path / "exports")
    page = StatisticsPage(ctx, now=lambda: END, station_titles={})
    page.enter()
    _settle(page)
    _tap(page, page.export_button.rect)
    deadline = time.monotonic() + 20
    while page._export_future is not None and time.monotonic() < deadline:
        page.update(0.016)
        time.sleep(0.01)
    folders = list((tmp_path / "exports").iterdir())
    assert len(folders) == 1 and folders[0].name == "qsec-rapport-qsec-dev-2026-11-25-2026-11-25"
    names = {f.name for f in folders[0].iterdir()}
    assert {"definitions.txt", "synthese.png", "frequentation_par_heure.csv"} <= names
    assert "qsec-rapport" in page._export_message
    _message_fits(page, folders[0].name)
    close_context(ctx)


def _message_fits(page, folder_name):
    """The message stays next to the export button, clear of the charts and above the bottom of the screen,
    every line within its width; the folder name is all there, its dates unbroken."""
    w, h = page.ctx.canvas_size
    rect, font = page.message_rect, page.ctx.assets.font(24)
    assert rect.bottom <= h and rect.right <= w
    if w >= h:   # under the button, left of the charts
        assert rect.top >= page.export_button.rect.bottom and rect.right <= page.content.left
    else:        # beside the button, under the charts
        assert rect.left >= page.export_button.rect.right and rect.top >= page.content.bottom
    lines = page.export_lines()
    assert len(lines) * font.get_linesize() <= rect.height
    assert all(font.size(text)[0] <= rect.width for text, _c in lines)
    assert "".join(text for text, _c in lines[1:-1]) == folder_name
    assert any(text.startswith("2026-") and len(text) >= 10 for text, _c in lines[1:-1])


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_a_long_report_path_fits_under_the_export_button(page, size):
    page.ctx.canvas_size = size
    page._layout()
    name = "qsec-rapport-mediatheque-persepolis-saint-ouen-2026-10-28-2026-11-26"
    page._export_message = "Rapport écrit"
    page._export_written = (name, "/media/qsec/USB DISK 32 GB/rapports/exposition-mobilites-2026")
    _message_fits(page, name)
    where = page.export_lines()[-1][0]
    assert where.startswith("sur …") and where.endswith("mobilites-2026")
    page.draw(pygame.Surface(size))


def test_path_lines_cut_what_does_not_fit():
    from kiosk.screens.statistics import path_lines

    font = pygame.font.Font(None, 24)
    lines = path_lines(font, "x" * 300 + "-2026-10-28", 200, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.size(line)[0] <= 200 for line in lines)
    assert path_lines(font, "a-b", 200, 3) == ["a-b"]


def test_export_without_stick_or_folder_says_so(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("kiosk.usb.mounted_sticks", lambda roots=(): [])
    ctx = _context(tmp_path, demo_dir)
    page = StatisticsPage(ctx, now=lambda: END, station_titles={})
    page.export()
    deadline = time.monotonic() + 10
    while page._export_future is not None and time.monotonic() < deadline:
        page.update(0.016)
        time.sleep(0.01)
    assert "clé USB" in page._export_message
    close_context(ctx)


def test_a_closed_day_is_not_called_a_sensor_failure(demo_dir, tmp_path):
    from datetime import datetime, timezone

    from kiosk.screens import statistics_panels

    monday = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)   # closed in the default hours
    ctx = _context(tmp_path, demo_dir, sensors={"devices": [{"name": "porte", "kind": "footfall", "port": "auto"}]})
    page = StatisticsPage(ctx, now=lambda: monday, station_titles={})
    page.enter()
    _settle(page)
    assert page.stats.footfall_source == "no_data" and page.stats.period.first in page.stats.closed_days
    titles = []
    original = statistics_panels.notice
    statistics_panels.notice = lambda surface, rect, title, body, assets, icon="": titles.append(title)
    try:
        page.draw(pygame.Surface(ctx.canvas_size))
    finally:
        statistics_panels.notice = original
    assert titles == ["Lieu fermé"]
    close_context(ctx)


def test_a_day_that_has_not_opened_is_not_an_opening_day_without_data(demo_dir, tmp_path):
    """At 03:05 on a Thursday, before opening, the stay's cards count the opening days so far."""
    from datetime import date, datetime, timezone

    from kiosk.screens import statistics_panels

    night = datetime(2026, 11, 26, 2, 5, tzinfo=timezone.utc)
    ctx = _context(tmp_path, demo_dir, sensors={"devices": [{"name": "porte", "kind": "footfall", "port": "auto"}]})
    page = StatisticsPage(ctx, now=lambda: night, station_titles={})
    page.enter()
    _tap(page, page.period_buttons["stay"].rect)
    _settle(page)
    stats = page.stats
    assert date(2026, 11, 26) in stats.not_open_yet
    opened = [d for d in stats.opening_days()]
    assert opened and date(2026, 11, 26) not in opened
    with_data = [d for d, n, _o in stats.footfall_by_day if n is not None and d in opened]
    drawn = []
    original = statistics_panels.cards
    statistics_panels.cards = lambda surface, rect, items, assets: drawn.extend(items)
    try:
        page.draw(pygame.Surface(ctx.canvas_size))
    finally:
        statistics_panels.cards = original
    days_card = [value for value, label, _c in drawn if label == "jours d’ouverture avec des données du compteur"]
    assert days_card == [f"{len(with_data)} / {len(opened)}"]
    close_context(ctx)


def test_a_long_chart_title_stays_inside_its_box():
    from kiosk.assets import Assets
    from kiosk.screens.statistics_panels import chart_box

    surface = pygame.Surface((1200, 300))
    surface.fill((0, 0, 0))
    box = pygame.Rect(20, 20, 500, 260)
    chart_box(surface, box, "Entrées par heure (jaune : heure en cours ; hachuré : pas de données)", Assets(None))
    outside = {tuple(surface.get_at((x, y)))[:3] for x in range(box.right + 1, 1200, 3) for y in range(0, 300, 3)}
    assert outside == {(0, 0, 0)}
