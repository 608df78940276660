"""The small doors: the database and drawings readable by the hub's user only, answers that never echo
Python's parser, `nosniff` everywhere, HSTS in the proxy examples; and revoking a kiosk."""
from __future__ import annotations

import gzip
import hashlib
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from eventlog.bundle import export_bundle
from eventlog.stamps import utc_iso
from tests.hub.conftest import event
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import LiveHub
from tests.sync.conftest import wait_until

KIOSK = "mediatheque-meaux-1"
README = Path(__file__).resolve().parents[2] / "hub" / "README.md"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    hub = LiveHub(tmp_path_factory.mktemp("hardening"), limits={"rate_per_s": 0.0})
    hub.start()
    hub.token = hub.add_kiosk(KIOSK)
    yield hub
    hub.stop()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_drawings_are_the_hub_user_s_only(live):
    data = b"\x89PNG\r\n\x1a\n" + b"a visitor's drawing" * 20
    sha = hashlib.sha256(data).hexdigest()
    assert live.request("PUT", f"/api/v1/files/{sha}", body=data, token=live.token)[0] == 201
    assert mode(live.db_path) == 0o600
    assert mode(live.db_path.with_name(live.db_path.name + "-wal")) == 0o600
    assert mode(live.files_dir / sha[:2] / f"{sha}.png") == 0o600
    assert mode(live.files_dir / sha[:2]) == 0o700


@pytest.mark.parametrize("body, encoding, said", [
    (b"\x1f\x8b not gzip", "gzip", "body is not valid gzip"),
    (gzip.compress(b'{"events": [1, 2,]}'), "gzip", "body is not valid JSON (line 1, column 18)"),
    (b"\xff\xfe\xfa", "", "body is not UTF-8 text"),
    (b"[" * 100_000, "", "body is nested too deeply"),
    (b"{}", "br", "unsupported content-encoding (gzip or none)"),
])
def test_400_answers_say_what_is_wrong_in_our_words(live, body, encoding, said):
    status, headers, answer = live.request("POST", "/api/v1/events", body=body, token=live.token,
                                           headers={"Content-Encoding": encoding} if encoding else {})
    assert status in (400, 415) and answer.decode() == f'{{"error":"{said}"}}'
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_every_answer_says_nosniff(live):
    for method, path, token in (("GET", "/api/v1/totals", live.token), ("GET", "/api/v1/totals", "wrong"),
                                ("GET", "/api/v1/health", None), ("GET", "/api/v1/openapi.json", None),
                                ("GET", "/api/v1/nowhere", None), ("POST", "/api/v1/health", None),
                                ("GET", "/c/23456789AB", None), ("GET", "/", None), ("GET", "/static/site/site.css", None)):
        status, headers, _ = live.request(method, path, token=token)
        assert headers["X-Content-Type-Options"] == "nosniff", (method, path, status)
    status, headers, body = live.request("GET", "/api/v1/nowhere")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")


