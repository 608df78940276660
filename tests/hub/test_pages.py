"""The public pages behind the kiosks' QR codes (/c/{code}, /g/{code}) and the deduplicated totals."""
from __future__ import annotations

import hashlib
import html
import json
import sqlite3
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


from eventlog.shortcode import ALPHABET, display_code, short_code
from eventlog.stamps import new_uuid
from hub.config import SOURCE_CONTENT
from hub.content import load_labels
from hub.lookup import clean_code
from tests.hub.conftest import Hub, assert_index_probes, event

PNG = b"\x89PNG\r\n\x1a\n" + b"drawing bytes" * 40
HOSTILE = "<script>alert('x')</script> \" & <img src=x onerror=alert(1)>"


def survey_visit(hub: Hub, run: str, answers: list[tuple[str, list[str]]], **fields) -> str:
    events = [event("survey.answer", {"question": q, "choices": c, "run": run}, station="survey",
                    minutes_ago=10 - i * 0.1, **fields) for i, (q, c) in enumerate(answers)]
    done = event("survey.complete", {"answered": len(answers), "run": run}, station="survey", minutes_ago=5, **fields)
    assert hub.post(events + [done]).status_code == 200
    return short_code(done["uuid"])


def wall_message(hub: Hub, text: str = "Plus de pistes cyclables", drawing: bool = True) -> tuple[str, str]:
    payload = {"question": "city", "text": text, "flags": []}
    if drawing:
        sha = hashlib.sha256(PNG).hexdigest()
        assert hub.client.put(f"/api/v1/files/{sha}", content=PNG, headers=hub.auth()).status_code in (200, 201)
        payload["drawing_sha256"] = sha
    message = event("wall.message", payload, station="wall", minutes_ago=30)
    hub.post([message])
    return message["uuid"], short_code(message["uuid"])


def decide(hub: Hub, target: str, kind: str, minutes_ago: float) -> None:
    hub.post([event(f"moderation.{kind}", {"target": target}, minutes_ago=minutes_ago)])


def totals(hub: Hub) -> dict:
    return hub.client.get("/api/v1/totals", headers=hub.auth()).json()


