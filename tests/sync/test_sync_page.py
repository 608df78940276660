"""The mediator's upload page: backlog, last success with what went, and the last error — highlighted
while it stands, greyed as resolved once a later upload went through."""
from __future__ import annotations

import json
import time

import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.screens.sync_page import SyncPage
from kiosk.store.migrations import migrate
from kiosk.sync import state
from kiosk.testing import canvas, close_context, default_config, make_context
from kiosk.ui import THEME


@pytest.fixture
def page(tmp_path):
    cfg = default_config(data_dir=tmp_path, sync={"hub_url": "https://hub.example.org", "token": "t"})
    ctx = make_context("mediator.sync", tmp_path=tmp_path, kiosk=cfg)
    yield SyncPage(ctx), tmp_path
    close_context(ctx)


def _state(data_dir, **values) -> None:
    conn = connect(db_path(data_dir))
    migrate(conn)
    for key, value in values.items():
        state.put(conn, key, value if isinstance(value, str) else json.dumps(value))
    conn.close()


def _refresh(page: SyncPage) -> dict:
    page._since = 99
    deadline = time.monotonic() + 10
    page.update(0.0)
    while page._future is not None and time.monotonic() < deadline:
        time.sleep(0.01)
        page.update(0.0)
    return page.status


def _rows(page: SyncPage) -> dict[str, tuple[str, tuple]]:
    return {label: (value, color) for label, value, color in page.status_lines()}


def test_an_error_after_the_last_success_is_highlighted(page):
    p, data = page
    _state(data, last_success="2026-11-25T15:12:00.000Z", last_success_events="8500",
           last_error={"ts": "2026-11-25T15:13:05.000Z", "message": "network: connection refused"})
    _refresh(p)
    rows = _rows(p)
    value, color = rows["Dernière erreur"]
    assert color == THEME.warn and "connection refused" in value and "résolue" not in value
    assert "8\u202f500 événements envoyés" in rows["Dernier envoi réussi"][0]
    p.draw(canvas(p.ctx))


def test_an_error_followed_by_a_success_is_shown_resolved_with_its_time(page):
    p, data = page
    _state(data, last_success="2026-11-25T16:40:00.000Z", last_success_events="0",
           last_error={"ts": "2026-11-25T15:13:05.000Z", "message": "network: connection refused"})
    _refresh(p)
    value, color = _rows(p)["Dernière erreur"]
    assert color == THEME.text_muted and value.startswith("résolue") and "25/11 16:13" in value  # Paris time
    assert "rien de nouveau" in _rows(p)["Dernier envoi réussi"][0]


def test_a_refused_drawing_stays_highlighted_after_later_batches(page):
    p, data = page
    _state(data, last_success="2026-11-25T16:40:00.000Z", last_success_events="600",
           last_error={"ts": "2026-11-25T16:39:59.000Z", "kind": "drawing", "message": "drawing 0123: 413"})
    _refresh(p)
    assert _rows(p)["Dernière erreur"][1] == THEME.warn


def test_never_sent(page):
    p, data = page
    _state(data)
    _refresh(p)
    rows = _rows(p)
    assert rows["Dernier envoi réussi"][0] == "jamais" and "Dernière erreur" not in rows


def test_a_kiosk_without_a_hub_token_says_why_it_cannot_export(tmp_path, monkeypatch):
    """The hub imports only signed bundles: without a token the mediator is told at once, no file is made."""
    import pygame

    monkeypatch.delenv("QSEC_HUB_TOKEN", raising=False)
    cfg = default_config(data_dir=tmp_path, sync={"hub_url": "", "token": ""})
    ctx = make_context("mediator.sync", tmp_path=tmp_path, kiosk=cfg)
    try:
        _state(tmp_path)
        stick = tmp_path / "stick"
        stick.mkdir()
        page = SyncPage(ctx)
        page._export_worker(stick)
        assert "pas de jeton du serveur" in page.export_message and list(stick.iterdir()) == []
        surface = canvas(ctx)
        page.draw(surface)
        pygame.image.save(surface, str(tmp_path / "sync-no-token.png"))
    finally:
        close_context(ctx)
