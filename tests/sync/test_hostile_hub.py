"""A hub that answers nonsense: the uploader never advances its cursor without a verdict per event."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.sync.client import AuthError, RetryLater, Transient
from kiosk.sync.status import read_hub_totals, sync_status
from kiosk.sync.uploader import Uploader
from tests.kiosk_logs import fill_kiosk_log


def _answers(events: list[dict]) -> dict[str, tuple[int, dict, bytes]]:
    good = [{"uuid": e["uuid"], "status": "created"} for e in events]
    return {
        "not json": (200, {}, b"<html>proxy error</html>"),
        "one verdict short": (200, {}, json.dumps({"results": good[:-1]}).encode()),
        "out of order": (200, {}, json.dumps({"results": good[::-1]}).encode()),
        "unknown verdict": (200, {}, json.dumps({"results": [dict(v, status="ok") for v in good]}).encode()),
        "results not a list": (200, {}, b'{"results": 3}'),
        "a list": (200, {}, b"[]"),
        "404 from a proxy": (404, {}, b"not found"),
        "502": (502, {}, b"bad gateway"),
        "429 no retry-after": (429, {}, b"{}"),
        "truncated": (200, {"Content-Length": "100"}, b'{"results": ['),
    }


class _Hub(BaseHTTPRequestHandler):
    answer: tuple[int, dict, bytes] = (500, {}, b"")

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        status, headers, body = self.answer
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET = do_PUT = _reply

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_nonsense_never_moves_the_cursor(fake_hub, tmp_path):
    fill_kiosk_log(tmp_path, "k", 20, seed=1)
    from eventlog.wire import iter_rows, wire_event
    conn = connect(db_path(tmp_path), readonly=True)
    events = [wire_event(r) for r in iter_rows(conn)]
    conn.close()
    uploader = Uploader(tmp_path, hub_url=f"http://127.0.0.1:{fake_hub.server_port}", token="t", timeout_s=2)
    try:
        for name, answer in _answers(events).items():
            _Hub.answer = answer
            with pytest.raises(Transient):
                uploader.sync_once()
            assert sync_status(db_path(tmp_path))["cursor"] == 0, name
        _Hub.answer = (503, {"Retry-After": "3600"}, b"{}")
        with pytest.raises(RetryLater):
            uploader.sync_once()
        _Hub.answer = (403, {}, b'{"error": "revoked"}')
        with pytest.raises(AuthError):
            uploader.sync_once()
        assert sync_status(db_path(tmp_path))["backlog_events"] == 20
    finally:
        uploader.close()


def test_totals_are_kept_for_the_survey_station(fake_hub, tmp_path):
    fill_kiosk_log(tmp_path, "k", 0, seed=2)
    totals = {"survey": {"q": {"answers": 2, "choices": {"bus": 2}}}, "sessions": 5}
    _Hub.answer = (200, {}, json.dumps(totals).encode())
    uploader = Uploader(tmp_path, hub_url=f"http://127.0.0.1:{fake_hub.server_port}", token="t")
    try:
        assert uploader.sync_once().totals_fetched
    finally:
        uploader.close()
    conn = connect(db_path(tmp_path), readonly=True)
    assert read_hub_totals(conn)["totals"] == totals
    conn.close()