# -- survey ----------------------------------------------------------------------------------------
def test_survey_page_shows_latest_answers_labels_and_all_venue_shares(hub):
    # this visitor answered "car", went back and changed to "bike": only "bike" is theirs
    code = survey_visit(hub, "run-a", [("came_by", ["car"]), ("came_by", ["bike"])])
    survey_visit(hub, "run-b", [("came_by", ["bike"])])
    survey_visit(hub, "run-c", [("came_by", ["bus"])])
    survey_visit(hub, "run-d", [("came_by", ["walk"])], kiosk_id="kiosk-test")
    answer = hub.client.get(f"/c/{code}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    page, english = html.unescape(answer.text), html.unescape(hub.client.get(f"/en/c/{code}").text)
    assert '<html lang="fr">' in page and '<html lang="en">' in english
    assert "Pour venir ici aujourd" in page and "How did you get here today?" in english   # survey.toml texts
    assert "Vélo" in page and "Voiture" not in page
    assert "50 % des visiteurs ont répondu comme vous" in page and "50% of visitors" in english   # 2 bikes of 4
    assert "http://" not in page and "https://" not in page   # self-contained: nothing external
    assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_codes_are_forgiving_about_case_spaces_and_dashes(hub):
    code = survey_visit(hub, "run-a", [("came_by", ["bike"])])
    for typed in (code.lower(), display_code(code).replace(" ", "-"), display_code(code).replace(" ", "%20")):
        assert hub.client.get(f"/c/{typed}").status_code == 200, typed


def test_totals_count_the_latest_answer_per_run_once(hub):
    survey_visit(hub, "run-a", [("came_by", ["car"]), ("came_by", ["bike"]), ("came_by", ["bike", "bus"])])
    survey_visit(hub, "run-b", [("came_by", ["car"])])
    # answers without a run token (older kiosks) each count, as before
    hub.post([event("survey.answer", {"question": "came_by", "choices": ["walk"]}) for _ in range(2)])
    came_by = totals(hub)["survey"]["came_by"]
    assert came_by == {"answers": 4, "choices": {"bike": 1, "bus": 1, "car": 1, "walk": 2}}


def test_the_same_run_token_on_two_kiosks_is_two_visits(hub):
    survey_visit(hub, "same", [("came_by", ["car"])])
    other = [event("survey.answer", {"question": "came_by", "choices": ["bike"], "run": "same"}, kiosk_id="kiosk-other")]
    assert hub.post(other, token=hub.other_token).status_code == 200
    assert totals(hub)["survey"]["came_by"] == {"answers": 2, "choices": {"bike": 1, "car": 1}}


def test_totals_keep_the_shape_the_survey_station_reads(hub):
    from stations.survey.tally import hub_tally, read_hub_totals

    survey_visit(hub, "run-a", [("came_by", ["car"]), ("came_by", ["bike"])])
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO sync_state VALUES ('hub_totals', ?)", (json.dumps({"totals": totals(hub)}),))
    tally = hub_tally(read_hub_totals(conn), "came_by")
    assert tally.respondents == 1 and tally.counts == {"bike": 1}


# -- wall and moderation ---------------------------------------------------------------------------
def _shows(hub: Hub, code: str) -> tuple[bool, int]:
    page = hub.client.get(f"/c/{code}")
    assert page.status_code == 200
    shown = "Plus de pistes cyclables" in page.text
    if not shown:   # the neutral page: nothing of the message, not even its question
        assert "en attente de validation par l’équipe de médiation" in html.unescape(page.text)
        assert "drawing.png" not in page.text and "façonnent" not in page.text
        assert page.headers["cache-control"] == "no-store"
    return shown, hub.client.get(f"/c/{code}/drawing.png").status_code


def test_wall_message_shows_only_while_its_latest_decision_is_approval(hub):
    uuid, code = wall_message(hub)
    assert _shows(hub, code) == (False, 404)                     # pending
    decide(hub, uuid, "approved", minutes_ago=20)
    assert _shows(hub, code) == (True, 200)                      # approved
    page = hub.client.get(f"/c/{code}").text
    assert f'<img src="/c/{code}/drawing.png"' in page and "Comment nos déplacements façonnent-ils la ville" in page
    assert hub.client.get(f"/c/{code}/drawing.png").content == PNG
    decide(hub, uuid, "rejected", minutes_ago=10)
    assert _shows(hub, code) == (False, 404)                     # approved then rejected


def test_rejected_message_never_shows_and_a_late_upload_of_an_older_approval_does_not_win(hub):
    uuid, code = wall_message(hub, drawing=False)
    decide(hub, uuid, "rejected", minutes_ago=10)
    assert _shows(hub, code) == (False, 404)
    decide(hub, uuid, "approved", minutes_ago=20)                # decided earlier, arrived later
    assert _shows(hub, code) == (False, 404)


def test_approved_message_without_its_drawing_file_yet_shows_its_text(hub):
    message = event("wall.message", {"question": "city", "text": "Plus de pistes cyclables",
                                     "drawing_sha256": "ab" * 32}, minutes_ago=30)
    hub.post([message])
    decide(hub, message["uuid"], "approved", minutes_ago=20)
    page = hub.client.get(f"/c/{short_code(message['uuid'])}").text
    assert "Plus de pistes cyclables" in page and "<img" not in page


def test_hostile_text_is_escaped(hub):
    uuid, code = wall_message(hub, text=HOSTILE, drawing=False)
    decide(hub, uuid, "approved", minutes_ago=20)
    page = hub.client.get(f"/c/{code}").text
    assert "<script>" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot; &amp; &lt;img" in page
    # markup in a question or choice id never gets in: ids have the shape content files allow
    answer = event("survey.answer", {"question": HOSTILE, "choices": [HOSTILE], "run": "run-h"}, station="survey")
    assert [r["status"] for r in hub.post([answer]).json()["results"]] == ["invalid"]


# -- unknown codes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/c/23456789AB", "/c/nope", "/c/", "/c", "/g/23456789AB", "/g/", "/c/%00%ff",
                                  "/c/23456789AB/drawing.png", "/g/x/y", "/c/" + "A" * 5000])
