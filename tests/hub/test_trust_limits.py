"""Nobody outside wears the hub down: limits per client address against a real `hub serve`, the client's
address believed from a trusted proxy only, and public reads that writes and floods cannot starve."""
from __future__ import annotations

import http.cookiejar
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from eventlog.shortcode import short_code
from tests.hub.conftest import event
from tests.live_hub import LiveHub

KIOSK = "mediatheque-meaux-1"
# small buckets that hardly refill during a test: what a test counts is what the hub decided
LIMITS = {"rate_per_s": 0.0, "public_rate_per_s": 0.001, "public_burst": 20,
          "auth_failure_burst": 4, "auth_failure_rate_per_s": 0.001}


def via(address: str) -> dict[str, str]:
    """Headers of a request the reverse proxy on 127.0.0.1 forwards for `address`."""
    return {"X-Forwarded-For": address}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    hub = LiveHub(tmp_path_factory.mktemp("limits"), limits=LIMITS, settings={"trusted_proxies": ["127.0.0.1"]})
    hub.start()
    hub.token = hub.add_kiosk(KIOSK)
    answer = event("survey.answer", {"question": "came_by", "choices": ["bike"], "run": "r1"}, kiosk_id=KIOSK,
                   station="survey", minutes_ago=6)
    sent = event("survey.complete", {"answered": 1, "run": "r1"}, kiosk_id=KIOSK, station="survey")
    status, _ = hub.post_events(hub.token, [answer, sent])
    assert status == 200
    hub.code = short_code(sent["uuid"])
    yield hub
    hub.stop()


def test_bad_tokens_get_429_after_a_few_tries_and_the_kiosk_goes_on(live):
    attacker = via("198.51.100.1")
    assert live.post_events(live.token, [])[0] == 200            # the kiosk's token, known good from now on
    answers = [live.request("GET", "/api/v1/totals", token=f"guess-{i}", headers=attacker) for i in range(10)]
    assert [a[0] for a in answers] == [401] * 4 + [429] * 6
    assert all(int(a[1]["Retry-After"]) >= 1 for a in answers[4:])
    assert b"failed authentications" in answers[-1][2]
    assert live.request("GET", "/api/v1/totals", headers=attacker)[0] == 429          # no token at all: same
    # the kiosk behind the same address (one venue router) is not held back, nor is anyone else
    assert live.request("GET", "/api/v1/totals", token=live.token, headers=attacker)[0] == 200
    assert live.request("GET", "/api/v1/totals", token="guess", headers=via("198.51.100.2"))[0] == 401
    assert live.request("GET", f"/c/{live.code}", headers=attacker)[0] == 200          # pages: their own bucket


def test_prepending_addresses_to_x_forwarded_for_changes_nothing(live):
    """The proxy appends the real peer: the hub reads the rightmost address its trusted proxy wrote."""
    codes = [live.request("PUT", f"/api/v1/files/{'a' * 64}", body=b"x", token="guess",
                          headers=via(f"203.0.113.{i}, 198.51.100.3"))[0] for i in range(6)]
    assert codes == [401] * 4 + [429] * 2


def test_public_pages_are_limited_per_address(live):
    """A generous bucket (here 20, by default 200 at once and 20 a second) for each address."""
    crawler = via("198.51.100.4")
    codes = [live.request("GET", "/api/v1/health", headers=crawler)[0] for _ in range(20)]
    assert codes == [200] * 20
    status, headers, body = live.request("GET", f"/c/{live.code}", headers=crawler)
    assert status == 429 and int(headers["Retry-After"]) >= 1 and "réessayez" in body.decode()
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Content-Type"].startswith("text/plain")
    assert live.request("GET", f"/c/{live.code}", headers=via("198.51.100.5"))[0] == 200
    assert live.post_events(live.token, [])[0] == 200              # kiosks are counted per kiosk, not here


