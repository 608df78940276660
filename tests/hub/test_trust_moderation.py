"""Each kiosk decides only on its own wall messages: the attacks of a registered kiosk's token against a
real `hub serve`, checked on the page a visitor sees and on the rows stored."""
from __future__ import annotations

import hashlib
import html
import json

import pytest

from eventlog.shortcode import short_code
from hub.moderation import FOREIGN_TARGET, UNKNOWN_TARGET
from tests.hub.conftest import event
from tests.live_hub import LiveHub

HOME, OTHER = "mediatheque-meaux-1", "centre-social-evry-1"
PNG = b"\x89PNG\r\n\x1a\n" + b"a drawing of a tram" * 30
PENDING = "en attente de validation par l’équipe de médiation"
AHEAD_47H = -47 * 60      # minutes_ago: a decision dated 47 hours in the future


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    hub = LiveHub(tmp_path_factory.mktemp("moderation"), limits={"rate_per_s": 0.0}, postgres=True)
    hub.start()
    hub.tokens = {name: hub.add_kiosk(name) for name in (HOME, OTHER)}
    yield hub
    hub.stop()


def post(hub: LiveHub, kiosk: str, *events: dict) -> list[dict]:
    status, answer = hub.post_events(hub.tokens[kiosk], list(events))
    assert status == 200, answer
    return answer["results"]


def message(hub: LiveHub, text: str) -> tuple[str, str]:
    """A wall message with its drawing, sent by HOME: (uuid, printed code)."""
    sha = hashlib.sha256(PNG).hexdigest()
    assert hub.request("PUT", f"/api/v1/files/{sha}", body=PNG, token=hub.tokens[HOME])[0] in (200, 201)
    sent = event("wall.message", {"question": "city", "text": text, "flags": [], "drawing_sha256": sha},
                 kiosk_id=HOME, station="wall", minutes_ago=60)
    assert post(hub, HOME, sent)[0]["status"] == "created"
    return sent["uuid"], short_code(sent["uuid"])


def decision(kiosk: str, target: str, kind: str, minutes_ago: float) -> dict:
    return event(f"moderation.{kind}", {"target": target}, kiosk_id=kiosk, station="wall", minutes_ago=minutes_ago)


def seen(hub: LiveHub, code: str, text: str) -> tuple[bool, int]:
    """(the visitor sees the message on its page, status of its drawing)."""
    status, _, body = hub.request("GET", f"/c/{code}")
    page = html.unescape(body.decode())
    assert status == 200
    assert (text in page) != (PENDING in page)
    return text in page, hub.request("GET", f"/c/{code}/drawing.png")[0]


def listed(hub: LiveHub, text: str) -> bool:
    status, _, body = hub.request("GET", "/contributions/")
    assert status == 200
    return text in html.unescape(body.decode())


def stored_decisions(hub: LiveHub, kiosk: str) -> int:
    return hub.query("SELECT count(*) FROM events WHERE kind LIKE 'moderation.%' AND kiosk_id = ?", (kiosk,))[0][0]


def test_another_kiosk_cannot_approve_a_rejected_message(live):
    uuid, code = message(live, "Un tram jusqu'à la gare")
    post(live, HOME, decision(HOME, uuid, "rejected", minutes_ago=50))
    assert seen(live, code, "Un tram jusqu'à la gare") == (False, 404)
    before = stored_decisions(live, OTHER)
    (verdict,) = post(live, OTHER, decision(OTHER, uuid, "approved", minutes_ago=40))
    assert verdict["status"] == "invalid" and verdict["reason"] == FOREIGN_TARGET
    assert seen(live, code, "Un tram jusqu'à la gare") == (False, 404)
    assert not listed(live, "Un tram jusqu'à la gare")
    assert stored_decisions(live, OTHER) == before