def test_unknown_or_malformed_codes_get_the_friendly_404(hub, path):
    answer = hub.client.get(path)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "Ce code ne mène nulle part" in answer.text


def test_a_survey_code_has_no_drawing_and_a_group_code_is_no_contribution(hub):
    code = survey_visit(hub, "run-a", [("came_by", ["bike"])])
    assert hub.client.get(f"/c/{code}/drawing.png").status_code == 404
    assert hub.client.get(f"/g/{code}").status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segment=st.text(max_size=30) | st.text(alphabet=ALPHABET + "-  ab", min_size=8, max_size=14))
def test_random_codes_never_fail(hub, segment):
    from urllib.parse import quote

    for prefix in ("/c/", "/g/"):
        answer = hub.client.get(prefix + quote(segment, safe=""))
        assert answer.status_code in (200, 404)
    assert clean_code(segment) is None or len(clean_code(segment)) == 10


# -- school groups -----------------------------------------------------------------------------------
def group_visit(hub: Hub, label: str = "CM2 B") -> str:
    gid = new_uuid()
    events = [
        event("group.start", {"group_id": gid, "level": "elementaire", "pupils": 24, "adults": 3,
                              "activity": "crowds", "label": label}, ts="2026-11-25T09:05:00.000Z"),
        event("group.challenge", {"group_id": gid, "metric": "quiz", "value": 1, "success": True,
                                  "activity": "crowds", "step": "faster-is-slower"}),
        event("group.challenge", {"group_id": gid, "metric": "evacuation_time_s", "value": 41.25, "success": True,
                                  "activity": "crowds", "step": "empty-room", "seconds": 60.0}, station="crowd"),
        event("group.challenge", {"group_id": gid, "metric": "quiz", "value": 1, "success": False,
                                  "activity": "crowds", "step": "safe-exit"}),
        event("group.step", {"group_id": gid, "step": 7, "kind": "results"}),
        event("group.end", {"group_id": gid, "reason": "done", "step": 7}),
    ]
    assert [r["status"] for r in hub.post(events).json()["results"]] == ["created"] * len(events)
    return short_code(gid)


def test_group_page_for_the_teacher(hub):
    code = group_visit(hub)
    page = html.unescape(hub.client.get(f"/g/{code}").text).replace("\u202f", " ").replace("\u00a0", " ")
    english = html.unescape(hub.client.get(f"/en/g/{code}").text)
    assert "Sortir vite, sortir tous" in page and "Out fast, everyone out" in english
    assert "Élémentaire" in page and "CM2 B" in page and "24" in page
    assert "25/11/2026 à 09:05 (UTC)" in page
    assert "Défi : vider la salle" in page and "41,2 s" in page
    assert "1 bonne réponse sur 2" in page
    assert "Plus vite, c’est plus lent" in page     # what the activity showed
    assert "Dans une vraie foule" in page and "Réponse de la classe : Plus lentement" in page
    assert "Réponse de la classe : Courir" in page and "À retenir : Plusieurs sorties" in page


def test_group_date_in_the_venue_zone_when_the_hub_knows_it(make_hub):
    hub = make_hub(rate_per_s=0.0, timezone="Europe/Paris")
    assert "25/11/2026 à 10:05 (Europe/Paris)" in html.unescape(hub.client.get(f"/g/{group_visit(hub)}").text)


def test_group_label_is_escaped(hub):
    page = hub.client.get(f"/g/{group_visit(hub, label=HOSTILE)}").text
    assert "<script>" not in page and "&lt;script&gt;" in page