def test_refused_back_office_logins_count_as_failures(live):
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    guesser = via("198.51.100.6")

    def attempt() -> int:
        form = browser.open(urllib.request.Request(f"{live.url}/gestion/login/", headers=guesser), timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode()).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "admin",
                                       "password": "wrong password", "next": "/gestion/"}).encode()
        try:
            return browser.open(urllib.request.Request(f"{live.url}/gestion/login/", data=data, headers=guesser),
                                timeout=30).status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert [attempt() for _ in range(6)] == [200] * 4 + [429] * 2


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(tmp_path):
    """A hub whose proxy is elsewhere: a client on 127.0.0.1 cannot pick its bucket by writing the header."""
    with LiveHub(tmp_path, limits=LIMITS, settings={"trusted_proxies": ["10.9.8.7"]}) as hub:
        codes = [hub.request("GET", "/api/v1/totals", token="guess", headers=via(f"198.51.100.{i}"))[0]
                 for i in range(6)]
    assert codes == [401] * 4 + [429] * 2


def status_of(browser, request) -> int:
    try:
        return browser.open(request, timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_reads_go_on_while_a_writer_holds_the_database(live):
    """A long write (an import, a big batch) holds SQLite's one write lock: the pages, the totals and
    token checks keep answering; only the writes wait for it (a kiosk's batch, a visitor's takedown)."""
    message = event("wall.message", {"question": "city", "text": "Un tram", "flags": []}, kiosk_id=KIOSK, minutes_ago=9)
    decision = event("moderation.approved", {"target": message["uuid"]}, kiosk_id=KIOSK, minutes_ago=8)
    assert live.post_events(live.token, [message, decision])[0] == 200
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    visitor = via("198.51.100.8")
    form = browser.open(urllib.request.Request(f"{live.url}/retrait/", headers=visitor), timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    takedown = urllib.request.Request(f"{live.url}/retrait/", headers=visitor, data=urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "code": short_code(message["uuid"]), "reason": ""}).encode())

    holder = sqlite3.connect(live.db_path, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    writers = ThreadPoolExecutor(2)
    try:
        upload = writers.submit(live.post_events, live.token, [event("session.start", kiosk_id=KIOSK)])
        withdrawn = writers.submit(status_of, browser, takedown)
        assert live.request("GET", f"/c/{live.code}", headers=via("198.51.100.7"))[0] == 200
        assert live.request("GET", "/", headers=via("198.51.100.7"))[0] == 200
        assert live.request("GET", "/api/v1/totals", token=live.token)[0] == 200
        # the writes wait for the lock meanwhile (or, past the busy timeout, are asked to come back)
        assert not upload.done() or upload.result()[0] == 503
        assert not withdrawn.done() or withdrawn.result() == 503
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert upload.result(timeout=60)[0] in (200, 503)
    assert withdrawn.result(timeout=60) in (200, 503)
    writers.shutdown()


def test_a_flood_of_bad_tokens_does_not_starve_public_pages(live):
    """Eight addresses send 40 bad tokens each while a visitor opens pages: every page answers 200, the
    flood is answered 429 once its few tries are spent (bounded: 320 requests)."""
    answers: list[int] = []

    def flood(n: int) -> None:
        for i in range(40):
            answers.append(live.request("POST", "/api/v1/events", body=b"{}", token=f"bad-{n}-{i}",
                                        headers=via(f"192.0.2.{n}"))[0])

    with ThreadPoolExecutor(8) as pool:
        jobs = [pool.submit(flood, n) for n in range(8)]
        pages = []
        while not all(job.done() for job in jobs) and len(pages) < 200:
            pages.append(live.request("GET", f"/c/{live.code}", headers=via(f"198.51.100.{100 + len(pages) // 15}"))[0])
        for job in jobs:
            job.result()
    assert pages and set(pages) == {200}
    assert sorted(set(answers)) == [401, 429] and answers.count(401) == 8 * 4