def test_a_foreign_rejection_dated_47_hours_ahead_hides_nothing(live):
    uuid, code = message(live, "Des bancs sur le quai")
    post(live, HOME, decision(HOME, uuid, "approved", minutes_ago=50))
    assert seen(live, code, "Des bancs sur le quai") == (True, 200)
    (verdict,) = post(live, OTHER, decision(OTHER, uuid, "rejected", minutes_ago=AHEAD_47H))
    assert verdict["status"] == "invalid" and "another kiosk" in verdict["reason"]
    assert seen(live, code, "Des bancs sur le quai") == (True, 200) and listed(live, "Des bancs sur le quai")
    # the same decision sent again, in a batch with honest events of its own kiosk: refused again, alone
    mixed = post(live, OTHER, event("session.start", kiosk_id=OTHER),
                 decision(OTHER, uuid, "rejected", minutes_ago=AHEAD_47H))
    assert [v["status"] for v in mixed] == ["created", "invalid"]


def test_a_decision_is_timed_no_later_than_its_arrival(live):
    """The message's own kiosk, its clock 47 h ahead, rejects; then, its clock put right (a minute
    ahead still), it approves again: that approval came after the rejection reached the hub, so it
    stands, although the rejection's own date is two days later."""
    uuid, code = message(live, "Plus de vélos en libre-service")
    post(live, HOME, decision(HOME, uuid, "approved", minutes_ago=50))
    ahead = decision(HOME, uuid, "rejected", minutes_ago=AHEAD_47H)
    post(live, HOME, ahead)
    assert seen(live, code, "Plus de vélos en libre-service") == (False, 404)
    post(live, HOME, decision(HOME, uuid, "approved", minutes_ago=-1))
    assert seen(live, code, "Plus de vélos en libre-service") == (True, 200)
    dates = live.query("SELECT ts, received_at FROM events WHERE uuid = ?", (ahead["uuid"],))
    assert dates[0][0] > dates[0][1]          # stored as the kiosk dated it; only its rank is capped


def test_decisions_need_their_message_first(live):
    stranger = event("wall.message", {"question": "city", "text": "Jamais envoyé", "flags": []}, kiosk_id=HOME)
    (verdict,) = post(live, HOME, decision(HOME, stranger["uuid"], "approved", minutes_ago=1))
    assert verdict["status"] == "invalid" and verdict["reason"] == UNKNOWN_TARGET
    # a message and its decision in one batch, in log order: both go in
    together = event("wall.message", {"question": "city", "text": "Une piste le long du canal", "flags": []},
                     kiosk_id=HOME, minutes_ago=3)
    verdicts = post(live, HOME, together, decision(HOME, together["uuid"], "approved", minutes_ago=2))
    assert [v["status"] for v in verdicts] == ["created", "created"]
    assert seen(live, short_code(together["uuid"]), "Une piste le long du canal")[0]
    # a decision naming a message of the other kiosk sent in the same batch is still not its own
    theirs = event("wall.message", {"question": "city", "text": "Moins de voitures", "flags": []}, kiosk_id=OTHER)
    post(live, OTHER, theirs)
    (verdict,) = post(live, HOME, decision(HOME, theirs["uuid"], "approved", minutes_ago=1))
    assert verdict["reason"] == FOREIGN_TARGET


def test_foreign_decisions_an_older_hub_stored_count_for_nothing(live):
    """Rows accepted before this rule (a hub database carried over) are ignored when reading."""
    uuid, code = message(live, "Un ascenseur à chaque quai")
    post(live, HOME, decision(HOME, uuid, "approved", minutes_ago=50))
    forged = decision(OTHER, uuid, "rejected", minutes_ago=5)
    live.query("INSERT INTO events (uuid, ts, kiosk_id, session_id, station, kind, payload, content_sha, "
               "received_at, source) VALUES (?, ?, ?, NULL, 'wall', ?, ?, 'x', ?, 'http')",
               (forged["uuid"], forged["ts"], OTHER, forged["kind"], json.dumps(forged["payload"]), forged["ts"]))
    assert seen(live, code, "Un ascenseur à chaque quai") == (True, 200)
    assert listed(live, "Un ascenseur à chaque quai")