# -- storage -----------------------------------------------------------------------------------------
def test_lookups_are_index_probes(hub):
    from hub.db import Db

    db = Db()
    plans = {
        "code": "SELECT seq FROM events WHERE short_code = 'X' AND kind IN ('survey.complete', 'wall.message')",
        "run": "SELECT payload FROM events WHERE kind = 'survey.answer' AND kiosk_id = 'k' "
               f"AND {db.json('payload', 'run')} = 'r' ORDER BY seq",
        "moderation": f"SELECT kind FROM events WHERE {db.json('payload', 'target')} = 'u' "
                      "AND kind IN ('moderation.approved', 'moderation.rejected') ORDER BY ts DESC, seq DESC LIMIT 1",
        "group": f"SELECT kind, payload FROM events WHERE {db.json('payload', 'group_id')} = 'g' "
                 "AND kind IN ('group.step', 'group.challenge', 'group.end') AND kiosk_id = 'k' ORDER BY seq",
    }
    assert_index_probes(plans)


LEGACY_SCHEMA = """
CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE kiosks (name TEXT PRIMARY KEY, venue TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, ts TEXT NOT NULL,
    kiosk_id TEXT NOT NULL, session_id TEXT, station TEXT, kind TEXT NOT NULL, payload TEXT NOT NULL,
    content_sha TEXT NOT NULL, received_at TEXT NOT NULL, source TEXT NOT NULL);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_kiosk ON events (kiosk_id);
CREATE TABLE conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL, content_sha TEXT NOT NULL,
    event TEXT NOT NULL, received_at TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (uuid, content_sha));
CREATE TABLE files (sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL, received_at TEXT NOT NULL, kiosk_id TEXT NOT NULL);
CREATE TABLE imports (id INTEGER PRIMARY KEY AUTOINCREMENT, bundle_sha TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    imported_at TEXT NOT NULL, counts TEXT NOT NULL);
INSERT INTO schema_migrations VALUES ('001_kiosks', ''), ('002_events', ''), ('003_conflicts', ''),
    ('004_files', ''), ('005_imports', '');
"""


def test_a_hub_database_from_before_the_website_is_adopted_with_its_rows(tmp_path):
    """A database written by the hub's former migration runner (here before short codes): the website's
    migrations keep every row, its seq and token, and give the coded events their codes."""
    from tests.live_hub import LiveHub

    live = LiveHub(tmp_path)
    conn = sqlite3.connect(live.db_path)
    conn.executescript(LEGACY_SCHEMA)
    gid, uuids = new_uuid(), [new_uuid() for _ in range(3)]
    rows = [(uuids[0], "survey.complete", {"answered": 1}), (uuids[1], "wall.message", {"question": "q"}),
            (uuids[2], "group.start", {"group_id": gid})]
    conn.executemany("INSERT INTO events (uuid, ts, kiosk_id, kind, payload, content_sha, received_at, source) "
                     "VALUES (?, '2026-11-25T10:00:00.000Z', 'k', ?, ?, '', '', 'http')",
                     [(u, k, json.dumps(p)) for u, k, p in rows])
    conn.execute("INSERT INTO kiosks VALUES ('k', 'Médiathèque', 'abc', '2026-11-01T00:00:00.000Z')")
    conn.commit()
    conn.close()
    assert "k\tMédiathèque" in live.cli("list-kiosks")
    assert live.query("SELECT seq, kind, short_code FROM events ORDER BY seq") == [
        (1, "survey.complete", short_code(uuids[0])), (2, "wall.message", short_code(uuids[1])),
        (3, "group.start", short_code(gid))]
    assert live.query("SELECT token_hash FROM kiosks") == [("abc",)]
    assert not live.query("SELECT name FROM sqlite_master WHERE name LIKE 'legacy_%' OR name = 'schema_migrations'")