def test_the_proxy_examples_send_hsts():
    text = README.read_text(encoding="utf-8")
    caddy = re.search(r"```\n(hub\.qsec2\.fr \{.*?)```", text, re.S).group(1)
    nginx = re.search(r"```nginx\n(.*?)```", text, re.S).group(1)
    assert re.search(r'Strict-Transport-Security "max-age=\d{8}', caddy)
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d{8}[^"]*" always;', nginx)


def test_a_revoked_kiosk_speaks_no_more_and_what_it_sent_can_be_set_aside(tmp_path):
    data = tmp_path / "kiosk"
    fill_kiosk_log(data, KIOSK, 200, seed=31)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True) as hub:
        token = hub.add_kiosk(KIOSK)
        export_bundle(data, tmp_path / "genuine.zip", kiosk_id=KIOSK, token=token)
        assert '"created": 200' in hub.cli("import", str(tmp_path / "genuine.zip"))
        forged = [event("survey.answer", {"question": "came_by", "choices": ["car"]}, kiosk_id=KIOSK)
                  for _ in range(30)]      # the thief's answers, sent with the stolen token
        export_bundle(data, tmp_path / "stolen.zip", kiosk_id=KIOSK, token=token)
        imported = hub.query("SELECT max(received_at) FROM events")[0][0]
        assert wait_until(lambda: utc_iso() > imported, timeout=5, step=0.001)
        since = utc_iso()                               # the moment the token was stolen
        assert wait_until(lambda: utc_iso() > since, timeout=5, step=0.001)
        status, answer = hub.post_events(token, forged)
        assert status == 200 and answer["counts"]["created"] == 30

        said = hub.cli("revoke-kiosk", KIOSK, "--set-aside-since", since.replace("Z", "+00:00"))
        assert f"kiosk {KIOSK} revoked" in said and "30 events received since" in said
        assert hub.query("SELECT count(*) FROM events") == [(200,)]
        assert hub.query("SELECT count(*) FROM conflicts WHERE source LIKE 'set-aside%'") == [(30,)]
        assert hub.post_events(token, [])[0] == 401           # at once for writes, although this hub knew it
        assert hub.request("PUT", f"/api/v1/files/{'a' * 64}", body=b"x", token=token)[0] == 401
        refused = subprocess.run([sys.executable, "-m", "hub", "import", "--config", str(hub.config_path),
                                  str(tmp_path / "stolen.zip")], env=hub.env(), capture_output=True, text=True,
                                 timeout=120)
        assert refused.returncode == 2 and "was revoked" in refused.stderr and refused.stderr.count("\n") == 1
        assert hub.cli("list-kiosks").splitlines()[1].split("\t")[-1].startswith("20")    # revoked on that date

        # the real kiosk gets a new token; its own bundle brings back what is genuinely its
        new_token = hub.cli("add-kiosk", KIOSK, "--venue", "Médiathèque de Meaux", "--rotate").strip()
        export_bundle(data, tmp_path / "again.zip", kiosk_id=KIOSK, token=new_token)
        assert '"duplicate": 200' in hub.cli("import", str(tmp_path / "again.zip"))
        assert hub.post_events(new_token, [])[0] == 200
        assert hub.cli("list-kiosks").splitlines()[1].endswith("\t-")          # no longer revoked


def test_uuids_claimed_ahead_of_a_bundle_come_back_to_their_kiosk(tmp_path):
    """A thief with another kiosk's token and a copy of this kiosk's bundle uploads its events first in
    its own name: the genuine import then finds them taken (conflicts, kept aside). Revoking the thief's
    kiosk with --set-aside-since and importing again gives the events back to the kiosk that made them."""
    from eventlog.bundle import Bundle

    data, thief = tmp_path / "kiosk", "centre-social-evry-1"
    fill_kiosk_log(data, KIOSK, 200, seed=41)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0}, postgres=True) as hub:
        token, stolen = hub.add_kiosk(KIOSK), hub.add_kiosk(thief)
        export_bundle(data, tmp_path / "usb.zip", kiosk_id=KIOSK, token=token)
        since = utc_iso()
        assert wait_until(lambda: utc_iso() > since, timeout=5, step=0.001)
        with Bundle(tmp_path / "usb.zip") as bundle:
            claimed = [dict(e, kiosk_id=thief) for e in bundle.events()]
        status, answer = hub.post_events(stolen, claimed)
        assert status == 200 and answer["counts"]["created"] == 200
        assert '"conflict": 200' in hub.cli("import", str(tmp_path / "usb.zip"))
        assert hub.query("SELECT count(*) FROM events WHERE kiosk_id = ?", (KIOSK,)) == [(0,)]

        assert "200 events received since" in hub.cli("revoke-kiosk", thief, "--set-aside-since", since)
        assert '"created": 200' in hub.cli("import", str(tmp_path / "usb.zip"))
        assert hub.query("SELECT kiosk_id, count(*) FROM events GROUP BY kiosk_id") == [(KIOSK, 200)]