@pytest.mark.slow
def test_kiosk_upload_to_a_live_hub_then_the_pages(tmp_path):
    """The real path: a kiosk log (with a drawing) uploaded by the kiosk's Uploader to `hub serve`, then
    the pages fetched over HTTP: the wall message awaits approval until the kiosk uploads one."""
    from eventlog.sqlite import connect
    from eventlog.wire import db_path
    from kiosk.sync.uploader import Uploader
    from tests.kiosk_logs import fill_kiosk_log
    from tests.live_hub import LiveHub

    data = tmp_path / "kiosk"
    fill_kiosk_log(data, "kiosk-test", 400, seed=4, drawings=30)
    conn = connect(db_path(data))
    wall_uuid, wall_payload = conn.execute(
        "SELECT uuid, payload FROM events WHERE kind = 'wall.message' AND payload LIKE '%drawing%' "
        "AND json_extract(payload, '$.text') IS NOT NULL "
        "ORDER BY seq LIMIT 1").fetchone()
    survey_uuid = conn.execute("SELECT uuid FROM events WHERE kind = 'survey.complete' LIMIT 1").fetchone()[0]

    def fetch(url: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    with LiveHub(tmp_path / "hub") as live:
        uploader = Uploader(data, hub_url=live.url, token=live.add_kiosk("kiosk-test"))
        uploader.sync_once()
        wall = f"{live.url}/c/{short_code(wall_uuid)}"
        status, body = fetch(wall)
        assert status == 200 and "en attente de validation" in body.decode()
        assert fetch(wall + "/drawing.png")[0] == 404
        with conn:   # the mediator approves it on the kiosk; the next sync carries the decision
            conn.execute("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload) VALUES "
                         "(?, ?, 'kiosk-test', NULL, 'wall', 'moderation.approved', ?)",
                         (new_uuid(), event()["ts"], json.dumps({"target": wall_uuid})))
        uploader.sync_once()
        status, body = fetch(wall)
        message = json.loads(wall_payload)
        question = load_labels(SOURCE_CONTENT).wall_questions[message["question"]]["fr"]
        page = html.unescape(body.decode())
        assert status == 200 and message["text"] in page and question in page
        status, png = fetch(wall + "/drawing.png")
        assert status == 200 and hashlib.sha256(png).hexdigest() == json.loads(wall_payload)["drawing_sha256"]
        assert fetch(f"{live.url}/c/{short_code(survey_uuid)}")[0] == 200
        assert fetch(f"{live.url}/c/23456789AB")[0] == 404
    conn.close()

def test_hub_timezone_is_checked(tmp_path):
    from hub.config import ConfigError, load_config

    path = tmp_path / "hub.toml"
    path.write_text('[hub]\ntimezone = "Europe/Paris"\n')
    assert load_config(path).timezone == "Europe/Paris"
    path.write_text('[hub]\ntimezone = "Europe/Lutece"\n')
    with pytest.raises(ConfigError):
        load_config(path)


def test_group_pages_of_a_simulated_month_name_everything(make_hub, tmp_path):
    """kiosk demo-data's groups, through the hub: every page shows the activity's title, the level in
    words and each challenge and quiz question by its title, never an id."""
    from datetime import datetime, timezone

    from eventlog.sqlite import connect
    from eventlog.wire import db_path, iter_rows, wire_event
    from hub.db import Db
    from hub.ingest import ingest
    from kiosk.demo_data import simulate_month
    from tests.hub.conftest import KIOSK

    end = datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)
    simulate_month(tmp_path / "k", kiosk_id=KIOSK, end=end, days=21, seed=3)
    log = connect(db_path(tmp_path / "k"), readonly=True)
    events = [wire_event(row) for row in iter_rows(log)]
    log.close()
    hub = make_hub(rate_per_s=0.0)
    for i in range(0, len(events), 1000):
        ingest(Db(), events[i:i + 1000], kiosk_id=KIOSK, now=end)
    labels = load_labels(SOURCE_CONTENT)
    starts = [e["payload"] for e in events if e["kind"] == "group.start"]
    assert len({s["activity"] for s in starts} - {"free"}) == 2
    for start in starts:
        page = hub.client.get(f"/g/{short_code(start['group_id'])}")
        text = html.unescape(page.text).replace("\u00a0", " ")
        assert page.status_code == 200
        activity = labels.activities.get(start["activity"])
        if activity is None:
            assert start["activity"] == "free"
            continue
        assert f"Visite de groupe : {activity.title['fr']}" in text
        variant = activity.variant(start["level"])
        challenges = [e["payload"] for e in events if e["kind"] == "group.challenge"
                      and e["payload"]["group_id"] == start["group_id"]]
        assert challenges
        for challenge in challenges:
            step = next(s for s in activity.steps if s.id == challenge["step"])
            assert step.pick("title", variant, "fr") in text and challenge["step"] not in text
